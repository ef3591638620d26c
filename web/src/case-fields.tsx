/**
 * The fields a person sets on a case, as one form: the conversion form of the
 * Alert form (*Create Case*) and the Case form's fields. The stage offers only
 * what the stage table allows from where the case is; a closed reason is asked
 * for when the stage needs one, and its 600-character text when it is `other`;
 * the assignee is offered from the chosen queue's members.
 */
import { useState } from 'preact/hooks';
import { Markdown } from './markdown.js';
import { Combobox } from './combobox.js';
import { accountOptions } from './pickers.js';
import { CLOSED_REASONS, CLOSED_REASON_TEXT_MAX } from '../../lib/domain/closed-reason.js';
import { PRIORITIES } from '../../lib/domain/priority.js';
import { isFrozen, STAGES, STAGE_TRANSITIONS, STAGES_NEEDING_REASON, type Stage } from '../../lib/domain/stage-transitions.js';
import type { Queue } from '../../lib/contract/types.js';
import { Field, words } from './ui.js';

export interface CaseFieldValues {
  shortDescription: string;
  description: string;
  priority: string;
  stage: Stage;
  closedReason: string;
  closedReasonText: string;
  queue: string;
  assignee: string;
  accountId: string;
}

export const emptyCaseFields = (over: Partial<CaseFieldValues> = {}): CaseFieldValues => ({
  shortDescription: '',
  description: '',
  priority: '',
  stage: 'new',
  closedReason: '',
  closedReasonText: '',
  queue: '',
  assignee: '',
  accountId: '',
  ...over,
});

/** The stages a case at `from` may move to (itself included); a new case may start in any. */
export const stagesFrom = (from: Stage | undefined): readonly Stage[] => (from ? [from, ...STAGE_TRANSITIONS[from].filter((s) => s !== from)] : STAGES);

export function CaseFields(props: {
  values: CaseFieldValues;
  onChange: (values: CaseFieldValues) => void;
  queues: Queue[];
  /** The stage the case is in now (undefined: a case being created). */
  currentStage?: Stage;
  /** Read-only: shown, not offered for change. */
  readOnly?: boolean;
  error?: unknown;
  /** Accounts to offer (the alert's affected ones); free text otherwise. */
  accounts?: { accountId: string; accountName: string }[];
}) {
  const { values: v, readOnly, error } = props;
  const set = (name: keyof CaseFieldValues) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    props.onChange({ ...v, [name]: value, ...(name === 'queue' ? { assignee: '' } : {}) });
  };
  const members = props.queues.find((q) => q.queueId === v.queue)?.members ?? [];
  const frozen = props.currentStage !== undefined && isFrozen(props.currentStage);
  const locked = readOnly || frozen;
  const needsReason = STAGES_NEEDING_REASON.includes(v.stage);
  // The account by its name: as picked, or as the caller knows it (the alert's affected accounts), else its id.
  const [picked, setPicked] = useState<Record<string, string>>({});
  const accountLabel = v.accountId ? (picked[v.accountId] ?? props.accounts?.find((a) => a.accountId === v.accountId)?.accountName ?? v.accountId) : '';
  return (
    <div class="fields">
      <Field label="Short description" name="shortDescription" error={error}>
        {(id, d) => <input id={id} aria-describedby={d} value={v.shortDescription} maxLength={160} required readOnly={locked} onInput={set('shortDescription')} />}
      </Field>
      <Field label="Description" name="description" error={error}>
        {(id, d) => <textarea id={id} aria-describedby={d} value={v.description} rows={3} readOnly={locked} onInput={set('description')} />}
      </Field>
      <Field label="Priority" name="priority" error={error}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={v.priority} disabled={locked} onChange={set('priority')}>
            {!v.priority && <option value="">from the alert's severity</option>}
            {PRIORITIES.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Stage" name="stage" error={error}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={v.stage} disabled={readOnly} onChange={set('stage')}>
            {stagesFrom(props.currentStage).map((s) => (
              <option value={s}>{words(s)}</option>
            ))}
          </select>
        )}
      </Field>
      {needsReason && (
        <Field label="Closed reason" name="closedReason" error={error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={v.closedReason} disabled={locked} onChange={set('closedReason')}>
              <option value="">choose a reason</option>
              {CLOSED_REASONS.map((r) => (
                <option value={r}>{words(r)}</option>
              ))}
            </select>
          )}
        </Field>
      )}
      {needsReason && v.closedReason === 'other' && locked && v.closedReasonText && (
        <div class="field">
          <span class="label">Closed reason text</span>
          <Markdown text={v.closedReasonText} />
        </div>
      )}
      {needsReason && v.closedReason === 'other' && !locked && (
        <Field label="Closed reason text" name="closedReasonText" error={error} hint={`${v.closedReasonText.length}/${CLOSED_REASON_TEXT_MAX} characters`}>
          {(id, d) => <textarea id={id} aria-describedby={d} value={v.closedReasonText} maxLength={CLOSED_REASON_TEXT_MAX} rows={3} readOnly={locked} onInput={set('closedReasonText')} />}
        </Field>
      )}
      <Field label="Queue" name="queue" error={error}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={v.queue} disabled={locked} onChange={set('queue')}>
            <option value="">none</option>
            {props.queues.map((q) => (
              <option value={q.queueId}>{q.queueId}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Assignee" name="assignee" error={error} hint={v.queue && members.length === 0 ? 'This queue has no members yet.' : undefined}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={v.assignee} disabled={locked || !v.queue} onChange={set('assignee')}>
            <option value="">unassigned</option>
            {(members.includes(v.assignee) || !v.assignee ? members : [v.assignee, ...members]).map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Account" name="accountId" error={error} hint={locked ? undefined : 'Type a name and pick one'}>
        {(id, d) =>
          locked ? (
            <input id={id} aria-describedby={d} value={accountLabel} readOnly />
          ) : (
            <Combobox
              id={id}
              describedBy={d}
              listLabel="Accounts"
              initial={accountLabel}
              placeholder="none"
              search={(text) => accountOptions(text, props.accounts)}
              onPick={(o) => {
                setPicked((p) => ({ ...p, [o.id]: o.label }));
                props.onChange({ ...v, accountId: o.id });
              }}
            />
          )
        }
      </Field>
    </div>
  );
}

/** The fields as a request body: empty ones left out (a PATCH sends `null` to remove an optional one it had). */
export function caseBody(v: CaseFieldValues, before?: CaseFieldValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v) as [keyof CaseFieldValues, string][]) {
    if (before && before[k] === value) continue;
    if (value !== '') body[k] = value;
    else if (before && before[k] !== '') body[k] = null;
  }
  if (!STAGES_NEEDING_REASON.includes(v.stage)) {
    delete body.closedReason;
    delete body.closedReasonText;
  }
  return body;
}
