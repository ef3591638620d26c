/** The rules of service levels (lib/domain/sla.ts): when a case's SLA starts, pauses, completes, warns and breaches. */
import type { BusinessHours } from '../../lib/domain/business-time.js';
import { breachWindow, fireDue, followCase, listedBreach, newFirings, nextDueAt, slaDefinitionWith, slaSummary, taskSlaView, type SlaCase, type SlaDefinition, type TaskSla } from '../../lib/domain/sla.js';

const berlin: BusinessHours = { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', timeZone: 'Europe/Berlin' };
const at = (text: string) => new Date(text).toISOString();
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

const definition = (over: Partial<SlaDefinition> = {}): SlaDefinition =>
  slaDefinitionWith(over.slaId ?? 'resolve-critical', { name: 'Resolve critical', kind: 'resolution', priorities: ['critical'], targetMinutes: 60, schedule: '24x7', ...over });
const kase = (over: Partial<SlaCase> = {}): SlaCase => ({ priority: 'critical', stage: 'new', proactive: false, createdAt: '2026-11-30T09:00:00.000Z', ...over });
const only = (tasks: TaskSla[]) => {
  expect(tasks).toHaveLength(1);
  return tasks[0];
};

describe('starting', () => {
  it('starts one SLA per definition the case falls under, counting from its creation', () => {
    const defs = [definition(), definition({ slaId: 'respond', kind: 'response', targetMinutes: 15 }), definition({ slaId: 'low', priorities: ['low'] })];
    const tasks = followCase(defs, [], kase(), kase().createdAt);
    expect(tasks.map((t) => [t.slaId, t.stage, t.breachAt])).toEqual([
      ['resolve-critical', 'in_progress', '2026-11-30T10:00:00.000Z'],
      ['respond', 'in_progress', '2026-11-30T09:15:00.000Z'],
    ]);
  });

  it('in business hours: created Friday 16:00, 4 h target → breach Monday 11:00', () => {
    const task = only(followCase([definition({ targetMinutes: 240, schedule: berlin })], [], kase({ createdAt: at('2026-11-27T16:00:00+01:00') }), at('2026-11-27T16:00:00+01:00')));
    expect(task.breachAt).toBe(at('2026-11-30T11:00:00+01:00'));
  });

  it('retroactive: a case raised from low to critical after 3 h with a 1 h target is born breached: the breach alone, no warnings', () => {
    const created = '2026-11-30T09:00:00.000Z';
    const change = plus(created, 180);
    const low = followCase([definition()], [], kase({ priority: 'low', createdAt: created }), created);
    expect(low).toEqual([]);
    const task = only(followCase([definition()], low, kase({ createdAt: created }), change));
    expect(task.hasBreached).toBe(true);
    expect(task.fired).toEqual([{ percent: 100, dueAt: plus(created, 60), at: change }]);
    expect(task.passed).toEqual([50, 75]);
    expect(newFirings(low, [task]).map((f) => f.firing.percent)).toEqual([100]);
    // Nothing is left to fire.
    expect(nextDueAt(task)).toBeUndefined();
    expect(fireDue(task, plus(change, 60))).toBe(task);
  });

  it('retroactive past a warning but not the breach: the warning is passed, not fired, and the SLA shows as warned', () => {
    const created = '2026-11-30T09:00:00.000Z';
    const task = only(followCase([definition()], [], kase({ createdAt: created }), plus(created, 40)));
    expect([task.passed, task.fired, task.hasBreached]).toEqual([[50], [], false]);
    expect([slaSummary(task).warned, taskSlaView(task, plus(created, 40)).warned]).toEqual([true, true]);
    expect(slaSummary(only(followCase([definition()], [], kase({ createdAt: created }), plus(created, 20)))).warned).toBe(false);
  });

  it('lists a case by the nearest breach of its SLAs on the clock: running, or paused once breached', () => {
    const slas = [
      { stage: 'in_progress', breachAt: '2026-11-30T12:00:00.000Z', hasBreached: false },
      { stage: 'paused', breachAt: '2026-11-30T10:00:00.000Z', hasBreached: false },
      { stage: 'completed', breachAt: '2026-11-30T09:00:00.000Z', hasBreached: true },
    ] as const;
    expect(listedBreach(slas)).toBe('2026-11-30T12:00:00.000Z');
    expect(listedBreach([...slas, { stage: 'paused', breachAt: '2026-11-30T11:00:00.000Z', hasBreached: true }])).toBe('2026-11-30T11:00:00.000Z');
    expect(listedBreach(slas.slice(1))).toBeUndefined();
  });

  it('reads the SLA filters of a case list as a window of breach times', () => {
    const now = '2026-11-30T12:00:00.000Z';
    expect(breachWindow({ slaBreached: true }, now)).toEqual({ through: now });
    expect(breachWindow({ slaBreached: false, slaDueBefore: '2026-11-30T13:00:00.000Z' }, now)).toEqual({ after: now, before: '2026-11-30T13:00:00.000Z' });
    expect(breachWindow({ slaDueBefore: '2026-11-30T13:00:00.000Z' }, now)).toEqual({ before: '2026-11-30T13:00:00.000Z' });
  });

  it('not retroactive: the clock starts at the change', () => {
    const created = '2026-11-30T09:00:00.000Z';
    const change = plus(created, 180);
    const task = only(followCase([definition({ retroactive: false })], [], kase({ createdAt: created }), change));
    expect([task.startedAt, task.breachAt, task.hasBreached, task.fired]).toEqual([change, plus(change, 60), false, []]);
  });

  it('an SLA the case already meets starts completed, and fires nothing', () => {
    const task = only(followCase([definition({ kind: 'response' })], [], kase({ assignee: 'ada', createdAt: '2026-11-30T06:00:00.000Z' }), '2026-11-30T09:00:00.000Z'));
    expect([task.stage, task.fired, task.hasBreached]).toEqual(['completed', [], false]);
  });

  it('a settled or cancelled case starts none', () => {
    for (const stage of ['resolved', 'closed', 'cancelled'] as const) expect(followCase([definition()], [], kase({ stage }), kase().createdAt)).toEqual([]);
  });
});

describe('pausing', () => {
  const start = at('2026-11-30T09:00:00+01:00');
  const running = () => only(followCase([definition({ targetMinutes: 240, schedule: berlin })], [], kase({ createdAt: start }), start));

  it('30 minutes in awaiting_info during business hours move the breach 30 minutes', () => {
    const task = running();
    const paused = only(followCase([definition({ targetMinutes: 240, schedule: berlin })], [task], kase({ createdAt: start, stage: 'awaiting_info' }), at('2026-11-30T10:00:00+01:00')));
    expect([paused.stage, nextDueAt(paused)]).toEqual(['paused', undefined]);
    const resumed = only(followCase([definition({ targetMinutes: 240, schedule: berlin })], [paused], kase({ createdAt: start, stage: 'in_progress' }), at('2026-11-30T10:30:00+01:00')));
    expect([resumed.stage, resumed.pausedSeconds, resumed.breachAt]).toEqual(['in_progress', 1800, plus(task.breachAt, 30)]);
    expect(taskSlaView(resumed, at('2026-11-30T11:00:00+01:00'))).toMatchObject({ elapsedSeconds: 5400, pausedSeconds: 1800, elapsedPercent: 37.5 });
  });

  it('a pause outside business hours moves it by nothing', () => {
    const defs = [definition({ targetMinutes: 600, schedule: berlin })];
    const task = only(followCase(defs, [], kase({ createdAt: start }), start));
    const paused = only(followCase(defs, [task], kase({ createdAt: start, stage: 'awaiting_info' }), at('2026-11-30T18:00:00+01:00')));
    const resumed = only(followCase(defs, [paused], kase({ createdAt: start, stage: 'in_progress' }), at('2026-11-30T19:00:00+01:00')));
    expect([resumed.pausedSeconds, resumed.breachAt]).toEqual([0, task.breachAt]);
  });
});

describe('completing and cancelling', () => {
  const created = '2026-11-30T09:00:00.000Z';
  const respond = definition({ slaId: 'respond', kind: 'response', targetMinutes: 15 });
  const started = () => only(followCase([respond], [], kase({ createdAt: created }), created));

  it('a response completes on an assignee, or on leaving new', () => {
    expect(only(followCase([respond], [started()], kase({ createdAt: created, assignee: 'ada' }), plus(created, 5))).stage).toBe('completed');
    expect(only(followCase([respond], [started()], kase({ createdAt: created, stage: 'in_progress' }), plus(created, 5))).stage).toBe('completed');
  });

  it('a resolution completes on resolved or closed; either is cancelled with the case or when it stops applying', () => {
    const resolution = () => only(followCase([definition()], [], kase({ createdAt: created }), created));
    expect(only(followCase([definition()], [resolution()], kase({ createdAt: created, stage: 'resolved' }), plus(created, 5))).stage).toBe('completed');
    expect(only(followCase([definition()], [resolution()], kase({ createdAt: created, stage: 'cancelled' }), plus(created, 5))).stage).toBe('cancelled');
    expect(only(followCase([definition()], [resolution()], kase({ createdAt: created, priority: 'low' }), plus(created, 5))).stage).toBe('cancelled');
  });

  it('one completed a second before its breach is not breached by a sweep after it', () => {
    const done = only(followCase([respond], [started()], kase({ createdAt: created, assignee: 'ada' }), plus(created, 15 - 1 / 60)));
    expect(fireDue(done, plus(created, 16))).toBe(done);
    expect(done.hasBreached).toBe(false);
  });
});

describe('firing', () => {
  const created = '2026-11-30T09:00:00.000Z';
  const task = () => only(followCase([definition()], [], kase({ createdAt: created }), created));

  it('fires each threshold once, in order, when due and not before', () => {
    const t = task();
    expect(nextDueAt(t)).toBe(plus(created, 30));
    expect(fireDue(t, plus(created, 29))).toBe(t);
    const warned = fireDue(t, plus(created, 31));
    expect(warned.fired.map((f) => f.percent)).toEqual([50]);
    // A sweep run again over the same state fires nothing more.
    expect(fireDue(warned, plus(created, 31))).toBe(warned);
    expect(nextDueAt(warned)).toBe(plus(created, 45));
    // A late sweep fires the warning it missed and the breach, warning first.
    const late = fireDue(warned, plus(created, 70));
    expect(late.fired.map((f) => [f.percent, f.dueAt])).toEqual([
      [50, plus(created, 30)],
      [75, plus(created, 45)],
      [100, plus(created, 60)],
    ]);
    expect([late.hasBreached, nextDueAt(late)]).toEqual([true, undefined]);
    expect(newFirings([warned], [late]).map((f) => f.firing.percent)).toEqual([75, 100]);
  });
});
