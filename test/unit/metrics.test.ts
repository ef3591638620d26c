/** Team metrics as pure rules (lib/domain/metrics.ts): what each change counts, once, and the summary worked out by hand. */
import { alertDelta, bucketOf, caseDelta, countVersions, headlineOf, percentileOf, slaDelta, summarize, tally, type AlertFacts, type CaseFacts, type MetricsDelta } from '../../lib/domain/metrics.js';
import { slaDefinitionWith, followCase, fireDue, type TaskSla } from '../../lib/domain/sla.js';

const D1 = '2026-11-30';
const D2 = '2026-12-01';

/** A record's versions as the stream delivers them, each counted with what was counted of it before. */
const casesChanges = (versions: CaseFacts[]) => countVersions(versions, caseDelta).deltas;
const alertChanges = (versions: AlertFacts[]) => countVersions(versions, alertDelta).deltas;
/** A case's next version: the changes, at a time, one version on. */
const next = (c: CaseFacts, at: string, change: Partial<CaseFacts>): CaseFacts => ({ ...c, ...change, updatedAt: at, version: c.version + 1 });

// Case a: tier1, high, from prometheus; assigned after 4 minutes, resolved after 2 hours, closed the next day.
const a1: CaseFacts = { createdAt: `${D1}T09:00:00.000Z`, updatedAt: `${D1}T09:00:00.000Z`, stage: 'new', queue: 'tier1', priority: 'high', source: 'prometheus', version: 1 };
const a2 = next(a1, `${D1}T09:04:00.000Z`, { assignee: 'ann', stage: 'in_progress' });
const a3 = next(a2, `${D1}T11:00:00.000Z`, { stage: 'resolved' });
const a4 = next(a3, `${D2}T08:00:00.000Z`, { stage: 'closed' });
// Case b: tier1, critical, from siem; assigned a day later; reassigned (not a first assignment), still in progress.
const b1: CaseFacts = { createdAt: `${D1}T10:00:00.000Z`, updatedAt: `${D1}T10:00:00.000Z`, stage: 'new', queue: 'tier1', priority: 'critical', source: 'siem', version: 1 };
const b2 = next(b1, `${D2}T10:00:00.000Z`, { assignee: 'ben', stage: 'in_progress' });
const b3 = next(b2, `${D2}T10:30:00.000Z`, { assignee: undefined });
const b4 = next(b3, `${D2}T11:00:00.000Z`, { assignee: 'ann' });
// Case c: made by hand in tier2, high, the next day; waiting.
const c1: CaseFacts = { createdAt: `${D2}T12:00:00.000Z`, updatedAt: `${D2}T12:00:00.000Z`, stage: 'new', queue: 'tier2', priority: 'high', version: 1 };

const alert = (source: string, createdAt: string): AlertFacts => ({ source, createdAt, version: 1 });
const converted = (x: AlertFacts, caseId = 'case_x'): AlertFacts => ({ ...x, caseId, version: x.version + 1 });

/** A response SLA of b (15 minutes) that breached at 10:15 on D1; one of a met at its assignment. */
function slaRuns() {
  const respond = slaDefinitionWith('respond', { name: 'Respond', kind: 'response', priorities: ['high', 'critical'], targetMinutes: 15, schedule: '24x7' });
  const bStarted = followCase([respond], [], { ...b1, proactive: false }, b1.createdAt);
  const bBreached = bStarted.map((t) => fireDue(t, `${D1}T10:15:00.000Z`));
  const aStarted = followCase([respond], [], { ...a1, proactive: false }, a1.createdAt);
  const aMet = followCase([respond], aStarted, { ...a2, proactive: false }, a2.updatedAt);
  return { b: [bStarted, bBreached] as TaskSla[][], a: [aStarted, aMet] as TaskSla[][] };
}

