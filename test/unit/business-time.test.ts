/** Business-time arithmetic (lib/domain/business-time.ts): what a service level's clock counts, across weekends, holidays and changes of clocks. */
import { addBusinessSeconds, businessSecondsBetween, fitsSchedule, isPlainDate, isTimeZone, type BusinessHours } from '../../lib/domain/business-time.js';

const berlin: BusinessHours = { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', timeZone: 'Europe/Berlin' };
const hours = (n: number) => n * 3600;
/** An instant as Berlin's wall clock names it, in UTC (Temporal keeps the offset; Date compares the instants). */
const at = (text: string) => new Date(text).toISOString();

describe('addBusinessSeconds', () => {
  it('carries what is left of Friday over the weekend: Friday 16:00 + 4 working hours is Monday 11:00', () => {
    expect(addBusinessSeconds(at('2026-11-27T16:00:00+01:00'), hours(4), berlin)).toBe(at('2026-11-30T11:00:00+01:00'));
  });

  it('counts the weekend of a change of clocks by Berlin time: Friday 16:00 summer time is Monday 11:00 winter time', () => {
    expect(addBusinessSeconds(at('2026-10-23T16:00:00+02:00'), hours(4), berlin)).toBe(at('2026-10-26T11:00:00+01:00'));
  });

  it('counts an hour the clocks go back inside working hours as the hour it is', () => {
    // 01:00-05:00 on the night of 25 October 2026 is five real hours (02:00-03:00 happens twice).
    const night: BusinessHours = { weekdays: [1, 2, 3, 4, 5, 6, 7], start: '01:00', end: '05:00', timeZone: 'Europe/Berlin' };
    expect(addBusinessSeconds(at('2026-10-25T01:00:00+02:00'), hours(4), night)).toBe(at('2026-10-25T04:00:00+01:00'));
    expect(businessSecondsBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-25T06:00:00+01:00'), night)).toBe(hours(5));
  });

  it('skips a holiday: with Monday off, Friday 16:00 + 4 h is Tuesday 11:00', () => {
    expect(addBusinessSeconds(at('2026-11-27T16:00:00+01:00'), hours(4), { ...berlin, holidays: ['2026-11-30'] })).toBe(at('2026-12-01T11:00:00+01:00'));
  });

  it('starts counting at the next opening when started outside hours, and ends at a close rather than the next opening', () => {
    expect(addBusinessSeconds(at('2026-11-28T10:00:00+01:00'), hours(1), berlin)).toBe(at('2026-11-30T09:00:00+01:00'));
    expect(addBusinessSeconds(at('2026-11-30T08:00:00+01:00'), hours(9), berlin)).toBe(at('2026-11-30T17:00:00+01:00'));
  });

  it('round the clock is plain time', () => {
    expect(addBusinessSeconds('2026-10-24T23:30:00.000Z', hours(2), '24x7')).toBe('2026-10-25T01:30:00.000Z');
  });
});

describe('businessSecondsBetween', () => {
  it('counts a 30-minute span inside working hours, and nothing of one on a Saturday', () => {
    expect(businessSecondsBetween(at('2026-11-30T10:00:00+01:00'), at('2026-11-30T10:30:00+01:00'), berlin)).toBe(1800);
    expect(businessSecondsBetween(at('2026-11-28T10:00:00+01:00'), at('2026-11-28T10:30:00+01:00'), berlin)).toBe(0);
  });

  it('is the inverse of addBusinessSeconds', () => {
    const from = at('2026-11-26T15:17:00+01:00');
    for (const seconds of [1, 1800, hours(4), hours(30), hours(100)]) expect(businessSecondsBetween(from, addBusinessSeconds(from, seconds, berlin), berlin)).toBe(seconds);
  });
});

describe('what a schedule may name', () => {
  it('knows IANA time zones and real dates', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isPlainDate('2026-02-28')).toBe(true);
    expect(isPlainDate('2026-02-30')).toBe(false);
    expect(isPlainDate('2026-2-3')).toBe(false);
  });
});

describe('fitsSchedule', () => {
  it('takes a target of at most a year (52 weeks) of the working week, which the clock always finds however many holidays', () => {
    const hourAWeek: BusinessHours = { weekdays: [1], start: '08:00', end: '09:00', timeZone: 'Europe/Berlin' };
    expect([fitsSchedule(52 * 60, hourAWeek), fitsSchedule(52 * 60 + 1, hourAWeek)]).toEqual([true, false]);
    expect([fitsSchedule(52 * 45 * 60, berlin), fitsSchedule(52 * 45 * 60 + 1, berlin)]).toEqual([true, false]);
    expect(fitsSchedule(525_600, '24x7')).toBe(true);
    // The longest target it takes runs out within the clock's reach, with a whole year of holidays before it.
    const holidays = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
    expect(addBusinessSeconds(at('2026-12-31T09:00:00+01:00'), 52 * 3600, { ...hourAWeek, holidays })).toMatch(/^2028-12-/);
  });
});
