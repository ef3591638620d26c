/**
 * A playbook's conditions and action as a form (SPEC §2 Automation): every
 * condition the API takes (sources, severity at least, CI classes, attribute
 * equals) and every action (queue, assignee, priority, stage with its closed
 * reason, grouping), for a new playbook or to change one; and the same in
 * words for the list.
 */
import { useState } from 'preact/hooks';
import { CLOSED_REASONS } from '../../lib/domain/closed-reason.js';
import { PRIORITIES, SEVERITIES } from '../../lib/domain/priority.js';
import { CI_CLASSES } from '../../lib/domain/service-map.js';
import { STAGES, STAGES_NEEDING_REASON, type Stage } from '../../lib/domain/stage-transitions.js';
import type { Playbook, Queue } from '../../lib/contract/types.js';
import { Field, FormFooter, words } from './ui.js';

interface Form {
  name: string;
  sources: string;
  severityAtLeast: string;
  ciClasses: string[];
  attributes: { key: string; value: string }[];
  queue: string;
  assignee: string;
  priority: string;
  stage: string;
  closedReason: string;
  closedReasonText: string;
  groupBy: string;
  windowMinutes: string;
}

const listOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** An attribute value as typed: a number or true/false when it reads as one (alerts carry them so), else text. */
function valueOf(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

export function formOf(p?: Playbook): Form {
  const c = p?.conditions ?? {};
  const a = p?.action ?? {};
  return {
    name: p?.name ?? '',
    sources: (c.sources ?? []).join(', '),
    severityAtLeast: c.severityAtLeast ?? '',
    ciClasses: [...(c.ciClasses ?? [])],
    attributes: Object.entries(c.attributeEquals ?? {}).map(([key, value]) => ({ key, value: String(value) })),
    queue: a.queue ?? '',
    assignee: a.assignee ?? '',
    priority: a.priority ?? '',
    stage: a.stage ?? '',
    closedReason: a.closedReason ?? '',
    closedReasonText: a.closedReasonText ?? '',
    groupBy: (a.group?.by ?? []).join(', '),
    windowMinutes: String(a.group?.windowMinutes ?? 30),
  };
}

/** The form as the body of POST or PUT /playbooks. */
export function bodyOf(f: Form, keep?: Pick<Playbook, 'enabled' | 'order'>) {
  const attributes = f.attributes.filter((r) => r.key.trim());
  const by = listOf(f.groupBy);
  const needsReason = STAGES_NEEDING_REASON.includes(f.stage as Stage);
  return {
    name: f.name,
    ...(keep ? { enabled: keep.enabled, order: keep.order } : {}),
    conditions: {
      ...(f.sources.trim() ? { sources: listOf(f.sources) } : {}),
      ...(f.severityAtLeast ? { severityAtLeast: f.severityAtLeast } : {}),
      ...(f.ciClasses.length ? { ciClasses: f.ciClasses } : {}),
      ...(attributes.length ? { attributeEquals: Object.fromEntries(attributes.map((r) => [r.key.trim(), valueOf(r.value)])) } : {}),
    },
    action: {
      ...(f.queue ? { queue: f.queue } : {}),
      ...(f.queue && f.assignee ? { assignee: f.assignee } : {}),
      ...(f.priority ? { priority: f.priority } : {}),
      ...(f.stage ? { stage: f.stage } : {}),
      ...(needsReason && f.closedReason ? { closedReason: f.closedReason } : {}),
      ...(needsReason && f.closedReason === 'other' && f.closedReasonText ? { closedReasonText: f.closedReasonText } : {}),
      ...(by.length ? { group: { by, windowMinutes: Number(f.windowMinutes) } } : {}),
    },
  };
}

/** A playbook's conditions in words ("source siem or edr; severity major or worse; …"). */
export function conditionsText(c: Playbook['conditions']): string {
  const parts = [
    c.sources?.length ? `source ${c.sources.join(' or ')}` : '',
    c.severityAtLeast ? `severity ${c.severityAtLeast} or worse` : '',
    c.ciClasses?.length ? `CI class ${c.ciClasses.map(words).join(' or ')}` : '',
    ...Object.entries(c.attributeEquals ?? {}).map(([k, v]) => `${k} = ${String(v)}`),
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'every alert';
}

/** A playbook's action in words ("a case in tier2, high; one per ciId for 30 min"). */
export function actionText(a: Playbook['action']): string {
  const parts = [
    a.queue ? `queue ${a.queue}${a.assignee ? `, assigned to ${a.assignee}` : ''}` : '',
    a.priority ? `priority ${a.priority}` : 'priority from the severity',
    a.stage ? `stage ${words(a.stage)}${a.closedReason ? ` (${words(a.closedReason)})` : ''}` : '',
    a.group ? `one case per ${a.group.by.join(' + ')} for ${a.group.windowMinutes} min` : '',
  ].filter(Boolean);
  return `a case: ${parts.join('; ')}`;
}

export function PlaybookForm(props: { label: string; submitLabel: string; initial?: Playbook; queues: Queue[]; busy: boolean; error: unknown; onSubmit: (body: ReturnType<typeof bodyOf>) => void; onCancel?: () => void }) {
  const [form, setForm] = useState(() => formOf(props.initial));
  const set = (name: keyof Form) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value, ...(name === 'queue' ? { assignee: '' } : {}) });
  const members = props.queues.find((q) => q.queueId === form.queue)?.members ?? [];
  const error = props.error;
  const setRow = (i: number, row: { key: string; value: string }) => setForm({ ...form, attributes: form.attributes.map((r, k) => (k === i ? row : r)) });
  return (
    <form
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(bodyOf(form, props.initial));
      }}
    >
      <div class="fields">
        <Field label="Name" name="name" error={error}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.name} required maxLength={120} onInput={set('name')} />}
        </Field>
        <Field label="Sources" name="conditions.sources" error={error} hint="Any of these; blank: any source">
          {(id, d) => <input id={id} aria-describedby={d} value={form.sources} placeholder="siem, edr" onInput={set('sources')} />}
        </Field>
        <Field label="Severity at least" name="conditions.severityAtLeast" error={error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.severityAtLeast} onChange={set('severityAtLeast')}>
              <option value="">any</option>
              {SEVERITIES.map((s) => (
                <option value={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset>
        <legend>CI classes (any of them; none: any CI)</legend>
        {CI_CLASSES.map((cls) => (
          <label class="check" key={cls}>
            <input
              type="checkbox"
              checked={form.ciClasses.includes(cls)}
              onChange={(e) => setForm({ ...form, ciClasses: (e.currentTarget as HTMLInputElement).checked ? [...form.ciClasses, cls] : form.ciClasses.filter((c) => c !== cls) })}
            />{' '}
            {words(cls)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Attributes that must equal (all of them)</legend>
        {form.attributes.map((row, i) => (
          <div class="inline" key={i}>
            <Field label={`Attribute ${i + 1}`} name={`conditions.attributeEquals.${row.key}`} error={error}>
              {(id, d) => <input id={id} aria-describedby={d} value={row.key} placeholder="host" onInput={(e) => setRow(i, { ...row, key: (e.currentTarget as HTMLInputElement).value })} />}
            </Field>
            <Field label={`Value ${i + 1}`} name={`value-${i}`}>
              {(id) => <input id={id} value={row.value} placeholder="web-1" onInput={(e) => setRow(i, { ...row, value: (e.currentTarget as HTMLInputElement).value })} />}
            </Field>
            <button type="button" onClick={() => setForm({ ...form, attributes: form.attributes.filter((_, k) => k !== i) })}>
              Remove attribute {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setForm({ ...form, attributes: [...form.attributes, { key: '', value: '' }] })}>
          Add an attribute condition
        </button>
      </fieldset>
      <div class="fields">
        <Field label="Queue" name="action.queue" error={error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.queue} onChange={set('queue')}>
              <option value="">none</option>
              {props.queues.map((q) => (
                <option value={q.queueId}>{q.queueId}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Assignee" name="action.assignee" error={error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.assignee} disabled={!form.queue} onChange={set('assignee')}>
              <option value="">unassigned</option>
              {members.map((m) => (
                <option value={m}>{m}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Priority" name="action.priority" error={error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.priority} onChange={set('priority')}>
              <option value="">from the severity</option>
              {PRIORITIES.map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Stage" name="action.stage" error={error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.stage} onChange={set('stage')}>
              <option value="">new</option>
              {STAGES.filter((s) => s !== 'new').map((s) => (
                <option value={s}>{words(s)}</option>
              ))}
            </select>
          )}
        </Field>
        {STAGES_NEEDING_REASON.includes(form.stage as Stage) && (
          <Field label="Closed reason" name="action.closedReason" error={error}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={form.closedReason} onChange={set('closedReason')}>
                <option value="">choose a reason</option>
                {CLOSED_REASONS.map((r) => (
                  <option value={r}>{words(r)}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        {STAGES_NEEDING_REASON.includes(form.stage as Stage) && form.closedReason === 'other' && (
          <Field label="Closed reason text" name="action.closedReasonText" error={error}>
            {(id, d) => <input id={id} aria-describedby={d} value={form.closedReasonText} onInput={set('closedReasonText')} />}
          </Field>
        )}
        <Field label="Group by" name="action.group.by" error={error} hint="ciId, source, type or attributes.<name>: one case per group">
          {(id, d) => <input id={id} aria-describedby={d} value={form.groupBy} placeholder="ciId" onInput={set('groupBy')} />}
        </Field>
        {form.groupBy && (
          <Field label="Window (minutes)" name="action.group.windowMinutes" error={error}>
            {(id, d) => <input id={id} aria-describedby={d} type="number" min={1} max={10080} value={form.windowMinutes} onInput={set('windowMinutes')} />}
          </Field>
        )}
      </div>
      <FormFooter error={error} submitLabel={props.submitLabel} disabled={props.busy} onCancel={props.onCancel} />
    </form>
  );
}
