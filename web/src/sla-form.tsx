/**
 * An SLA definition as a form (SPEC §2 "Service levels"), for admins: which
 * cases (priorities), the target, the clock (round the clock, or working
 * days and hours in a time zone, less holidays), the warnings, and whether a
 * case that comes to fall under it counts from its creation. A refused field
 * shows the API's message beside it.
 */
import { useState } from 'preact/hooks';
import { ISO_WEEKDAYS } from '../../lib/domain/business-time.js';
import { PRIORITIES } from '../../lib/domain/priority.js';
import { SLA_KINDS } from '../../lib/domain/sla.js';
import type { SlaDefinition } from '../../lib/contract/types.js';
import { emptySlaValues, slaBody, slaValues, weekdayName, type SlaValues } from './sla-settings.js';
import { Field, FormFooter } from './ui.js';

const checked = (e: Event) => (e.currentTarget as HTMLInputElement).checked;
const toggled = <T,>(list: T[], value: T, on: boolean) => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));

export function SlaForm(props: {
  label: string;
  submitLabel: string;
  initial?: SlaDefinition;
  busy: boolean;
  error: unknown;
  onSubmit: (body: ReturnType<typeof slaBody>) => void;
  onCancel?: () => void;
}) {
  const [form, setForm] = useState<SlaValues>(() => (props.initial ? slaValues(props.initial) : emptySlaValues()));
  const set = (name: keyof SlaValues) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const error = props.error;
  return (
    <form
      aria-label={props.label}
      class="sla-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(slaBody(form));
      }}
    >
      <div class="fields">
        <Field label="Name" name="name" error={error}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.name} required maxLength={120} onInput={set('name')} />}
        </Field>
        <Field label="Kind" name="kind" error={error} hint="Response: until assigned or out of new; resolution: until resolved">
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.kind} onChange={set('kind')}>
              {SLA_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Target (minutes)" name="targetMinutes" error={error} hint="Business time when working hours are set">
          {(id, d) => <input id={id} aria-describedby={d} type="number" required min={1} step={1} value={form.targetMinutes} onInput={set('targetMinutes')} />}
        </Field>
        <Field label="Warn at (percent of the target)" name="warnAtPercent" error={error} hint="Separated by commas">
          {(id, d) => <input id={id} aria-describedby={d} value={form.warnAtPercent} onInput={set('warnAtPercent')} />}
        </Field>
      </div>
      <fieldset>
        <legend>Priorities</legend>
        {PRIORITIES.map((p) => (
          <label class="check" key={p}>
            <input type="checkbox" checked={form.priorities.includes(p)} onChange={(e) => setForm({ ...form, priorities: toggled(form.priorities, p, checked(e)) })} /> {p}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Clock</legend>
        <label class="check">
          <input type="radio" name="hours" checked={form.hours === 'business'} onChange={() => setForm({ ...form, hours: 'business' })} /> Working hours
        </label>
        <label class="check">
          <input type="radio" name="hours" checked={form.hours === '24x7'} onChange={() => setForm({ ...form, hours: '24x7' })} /> Round the clock
        </label>
        {form.hours === 'business' && (
          <>
            <div class="inline" role="group" aria-label="Working days">
              {ISO_WEEKDAYS.map((day) => (
                <label class="check" key={day}>
                  <input type="checkbox" checked={form.weekdays.includes(day)} onChange={(e) => setForm({ ...form, weekdays: toggled(form.weekdays, day, checked(e)) })} /> {weekdayName(day)}
                </label>
              ))}
            </div>
            <div class="fields">
              <Field label="Opens" name="schedule.start" error={error}>
                {(id, d) => <input id={id} aria-describedby={d} type="time" required value={form.start} onInput={set('start')} />}
              </Field>
              <Field label="Closes" name="schedule.end" error={error}>
                {(id, d) => <input id={id} aria-describedby={d} type="time" required value={form.end} onInput={set('end')} />}
              </Field>
              <Field label="Time zone" name="schedule.timeZone" error={error} hint="IANA name, such as Europe/Berlin">
                {(id, d) => <input id={id} aria-describedby={d} required value={form.timeZone} onInput={set('timeZone')} />}
              </Field>
              <Field label="Holidays" name="schedule.holidays" error={error} hint="Dates (YYYY-MM-DD), separated by commas">
                {(id, d) => <input id={id} aria-describedby={d} value={form.holidays} onInput={set('holidays')} />}
              </Field>
            </div>
          </>
        )}
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={form.retroactive} onChange={(e) => setForm({ ...form, retroactive: checked(e) })} /> A case that comes to fall under it (a new priority) counts from its creation
      </label>
      <FormFooter error={error} submitLabel={props.submitLabel} disabled={props.busy} onCancel={props.onCancel} />
    </form>
  );
}