function fixture(): MetricsDelta[] {
  const sla = slaRuns();
  const prometheus = [alert('prometheus', `${D1}T08:59:00.000Z`), alert('prometheus', `${D1}T13:00:00.000Z`), alert('prometheus', `${D1}T14:00:00.000Z`)];
  const siem = [alert('siem', `${D1}T09:59:00.000Z`), alert('siem', `${D1}T15:00:00.000Z`), alert('siem', `${D2}T01:00:00.000Z`)];
  return [
    ...casesChanges([a1, a2, a3, a4]),
    ...casesChanges([b1, b2, b3, b4]),
    ...casesChanges([c1]),
    // One alert of each source is made a case; the prometheus one moves to another case later (converted once).
    ...alertChanges([prometheus[0], converted(prometheus[0]), converted(converted(prometheus[0]), 'case_y')]),
    ...alertChanges([siem[0], converted(siem[0])]),
    ...[prometheus[1], prometheus[2], siem[1], siem[2]].flatMap((x) => alertChanges([x])),
    slaDelta([], sla.b[0], { queue: 'tier1', priority: 'critical', source: 'siem' }),
    slaDelta(sla.b[0], sla.b[1], { queue: 'tier1', priority: 'critical', source: 'siem' }),
    slaDelta([], sla.a[0], { queue: 'tier1', priority: 'high', source: 'prometheus' }),
    slaDelta(sla.a[0], sla.a[1], { queue: 'tier1', priority: 'high', source: 'prometheus' }),
  ];
}

describe('the summary of a fixture, by hand', () => {
  const { days, backlog } = tally(fixture());

  it('counts cases, alerts, MTTA, MTTR, SLAs, backlog and conversion for both days', () => {
    expect(summarize(days, backlog, { from: D1, to: D2 })).toEqual({
      from: D1,
      to: D2,
      totals: { casesCreated: 3, casesResolved: 1, casesClosed: 1, alertsRaised: 6, alertsConverted: 2 },
      byDay: [
        // D1: a assigned after 240 s and resolved after 7,200 s; a's response SLA met, b's breached at 10:15.
        { date: D1, casesCreated: 2, casesResolved: 1, casesClosed: 0, alertsRaised: 5, alertsConverted: 2, mttaMeanSeconds: 240, mttrMeanSeconds: 7_200, slaAchieved: 1, slaBreached: 1, slaPercent: 50 },
        // D2: b first assigned after a day; a closed (already counted in MTTR); no SLA ended.
        { date: D2, casesCreated: 1, casesResolved: 0, casesClosed: 1, alertsRaised: 1, alertsConverted: 0, mttaMeanSeconds: 86_400, mttrMeanSeconds: null, slaAchieved: 0, slaBreached: 0, slaPercent: null },
      ],
      // a after 240 s, b after 86,400 s (its reassignment is not a first one). The median is the first of two: in the 60-300 s bucket, read at its top.
      mtta: { count: 2, meanSeconds: 43_320, p50Seconds: 300 },
      // a alone, resolved after 7,200 s and then closed: counted once. Half a sample into the 3,600-7,200 s bucket.
      mttr: { count: 1, meanSeconds: 7_200, p50Seconds: 5_400 },
      sla: { response: { achieved: 1, breached: 1, percent: 50 }, resolution: { achieved: 0, breached: 0, percent: null } },
      backlog: [
        { queue: 'tier1', priority: 'critical', stage: 'in_progress', count: 1 },
        { queue: 'tier2', priority: 'high', stage: 'new', count: 1 },
      ],
      conversion: [
        { source: 'prometheus', raised: 3, converted: 1, rate: 0.333 },
        { source: 'siem', raised: 3, converted: 1, rate: 0.333 },
      ],
    });
  });

  it('filters cases by queue and priority, alerts only by source, and leaves days with nothing at zero', () => {
    const tier1 = summarize(days, backlog, { from: D1, to: D2, queue: 'tier1' });
    expect([tier1.totals, tier1.mtta.count, tier1.backlog]).toEqual([
      { casesCreated: 2, casesResolved: 1, casesClosed: 1, alertsRaised: 6, alertsConverted: 2 },
      2,
      [{ queue: 'tier1', priority: 'critical', stage: 'in_progress', count: 1 }],
    ]);
    const high = summarize(days, backlog, { from: D1, to: D2, priority: 'high' });
    expect([high.totals.casesCreated, high.sla.response, high.mttr.count]).toEqual([2, { achieved: 1, breached: 0, percent: 100 }, 1]);
    const siem = summarize(days, backlog, { from: D1, to: D2, source: 'siem' });
    expect([siem.totals, siem.conversion]).toEqual([
      { casesCreated: 1, casesResolved: 0, casesClosed: 0, alertsRaised: 3, alertsConverted: 1 },
      [{ source: 'siem', raised: 3, converted: 1, rate: 0.333 }],
    ]);
    const before = summarize(days, backlog, { from: '2026-11-28', to: '2026-11-29' });
    expect([before.byDay.map((d) => d.date), before.totals.casesCreated, before.mtta]).toEqual([['2026-11-28', '2026-11-29'], 0, { count: 0, meanSeconds: null, p50Seconds: null }]);
  });
});

