/**
 * A queue as a form (SPEC §2 "Work assignment"), for admins and managers:
 * its members and how it hands out its cases (manual, offer or auto; the
 * strategy; how long an offer lasts; the target wait; the reasons an agent
 * may reject with; the presence an agent who lets an offer run out gets).
 * A PUT replaces every setting, so the form sends all of them.
 */
import { useState } from 'preact/hooks';
import { ASSIGNMENT_MODES, OFFER_TIMEOUT_SECONDS, PRESENCES, STRATEGIES } from '../../lib/domain/assignment.js';
import { durationText, IDENTIFIER_PATTERN_SOURCE } from './inbox-text.js';
import { presenceLabel } from './presence.js';
import { emptyQueueValues, queueBody, queueValues, type QueueValues } from './queue-settings.js';
import type { QueueBody } from './api.js';
import type { Queue } from '../../lib/contract/types.js';
import { Field, FormFooter } from './ui.js';

const ASSIGNMENT_LABELS: Record<Queue['assignment'], string> = {
  manual: 'Manual: assigned by hand',
  offer: 'Offer to an available member',
  auto: 'Assign at once to an available member',
};
const STRATEGY_LABELS: Record<Queue['strategy'], string> = {
  most_capacity: 'Most free capacity',
  round_robin: 'Round robin',
};

/** How a queue hands out its cases, in words ("offer, most free capacity, 2 min to answer"). */
export function assignmentSummary(q: Queue): string {
  if (q.assignment === 'manual') return 'manual';
  const parts = [q.assignment === 'offer' ? `offer, ${durationText(q.offerTimeoutSeconds)} to answer` : 'auto', STRATEGY_LABELS[q.strategy].toLowerCase()];
  if (q.targetWaitSeconds) parts.push(`target wait ${durationText(q.targetWaitSeconds)}`);
  if (q.assignment === 'offer' && q.rejectReasons.length) parts.push(`${q.rejectReasons.length} reject reason${q.rejectReasons.length === 1 ? '' : 's'}`);
  return parts.join(', ');
}

