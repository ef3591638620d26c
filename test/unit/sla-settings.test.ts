/** An SLA definition's form as the body the API takes, and back (web/src/sla-settings.ts). */
import { emptySlaValues, slaBody, slaSummaryText, slaValues } from '../../web/src/sla-settings.js';
import type { SlaDefinition } from '../../lib/contract/types.js';

const stored: SlaDefinition = {
  slaId: 'sla_0123456789abcdef',
  name: 'Resolve high',
  kind: 'resolution',
  priorities: ['critical', 'high'],
  targetMinutes: 240,
  schedule: { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', timeZone: 'Europe/Berlin', holidays: ['2026-12-25'] },
  pauseStages: ['awaiting_info'],
  warnAtPercent: [50, 75],
  retroactive: true,
  updatedAt: '2026-12-02T10:00:00.000Z',
  updatedBy: 'ada',
};

it('sends what the form holds, and fills the form from what the API sent', () => {
  expect(slaBody(slaValues(stored))).toEqual({
    name: 'Resolve high',
    kind: 'resolution',
    priorities: ['critical', 'high'],
    targetMinutes: 240,
    schedule: { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', timeZone: 'Europe/Berlin', holidays: ['2026-12-25'] },
    warnAtPercent: [50, 75],
    retroactive: true,
  });
  expect(slaBody({ ...slaValues(stored), hours: '24x7' }).schedule).toBe('24x7');
});

it('starts a new one on working days, 08:00 to 17:00 in the browser zone, warning at 50 and 75 %; sends what was typed for the API to judge', () => {
  const empty = emptySlaValues('Europe/Lisbon');
  expect(slaBody({ ...empty, name: ' Respond ', targetMinutes: 'soon', weekdays: [5, 1], holidays: '2026-12-24, 2026-12-31' })).toEqual({
    name: 'Respond',
    kind: 'resolution',
    priorities: [],
    targetMinutes: Number.NaN,
    schedule: { weekdays: [1, 5], start: '08:00', end: '17:00', timeZone: 'Europe/Lisbon', holidays: ['2026-12-24', '2026-12-31'] },
    warnAtPercent: [50, 75],
    retroactive: true,
  });
});

it('says a definition in a line', () => {
  expect(slaSummaryText(stored)).toBe('resolution within 240 min for critical, high, Mon Tue Wed Thu Fri 08:00–17:00 Europe/Berlin');
  expect(slaSummaryText({ ...stored, schedule: '24x7' })).toBe('resolution within 240 min for critical, high, round the clock');
});
