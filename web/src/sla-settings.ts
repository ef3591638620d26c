/**
 * An SLA definition's form (SPEC §2 "Service levels") as the console holds
 * it, and the body `POST /slas` and `PUT /slas/{slaId}` take. Pure:
 * web/src/sla-form.tsx draws it. Numbers and dates go as typed, for the API
 * to refuse by name.
 */
import type { Priority, SlaDefinition } from '../../lib/contract/types.js';

export interface SlaValues {
  name: string;
  kind: SlaDefinition['kind'];
  priorities: Priority[];
  /** Minutes, as typed. */
  targetMinutes: string;
  hours: '24x7' | 'business';
  weekdays: number[];
  start: string;
  end: string;
  timeZone: string;
  /** Dates as typed: YYYY-MM-DD separated by commas or spaces. */
  holidays: string;
  /** Percents as typed, separated by commas or spaces. */
  warnAtPercent: string;
  retroactive: boolean;
}

/** A new definition's form: Monday to Friday, 08:00 to 17:00 in the browser's time zone, warnings at 50 % and 75 %. */
export const emptySlaValues = (timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): SlaValues => ({
  name: '',
  kind: 'resolution',
  priorities: [],
  targetMinutes: '',
  hours: 'business',
  weekdays: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '17:00',
  timeZone,
  holidays: '',
  warnAtPercent: '50, 75',
  retroactive: true,
});

/** The form filled from a definition as the API sent it. */
export function slaValues(d: SlaDefinition): SlaValues {
  const base = emptySlaValues();
  const hours = d.schedule === '24x7' ? undefined : d.schedule;
  return {
    ...base,
    name: d.name,
    kind: d.kind,
    priorities: [...d.priorities],
    targetMinutes: String(d.targetMinutes),
    hours: hours ? 'business' : '24x7',
    ...(hours ? { weekdays: [...hours.weekdays], start: hours.start, end: hours.end, timeZone: hours.timeZone, holidays: (hours.holidays ?? []).join(', ') } : {}),
    warnAtPercent: d.warnAtPercent.join(', '),
    retroactive: d.retroactive,
  };
}

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The body the form sends. */
export function slaBody(v: SlaValues) {
  const holidays = words(v.holidays);
  return {
    name: v.name.trim(),
    kind: v.kind,
    priorities: v.priorities,
    targetMinutes: numberOf(v.targetMinutes),
    schedule:
      v.hours === '24x7'
        ? ('24x7' as const)
        : { weekdays: [...v.weekdays].sort((a, b) => a - b), start: v.start, end: v.end, timeZone: v.timeZone.trim(), ...(holidays.length ? { holidays } : {}) },
    warnAtPercent: words(v.warnAtPercent).map(Number),
    retroactive: v.retroactive,
  };
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const weekdayName = (isoDay: number) => WEEKDAY_NAMES[isoDay - 1];

/** A definition in words: "resolution within 240 min, Mon–Fri 08:00–17:00 Europe/Berlin" or "… round the clock". */
export function slaSummaryText(d: SlaDefinition): string {
  const when = d.schedule === '24x7' ? 'round the clock' : `${d.schedule.weekdays.map(weekdayName).join(' ')} ${d.schedule.start}–${d.schedule.end} ${d.schedule.timeZone}`;
  return `${d.kind} within ${d.targetMinutes} min for ${d.priorities.join(', ')}, ${when}`;
}