export function QueueForm(props: {
  label: string;
  submitLabel: string;
  /** The queue to change; none for a new queue (then its name is asked). */
  initial?: Queue;
  /** Names taken by other queues (a new queue's PUT would replace theirs). */
  taken?: (queueId: string) => boolean;
  busy: boolean;
  error: unknown;
  onSubmit: (queueId: string, body: QueueBody) => void;
  onCancel?: () => void;
}) {
  const [queueId, setQueueId] = useState(props.initial?.queueId ?? '');
  const [form, setForm] = useState<QueueValues>(() => (props.initial ? queueValues(props.initial) : emptyQueueValues()));
  const set = (name: keyof QueueValues) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const setReason = (i: number, row: QueueValues['rejectReasons'][number]) => setForm({ ...form, rejectReasons: form.rejectReasons.map((r, k) => (k === i ? row : r)) });
  const error = props.error;
  const taken = !props.initial && !!props.taken?.(queueId.trim());
  const handsOut = form.assignment !== 'manual';
  return (
    <form
      aria-label={props.label}
      class="queue-form"
      onSubmit={(e) => {
        e.preventDefault();
        // PUT creates the queue; one that exists would have its settings replaced, so a taken name is refused here.
        if (taken) return;
        props.onSubmit(queueId.trim(), queueBody(form));
      }}
    >
      <div class="fields">
        {!props.initial && (
          <Field label="Queue name" name="queueId" error={error} hint={taken ? 'A queue of that name exists: edit it above.' : 'Letters, digits, . _ : @ + -'}>
            {(id, d) => <input id={id} aria-describedby={d} value={queueId} required maxLength={64} pattern={IDENTIFIER_PATTERN_SOURCE} onInput={(e) => setQueueId((e.currentTarget as HTMLInputElement).value)} />}
          </Field>
        )}
        <Field label="Members" name="members" error={error} hint="User names, separated by commas">
          {(id, d) => <input id={id} aria-describedby={d} value={form.members} onInput={set('members')} />}
        </Field>
        <Field label="Assignment" name="assignment" error={error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.assignment} onChange={set('assignment')}>
              {ASSIGNMENT_MODES.map((m) => (
                <option key={m} value={m}>
                  {ASSIGNMENT_LABELS[m]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {handsOut && (
          <Field label="Strategy" name="strategy" error={error} hint="Among available members with room">
            {(id, d) => (
              <select id={id} aria-describedby={d} value={form.strategy} onChange={set('strategy')}>
                {STRATEGIES.map((s) => (
                  <option key={s} value={s}>
                    {STRATEGY_LABELS[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {form.assignment === 'offer' && (
          <Field label="Offer timeout (seconds)" name="offerTimeoutSeconds" error={error} hint={`${OFFER_TIMEOUT_SECONDS.min} to ${OFFER_TIMEOUT_SECONDS.max.toLocaleString('en')}`}>
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="number"
                required
                min={OFFER_TIMEOUT_SECONDS.min}
                max={OFFER_TIMEOUT_SECONDS.max}
                step={1}
                value={form.offerTimeoutSeconds}
                onInput={set('offerTimeoutSeconds')}
              />
            )}
          </Field>
        )}
        {handsOut && (
          <Field label="Target wait (seconds)" name="targetWaitSeconds" error={error} hint="Optional: a case waiting longer is flagged">
            {(id, d) => <input id={id} aria-describedby={d} type="number" min={1} max={30 * 86_400} step={1} value={form.targetWaitSeconds} onInput={set('targetWaitSeconds')} />}
          </Field>
        )}
        {form.assignment === 'offer' && (
          <Field label="When an offer runs out, the agent becomes" name="onTimeout" error={error}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={form.onTimeout} onChange={set('onTimeout')}>
                {PRESENCES.map((p) => (
                  <option key={p} value={p}>
                    {presenceLabel(p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      {form.assignment === 'offer' && (
        <fieldset>
          <legend>Reject reasons (none: an agent types a short code)</legend>
          {form.rejectReasons.map((row, i) => (
            <div class="inline" key={i}>
              <Field label={`Code ${i + 1}`} name={`rejectReasons.${i}.code`} error={error}>
                {(id, d) => (
                  <input
                    id={id}
                    aria-describedby={d}
                    value={row.code}
                    required
                    maxLength={64}
                    pattern={IDENTIFIER_PATTERN_SOURCE}
                    placeholder="not_my_area"
                    onInput={(e) => setReason(i, { ...row, code: (e.currentTarget as HTMLInputElement).value })}
                  />
                )}
              </Field>
              <Field label={`Label ${i + 1}`} name={`rejectReasons.${i}.label`} error={error}>
                {(id, d) => (
                  <input
                    id={id}
                    aria-describedby={d}
                    value={row.label}
                    required
                    maxLength={200}
                    placeholder="Not my area"
                    onInput={(e) => setReason(i, { ...row, label: (e.currentTarget as HTMLInputElement).value })}
                  />
                )}
              </Field>
              <label class="check">
                <input type="checkbox" checked={row.reassignable} onChange={(e) => setReason(i, { ...row, reassignable: (e.currentTarget as HTMLInputElement).checked })} /> May be offered to them again
              </label>
              <button type="button" onClick={() => setForm({ ...form, rejectReasons: form.rejectReasons.filter((_, k) => k !== i) })}>
                Remove reason {i + 1}
              </button>
            </div>
          ))}
          <button type="button" disabled={form.rejectReasons.length >= 20} onClick={() => setForm({ ...form, rejectReasons: [...form.rejectReasons, { code: '', label: '', reassignable: false }] })}>
            Add a reject reason
          </button>
        </fieldset>
      )}
      <FormFooter error={error} submitLabel={props.submitLabel} disabled={props.busy || taken} onCancel={props.onCancel} />
    </form>
  );
}
