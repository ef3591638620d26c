/** The inbox and the team's waiting work in people's words, and a queue's form as the body its PUT takes (web/src/inbox-text.ts, web/src/queue-settings.ts). */
import { capacityText, countdownLabel, countdownText, durationText, isReasonCode, secondsLeft, slaChip, waitText } from '../../web/src/inbox-text.js';
import { emptyQueueValues, queueBody, queueValues } from '../../web/src/queue-settings.js';

const now = Date.parse('2026-12-02T10:00:00.000Z');
const inSeconds = (s: number) => new Date(now + s * 1000).toISOString();

it('counts an offer down as minutes and seconds, hours past an hour, and says when it ran out', () => {
  expect([102, 60, 9, 3725, 0, -5].map((s) => countdownText(inSeconds(s), now))).toEqual(['1:42 left', '1:00 left', '0:09 left', '1:02:05 left', 'expired', 'expired']);
  // Part of a second left is a second left: never "expired" while the API still takes an answer.
  expect(countdownText(new Date(now + 400).toISOString(), now)).toBe('0:01 left');
  expect(secondsLeft('not a time', now)).toBe(0);
});

it('reads the countdown out in words for a screen reader', () => {
  expect([102, 60, 1, 3725, 0].map((s) => countdownLabel(inSeconds(s), now))).toEqual([
    '1 minute 42 seconds left to answer',
    '1 minute left to answer',
    '1 second left to answer',
    '1 hour 2 minutes 5 seconds left to answer',
    'The offer has expired',
  ]);
});

it('says how long a case has waited, and how much of an agent is in use', () => {
  expect([0, 45, 60, 199, 3600, 7500, 86_400, 3 * 86_400 + 5].map(waitText)).toEqual([
    'waiting 0 s',
    'waiting 45 s',
    'waiting 1 min',
    'waiting 3 min',
    'waiting 1 h',
    'waiting 2 h 5 min',
    'waiting 1 day',
    'waiting 3 days',
  ]);
  expect(capacityText(1, 2)).toBe('1 of 2 in use');
  expect([90, 120, 5400, 3600].map(durationText)).toEqual(['90 s', '2 min', '1 h 30 min', '1 h']);
});

it('takes a typed reject reason only as a code the API takes', () => {
  expect(['busy', 'not_my_area', 'skill:db', 'A-1'].every(isReasonCode)).toBe(true);
  expect(['', 'not my area', '_busy', 'x'.repeat(65), 'ça'].some(isReasonCode)).toBe(false);
});

it("sends a queue's whole form: every setting and the members, so a PUT replaces nothing by default unasked", () => {
  const queue = {
    queueId: 'tier1',
    members: ['ann', 'ben'],
    assignment: 'offer' as const,
    strategy: 'round_robin' as const,
    offerTimeoutSeconds: 60,
    targetWaitSeconds: 300,
    rejectReasons: [{ code: 'skills', label: 'Not my area', reassignable: false }],
    onTimeout: 'offline' as const,
  };
  // Unchanged, the form sends back what the queue has.
  const { queueId: _id, ...settings } = queue;
  expect(queueBody(queueValues(queue))).toEqual(settings);
  // Members as typed (commas, spaces, twice), no target wait, a reason row as typed.
  const typed = { ...queueValues(queue), members: 'ann, ben  carl,ann', targetWaitSeconds: '', rejectReasons: [{ code: ' busy ', label: ' Busy now ', reassignable: true }] };
  expect(queueBody(typed)).toEqual({
    members: ['ann', 'ben', 'carl'],
    assignment: 'offer',
    strategy: 'round_robin',
    offerTimeoutSeconds: 60,
    rejectReasons: [{ code: 'busy', label: 'Busy now', reassignable: true }],
    onTimeout: 'offline',
  });
  // A new queue: the API's defaults, spelled out.
  expect(queueBody(emptyQueueValues())).toEqual({ members: [], assignment: 'manual', strategy: 'most_capacity', offerTimeoutSeconds: 120, rejectReasons: [], onTimeout: 'away' });
});

it('shows an SLA as time left, paused, breached or met; amber after a warning, red once breached; a cancelled one not at all', () => {

  const sla = { name: 'Resolve high', stage: 'in_progress', breachAt: '2026-12-02T12:10:30.000Z', warned: false, hasBreached: false };
  expect(slaChip(sla, now)).toEqual({ text: 'Resolve high: 2 h 11 min left', tone: 'ok' });
  expect(slaChip({ ...sla, breachAt: '2026-12-02T10:05:00.000Z', warned: true }, now)).toEqual({ text: 'Resolve high: 5 min left, warned', tone: 'warned' });
  // Past its breach by the clock before the sweep has recorded it: breached already.
  expect(slaChip({ ...sla, breachAt: '2026-12-02T09:59:59.000Z' }, now)).toEqual({ text: 'Resolve high: breached', tone: 'breached' });
  expect(slaChip({ ...sla, warned: true, hasBreached: true }, now)).toEqual({ text: 'Resolve high: breached', tone: 'breached' });
  expect(slaChip({ ...sla, stage: 'paused' }, now)).toEqual({ text: 'Resolve high: paused', tone: 'ok' });
  expect(slaChip({ ...sla, stage: 'paused', warned: true, hasBreached: true }, now)).toEqual({ text: 'Resolve high: paused, breached', tone: 'breached' });
  expect(slaChip({ ...sla, stage: 'completed', hasBreached: true }, now)).toEqual({ text: 'Resolve high: met late', tone: 'breached' });
  expect(slaChip({ ...sla, stage: 'cancelled' }, now)).toBeUndefined();
});