describe('counting each thing once', () => {
  it('counts a first assignment and a first settling once, however often reassigned or reopened', () => {
    const reopened = next(a3, `${D1}T12:00:00.000Z`, { stage: 'in_progress' });
    const again = next(reopened, `${D1}T13:00:00.000Z`, { stage: 'resolved' });
    const { days } = tally(casesChanges([a1, a2, a3, reopened, again]));
    const s = summarize(days, [], { from: D1, to: D1 });
    // Resolved twice (each resolution is one), but one MTTR and one MTTA.
    expect([s.totals.casesResolved, s.mttr.count, s.mtta.count]).toEqual([2, 1, 1]);
  });

  it('moves the backlog with each change of queue, priority or stage, and out of it when resolved', () => {
    const moved = next(b1, `${D1}T10:05:00.000Z`, { queue: 'tier2', priority: 'high' });
    const resolved = next(moved, `${D1}T10:06:00.000Z`, { stage: 'resolved' });
    expect(tally(casesChanges([b1, moved])).backlog).toEqual([{ queue: 'tier2', priority: 'high', stage: 'new', count: 1 }]);
    expect(tally(casesChanges([b1, moved, resolved])).backlog).toEqual([]);
    // A change that leaves the bucket as it was moves nothing.
    expect(caseDelta(b1, next(b1, `${D1}T10:07:00.000Z`, { assignee: 'ann' }), undefined).delta.backlog).toEqual([]);
  });

  it('counts an alert converted once, on the day it was raised', () => {
    const raised = alert('nagios', `${D1}T23:59:00.000Z`);
    const deltas = alertChanges([raised, converted(raised), { ...raised, version: 3 }, converted({ ...raised, version: 3 })]);
    const { days } = tally(deltas);
    expect(days.map((d) => d.day)).toEqual([D1]);
    expect(summarize(days, [], { from: D1, to: D2 }).conversion).toEqual([{ source: 'nagios', raised: 1, converted: 1, rate: 1 }]);
  });

  it('counts an SLA once: breached when it breaches, not again when it completes late', () => {
    const { b } = slaRuns();
    const dims = { queue: 'tier1', priority: 'critical', source: 'siem' };
    const late = followCase([slaDefinitionWith('respond', { name: 'Respond', kind: 'response', priorities: ['critical'], targetMinutes: 15, schedule: '24x7' })], b[1], { ...b2, proactive: false }, b2.updatedAt);
    expect(late[0].stage).toBe('completed');
    const s = summarize(tally([slaDelta([], b[0], dims), slaDelta(b[0], b[1], dims), slaDelta(b[1], late, dims), slaDelta(late, late, dims)]).days, [], { from: D1, to: D2 });
    expect(s.sla.response).toEqual({ achieved: 0, breached: 1, percent: 0 });
  });
});

it('puts durations in fixed buckets and reads percentiles within them', () => {
  expect([0, 60, 61, 300, 604_800, 604_801].map(bucketOf)).toEqual([0, 0, 1, 1, 10, 11]);
  expect(percentileOf([0, 0, 0], 50)).toBeNull();
  // Four samples in 60-300 s: the median is half way into the bucket.
  expect(percentileOf([0, 4], 50)).toBe(180);
  // Past the last bound, the percentile is that bound (a week).
  expect(percentileOf([...Array(11).fill(0), 3], 50)).toBe(604_800);
});

it("gives CloudWatch the fixture's headline figures: counts, and each first assignment's and resolution's seconds", () => {
  expect(headlineOf(fixture())).toEqual({
    casesCreated: 3,
    casesResolved: 1,
    casesClosed: 1,
    alertsRaised: 6,
    alertsConverted: 2,
    slaAchieved: 1,
    slaBreached: 1,
    // a after 240 s, b after a day; a resolved after 2 h (its close is not a second resolution).
    toAssign: [240, 86_400],
    toResolve: [7_200],
  });
});
