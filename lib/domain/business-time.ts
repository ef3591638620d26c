/**
 * Business time (SPEC §2 "Service levels"): how much of a span counts, and
 * when a number of counted seconds runs out, under a schedule that is either
 * round the clock or working hours on some weekdays in an IANA time zone,
 * less holidays. The calendar (days, zones, daylight-saving changes) is
 * Temporal's (temporal-polyfill, through its tree-shakeable function API); what is counted here is only the seconds
 * between instants inside each working day's hours, so an hour lost or
 * gained at a change of clocks counts as the hour it really was.
 */
// The polyfill's function API (one standalone function per operation): a function bundles only those it calls.
import * as InstantFns from 'temporal-polyfill/fns/Instant';
import * as PlainDateFns from 'temporal-polyfill/fns/PlainDate';
import * as PlainTimeFns from 'temporal-polyfill/fns/PlainTime';
import * as ZonedFns from 'temporal-polyfill/fns/ZonedDateTime';
import * as DurationFns from 'temporal-polyfill/fns/Duration';
import type { Record as PlainDateRecord } from 'temporal-polyfill/fns/PlainDate';

export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Working hours: ISO weekdays (1 = Monday), `HH:MM` start and end of each working day, a time zone, holidays (`YYYY-MM-DD`, local dates). */
export interface BusinessHours {
  weekdays: number[];
  start: string;
  end: string;
  timeZone: string;
  holidays?: string[];
}
export type Schedule = '24x7' | BusinessHours;

/**
 * How far a search for working time goes before it gives up: three years.
 * A target is refused when defined unless a year of the schedule's working
 * weeks holds it (`fitsSchedule`), so even a year of holidays (at most 366
 * are listed) leaves room for it.
 */
const MAX_DAYS = 3 * 366;
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether `minutes` of business time fit in a year (52 weeks) of a schedule's working weeks. */
export const fitsSchedule = (minutes: number, schedule: Schedule) =>
  schedule === '24x7' || minutes <= 52 * new Set(schedule.weekdays).size * Math.max(0, minutesOf(schedule.end) - minutesOf(schedule.start));

/** Whether the runtime's time zone data (which Temporal reads) knows an IANA name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Whether a string is a real calendar date `YYYY-MM-DD`. */
export function isPlainDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  try {
    const [year, month, day] = match.slice(1).map(Number);
    PlainDateFns.fromFields({ year, month, day }, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

const epochMs = (iso: string) => Date.parse(iso);
const isoOf = (ms: number) => new Date(ms).toISOString();
const clock = (time: string) => PlainTimeFns.create(...(time.split(':').map(Number) as [number, number]));

/** A working day's hours as epoch milliseconds (a start inside a clock change's gap moves later, as Temporal's `compatible` does). */
function hoursOf(day: PlainDateRecord, hours: BusinessHours): [number, number] | undefined {
  if (!hours.weekdays.includes(PlainDateFns.dayOfWeek(day)) || hours.holidays?.includes(PlainDateFns.toString(day))) return undefined;
  const at = (time: string) => PlainDateFns.toZonedDateTime(day, { timeZone: hours.timeZone, plainTime: clock(time) }).epochMilliseconds;
  const [open, close] = [at(hours.start), at(hours.end)];
  return close > open ? [open, close] : undefined;
}

/** The working days' hours from the local day of `fromMs` on, one day at a time. */
function* workingHours(fromMs: number, hours: BusinessHours): Generator<[number, number]> {
  const oneDay = DurationFns.create(0, 0, 0, 1);
  let day = ZonedFns.toPlainDate(InstantFns.toZonedDateTimeISO(InstantFns.fromEpochMilliseconds(fromMs), hours.timeZone));
  for (let i = 0; i < MAX_DAYS; i++, day = PlainDateFns.add(day, oneDay)) {
    const window = hoursOf(day, hours);
    if (window) yield window;
  }
}

/** The business seconds between two instants (0 when `to` is not after `from`). */
export function businessSecondsBetween(from: string, to: string, schedule: Schedule): number {
  const [a, b] = [epochMs(from), epochMs(to)];
  if (b <= a) return 0;
  if (schedule === '24x7') return (b - a) / 1000;
  let counted = 0;
  for (const [open, close] of workingHours(a, schedule)) {
    if (open >= b) break;
    counted += Math.max(0, Math.min(close, b) - Math.max(open, a));
  }
  return counted / 1000;
}

/** The instant at which `seconds` of business time counted from `from` have passed. */
export function addBusinessSeconds(from: string, seconds: number, schedule: Schedule): string {
  const start = epochMs(from);
  if (schedule === '24x7') return isoOf(start + seconds * 1000);
  let left = seconds * 1000;
  for (const [open, close] of workingHours(start, schedule)) {
    const begin = Math.max(open, start);
    if (close <= begin) continue;
    // Running out exactly at a day's close is that close, not the next day's open.
    if (left <= close - begin) return isoOf(begin + left);
    left -= close - begin;
  }
  throw new RangeError(`No working time within ${MAX_DAYS} days of ${from}.`);
}
