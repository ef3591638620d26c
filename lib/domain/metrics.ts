/**
 * Team metrics (SPEC §2 "Team metrics") as pure rules: what each change of a
 * case, an alert or a case's SLAs adds to the counters, and the summary a
 * manager reads from them. Counters are kept per UTC day × queue × priority
 * × source (a *cell*), plus the backlog now (open cases by queue × priority
 * × stage). What a change adds depends on what was counted of its record
 * before (`CaseCounted`, `AlertCounted`): the first assignment and the first
 * settling are counted once however often a case is reassigned or reopened,
 * and an alert is converted once however often it moves between cases.
 *
 * - Cases are counted on the day of the event: created on the day made,
 *   resolved and closed on the day they were, MTTA (creation → first
 *   assignee) on the day of the assignment, MTTR (creation → first resolved
 *   or closed: a case resolved then closed counts once) on that day.
 * - Alerts are counted by the day they were raised (a cohort): raised, and
 *   converted (made into a case or attached to one, once), so a day's
 *   conversion rate is a share of that day's alerts, between 0 and 1.
 * - An SLA counts once: breached on the day it breached, achieved on the day
 *   it completed without a breach (one that starts met is achieved then).
 * - The backlog is the cases not yet resolved: `new`, `in_progress`,
 *   `awaiting_info`, moved by each change of queue, priority or stage.
 */
import type { Alert } from './alert.js';
import type { StoredCase } from './case.js';
import { PRIORITIES } from './priority.js';
import { SLA_KINDS, type SlaKind, type TaskSla } from './sla.js';
import type { Stage } from './stage-transitions.js';

/**
 * Upper bounds (seconds) of the duration histogram's buckets; one more
 * bucket holds what is longer. Fixed, so that counters of any days add up.
 */
export const DURATION_BOUNDS = [60, 300, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 86_400, 259_200, 604_800] as const;
export const DURATION_BUCKETS = DURATION_BOUNDS.length + 1;

/** The counters of a cell, each a number the stream adds to. */
export const COUNTERS = [
  'casesCreated',
  'casesResolved',
  'casesClosed',
  'alertsRaised',
  'alertsConverted',
  'mttaCount',
  'mttaSeconds',
  'mttrCount',
  'mttrSeconds',
  'slaResponseAchieved',
  'slaResponseBreached',
  'slaResolutionAchieved',
  'slaResolutionBreached',
  ...Array.from({ length: DURATION_BUCKETS }, (_, i) => `mtta${i}` as const),
  ...Array.from({ length: DURATION_BUCKETS }, (_, i) => `mttr${i}` as const),
] as const;
export type Counter = (typeof COUNTERS)[number];

/** Where a count goes: a UTC day, and the case's queue, priority and source ('' where it has none). */
export interface Cell {
  day: string;
  queue: string;
  priority: string;
  source: string;
}

/** One counter of one cell moved by `by`. */
export interface Increment {
  cell: Cell;
  counter: Counter;
  by: number;
}

/** A backlog bucket (open cases of a queue, priority and stage) moved by `by`. */
export interface BacklogMove {
  queue: string;
  priority: string;
  stage: Stage;
  by: number;
}

/** What a change adds: counter increments and backlog moves (none: nothing to count). */
export interface MetricsDelta {
  increments: Increment[];
  backlog: BacklogMove[];
}

/** What was counted of a case so far, beside the version last counted. */
export interface CaseCounted {
  version: number;
  /** Its first assignment is counted (MTTA). */
  assigned: boolean;
  /** Its first resolution or closing is counted (MTTR). */
  settled: boolean;
}

/** What was counted of an alert so far. */
export interface AlertCounted {
  version: number;
  converted: boolean;
}

/** What of a case the metrics read: its dimensions, stage, assignee and times. `source` is its origin alert's. */
export type CaseFacts = Pick<StoredCase, 'createdAt' | 'updatedAt' | 'stage' | 'queue' | 'priority' | 'assignee' | 'source' | 'version'>;

const OPEN_STAGES: ReadonlySet<string> = new Set<Stage>(['new', 'in_progress', 'awaiting_info']);
const SETTLED_STAGES: ReadonlySet<string> = new Set<Stage>(['resolved', 'closed']);

/** The UTC day of an instant. */
export const dayOf = (iso: string) => new Date(iso).toISOString().slice(0, 10);

/** The whole seconds from one instant to another (0 when not after). */
const secondsBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** The histogram bucket a duration falls in. */
export function bucketOf(seconds: number): number {
  const i = DURATION_BOUNDS.findIndex((bound) => seconds <= bound);
  return i < 0 ? DURATION_BOUNDS.length : i;
}

const cellOf = (c: CaseFacts, at: string): Cell => ({ day: dayOf(at), queue: c.queue ?? '', priority: c.priority, source: c.source ?? '' });

/** A duration's increments: its count, its seconds and its bucket. */
function duration(name: 'mtta' | 'mttr', cell: Cell, seconds: number): Increment[] {
  return [
    { cell, counter: `${name}Count`, by: 1 },
    { cell, counter: `${name}Seconds`, by: seconds },
    { cell, counter: `${name}${bucketOf(seconds)}` as Counter, by: 1 },
  ];
}

function backlogOf(c: CaseFacts | undefined, by: number): BacklogMove[] {
  return c && OPEN_STAGES.has(c.stage) ? [{ queue: c.queue ?? '', priority: c.priority, stage: c.stage, by }] : [];
}

/** Moves between two backlog positions, none when the case stays in the same bucket. */
function backlogMoves(before: CaseFacts | undefined, after: CaseFacts): BacklogMove[] {
  const [from, to] = [backlogOf(before, -1), backlogOf(after, 1)];
  if (from.length && to.length && from[0].queue === to[0].queue && from[0].priority === to[0].priority && from[0].stage === to[0].stage) return [];
  return [...from, ...to];
}

/** What a change of a case adds, given what was counted of it (none yet: a new case, or one changed before metrics were kept), and what is counted after. */
export function caseDelta(before: CaseFacts | undefined, after: CaseFacts, counted: CaseCounted | undefined): { delta: MetricsDelta; counted: CaseCounted } {
  // Nothing counted of a case changed before metrics were kept: what it already was counts as counted (a rebuild from history counts it all).
  const was = counted ?? { version: 0, assigned: before?.assignee !== undefined, settled: before !== undefined && SETTLED_STAGES.has(before.stage) };
  const at = after.updatedAt;
  const increments: Increment[] = [];
  if (!before) increments.push({ cell: cellOf(after, after.createdAt), counter: 'casesCreated', by: 1 });
  const cell = cellOf(after, at);
  if (after.stage === 'resolved' && before?.stage !== 'resolved') increments.push({ cell, counter: 'casesResolved', by: 1 });
  if (after.stage === 'closed' && before?.stage !== 'closed') increments.push({ cell, counter: 'casesClosed', by: 1 });
  const assigned = was.assigned || after.assignee !== undefined;
  if (!was.assigned && assigned) increments.push(...duration('mtta', cell, secondsBetween(after.createdAt, at)));
  const settled = was.settled || SETTLED_STAGES.has(after.stage);
  if (!was.settled && settled) increments.push(...duration('mttr', cell, secondsBetween(after.createdAt, at)));
  return { delta: { increments, backlog: backlogMoves(before, after) }, counted: { version: after.version, assigned, settled } };
}

/** What of an alert the metrics read. */
export type AlertFacts = Pick<Alert, 'source' | 'caseId' | 'createdAt' | 'version'>;

/** What a change of an alert adds: raised when new, converted the first time it is in a case; both on the day it was raised. */
export function alertDelta(before: AlertFacts | undefined, after: AlertFacts, counted: AlertCounted | undefined): { delta: MetricsDelta; counted: AlertCounted } {
  const was = counted ?? { version: 0, converted: before?.caseId !== undefined };
  const cell: Cell = { day: dayOf(after.createdAt), queue: '', priority: '', source: after.source };
  const increments: Increment[] = [];
  if (!before) increments.push({ cell, counter: 'alertsRaised', by: 1 });
  const converted = was.converted || after.caseId !== undefined;
  if (!was.converted && converted) increments.push({ cell, counter: 'alertsConverted', by: 1 });
  return { delta: { increments, backlog: [] }, counted: { version: after.version, converted } };
}

const SLA_COUNTERS: Record<SlaKind, { achieved: Counter; breached: Counter }> = {
  response: { achieved: 'slaResponseAchieved', breached: 'slaResponseBreached' },
  resolution: { achieved: 'slaResolutionAchieved', breached: 'slaResolutionBreached' },
};

/**
 * What a change of a case's SLAs adds (`dims`: the case's queue, priority
 * and source): each SLA run that breached in it, on the day it breached;
 * each that completed in it without a breach, on the day it completed.
 */
export function slaDelta(before: readonly TaskSla[], after: readonly TaskSla[], dims: Omit<Cell, 'day'>): MetricsDelta {
  const runOf = (t: TaskSla) => `${t.slaId}|${t.startedAt}`;
  const was = new Map(before.map((t) => [runOf(t), t]));
  const increments: Increment[] = [];
  for (const task of after) {
    const prior = was.get(runOf(task));
    if (task.hasBreached && !prior?.hasBreached) {
      const breach = task.fired.find((f) => f.percent === 100);
      increments.push({ cell: { ...dims, day: dayOf(breach?.at ?? task.breachAt) }, counter: SLA_COUNTERS[task.kind].breached, by: 1 });
    } else if (task.stage === 'completed' && !task.hasBreached && prior?.stage !== 'completed') {
      increments.push({ cell: { ...dims, day: dayOf(task.endedAt ?? task.startedAt) }, counter: SLA_COUNTERS[task.kind].achieved, by: 1 });
    }
  }
  return { increments, backlog: [] };
}

/** A day's counters as stored: each cell's counters that are not zero. */
export interface DayCounters {
  day: string;
  cells: { cell: Omit<Cell, 'day'>; counts: Partial<Record<Counter, number>> }[];
}

/** The backlog as stored: each bucket's open cases. */
export type Backlog = Omit<BacklogMove, 'by'> & { count: number };

/**
 * Counters and backlog as the deltas of many changes add up (what the stream
 * keeps, and what a rebuild from history recomputes).
 */
export function tally(deltas: Iterable<MetricsDelta>): { days: DayCounters[]; backlog: Backlog[] } {
  const days = new Map<string, Map<string, DayCounters['cells'][number]>>();
  const backlog = new Map<string, Backlog>();
  for (const { increments, backlog: moves } of deltas) {
    for (const { cell: { day, ...cell }, counter, by } of increments) {
      const cells = days.get(day) ?? new Map();
      days.set(day, cells);
      const key = JSON.stringify([cell.queue, cell.priority, cell.source]);
      const found = cells.get(key) ?? { cell, counts: {} };
      cells.set(key, found);
      found.counts[counter] = (found.counts[counter] ?? 0) + by;
    }
    for (const { by, ...bucket } of moves) {
      const key = JSON.stringify([bucket.queue, bucket.priority, bucket.stage]);
      backlog.set(key, { ...bucket, count: (backlog.get(key)?.count ?? 0) + by });
    }
  }
  return {
    days: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, cells]) => ({ day, cells: [...cells.values()] })),
    backlog: [...backlog.values()].filter((b) => b.count !== 0),
  };
}

/** What a summary is asked for: inclusive UTC days, and the optional filters. */
export interface SummaryQuery {
  from: string;
  to: string;
  queue?: string;
  priority?: string;
  source?: string;
}

const TOTALS = ['casesCreated', 'casesResolved', 'casesClosed', 'alertsRaised', 'alertsConverted'] as const;
type Totals = Record<(typeof TOTALS)[number], number>;
/** Counters of alerts: kept by source alone, so the queue and priority filters leave them be. */
const ALERT_COUNTERS: ReadonlySet<Counter> = new Set<Counter>(['alertsRaised', 'alertsConverted']);

/** The UTC day `n` days before `day` (after it when `n` is negative). */
export const daysBefore = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** Every UTC day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * The p-th percentile of a histogram, read within its bucket linearly (the
 * bucket past the last bound is read as its lower bound); null when empty.
 */
export function percentileOf(buckets: readonly number[], p: number): number | null {
  const count = buckets.reduce((a, b) => a + b, 0);
  if (count === 0) return null;
  const rank = (p / 100) * count;
  let below = 0;
  for (const [i, n] of buckets.entries()) {
    if (n > 0 && below + n >= rank) {
      const lower = i === 0 ? 0 : DURATION_BOUNDS[i - 1];
      if (i >= DURATION_BOUNDS.length) return lower;
      return Math.round(lower + ((DURATION_BOUNDS[i] - lower) * (rank - below)) / n);
    }
    below += n;
  }
  return DURATION_BOUNDS[DURATION_BOUNDS.length - 1];
}

/** Highest priority first. */
const rank = (priority: string) => (PRIORITIES as readonly string[]).indexOf(priority);

const share = (part: number, whole: number, scale: number) => (whole === 0 ? null : Math.round((part / whole) * scale * 1000) / 1000);

/** The summary (SPEC §4 `GET /metrics/summary`) of the days' counters and the backlog, as filtered. */
export function summarize(days: readonly DayCounters[], backlog: readonly Backlog[], q: SummaryQuery) {
  const matches = (cell: Omit<Cell, 'day'>, counter: Counter) =>
    (q.source === undefined || cell.source === q.source) &&
    (ALERT_COUNTERS.has(counter) || ((q.queue === undefined || cell.queue === q.queue) && (q.priority === undefined || cell.priority === q.priority)));
  const all = new Map<Counter, number>();
  const bySource = new Map<string, { raised: number; converted: number }>();
  const byDay = new Map(daysBetween(q.from, q.to).map((date) => [date, new Map<Counter, number>()]));
  for (const { day, cells } of days) {
    const ofDay = byDay.get(day);
    if (!ofDay) continue;
    for (const { cell, counts } of cells) {
      for (const [counter, n] of Object.entries(counts) as [Counter, number][]) {
        if (!n || !matches(cell, counter)) continue;
        all.set(counter, (all.get(counter) ?? 0) + n);
        ofDay.set(counter, (ofDay.get(counter) ?? 0) + n);
        if (ALERT_COUNTERS.has(counter)) {
          const s = bySource.get(cell.source) ?? { raised: 0, converted: 0 };
          if (counter === 'alertsRaised') s.raised += n;
          else s.converted += n;
          bySource.set(cell.source, s);
        }
      }
    }
  }
  const get = (counter: Counter) => all.get(counter) ?? 0;
  const meanOf = (name: 'mtta' | 'mttr', of: (counter: Counter) => number) => {
    const count = of(`${name}Count`);
    return count === 0 ? null : Math.round(of(`${name}Seconds`) / count);
  };
  const durationOf = (name: 'mtta' | 'mttr') => {
    const buckets = Array.from({ length: DURATION_BUCKETS }, (_, i) => get(`${name}${i}` as Counter));
    return { count: get(`${name}Count`), meanSeconds: meanOf(name, get), p50Seconds: percentileOf(buckets, 50) };
  };
  /** A day's totals, its MTTA and MTTR means and its SLA compliance (both kinds). */
  const dayOfSummary = (date: string, ofDay: Map<Counter, number>) => {
    const of = (counter: Counter) => ofDay.get(counter) ?? 0;
    const sum = (pick: 'achieved' | 'breached') => SLA_KINDS.reduce((n, kind) => n + of(SLA_COUNTERS[kind][pick]), 0);
    const [achieved, breached] = [sum('achieved'), sum('breached')];
    return {
      date,
      ...(Object.fromEntries(TOTALS.map((t) => [t, of(t)])) as Totals),
      mttaMeanSeconds: meanOf('mtta', of),
      mttrMeanSeconds: meanOf('mttr', of),
      slaAchieved: achieved,
      slaBreached: breached,
      slaPercent: share(achieved, achieved + breached, 100),
    };
  };
  const slaOf = (kind: SlaKind) => {
    const [achieved, breached] = [get(SLA_COUNTERS[kind].achieved), get(SLA_COUNTERS[kind].breached)];
    return { achieved, breached, percent: share(achieved, achieved + breached, 100) };
  };
  return {
    from: q.from,
    to: q.to,
    totals: Object.fromEntries(TOTALS.map((t) => [t, get(t)])) as Totals,
    byDay: [...byDay].map(([date, ofDay]) => dayOfSummary(date, ofDay)),
    mtta: durationOf('mtta'),
    mttr: durationOf('mttr'),
    sla: { response: slaOf('response'), resolution: slaOf('resolution') },
    backlog: backlog
      .filter((b) => b.count !== 0 && (q.queue === undefined || b.queue === q.queue) && (q.priority === undefined || b.priority === q.priority))
      .map(({ queue, priority, stage, count }) => ({ queue, priority, stage, count }))
      .sort((a, b) => a.queue.localeCompare(b.queue) || rank(a.priority) - rank(b.priority) || a.stage.localeCompare(b.stage)),
    conversion: [...bySource]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([source, { raised, converted }]) => ({ source, raised, converted, rate: share(converted, raised, 1) })),
  };
}
export type MetricsSummary = ReturnType<typeof summarize>;

/** The headline figures of what was counted (CloudWatch's, SPEC §7): counts, and each first assignment's and resolution's seconds. */
export function headlineOf(deltas: readonly MetricsDelta[]) {
  const figures = { casesCreated: 0, casesResolved: 0, casesClosed: 0, alertsRaised: 0, alertsConverted: 0, slaAchieved: 0, slaBreached: 0 };
  const seconds = { toAssign: [] as number[], toResolve: [] as number[] };
  for (const { increments } of deltas) {
    for (const { counter, by } of increments) {
      if (counter in figures) figures[counter as keyof typeof figures] += by;
      else if (counter === 'slaResponseAchieved' || counter === 'slaResolutionAchieved') figures.slaAchieved += by;
      else if (counter === 'slaResponseBreached' || counter === 'slaResolutionBreached') figures.slaBreached += by;
      else if (counter === 'mttaSeconds') seconds.toAssign.push(by);
      else if (counter === 'mttrSeconds') seconds.toResolve.push(by);
    }
  }
  return { ...figures, ...seconds };
}

/** Counts a record's versions one after the other, each from what was counted of the ones before (as the stream delivers them). */
export function countVersions<F, C>(
  versions: readonly F[],
  delta: (before: F | undefined, after: F, counted: C | undefined) => { delta: MetricsDelta; counted: C },
): { deltas: MetricsDelta[]; counted: C | undefined } {
  let counted: C | undefined;
  const deltas = versions.map((after, i) => {
    const out = delta(versions[i - 1], after, counted);
    counted = out.counted;
    return out.delta;
  });
  return { deltas, counted };
}

/** A history entry as the rebuild reads it. */
export interface HistoryFacts {
  at: string;
  action: string;
  changes: { field: string; from: unknown; to: unknown }[];
}

/** Entries of a case's history that are not versions of the case itself: notes, its alerts' changes, SLA firings. */
const NOT_A_VERSION: ReadonlySet<string> = new Set(['work_note', 'alert_updated', 'sla_warning', 'sla_breached']);

/**
 * A record's versions as its history tells them: the first entry holds every
 * field (from nothing), each later one what changed; a version's time is its
 * entry's. Fields of maps reported entry by entry (`affectedInstallBase.x`)
 * are left out: nothing counted reads them.
 */
export function versionsFromHistory(entries: readonly HistoryFacts[]): (Record<string, unknown> & { updatedAt: string; version: number })[] {
  const versions: (Record<string, unknown> & { updatedAt: string; version: number })[] = [];
  let state: Record<string, unknown> = {};
  for (const entry of entries) {
    if (NOT_A_VERSION.has(entry.action)) continue;
    state = { ...state };
    for (const { field, to } of entry.changes) {
      if (field.includes('.')) continue;
      if (to === null) delete state[field];
      else state[field] = to;
    }
    versions.push({ ...state, updatedAt: entry.at, version: versions.length + 1 });
  }
  return versions;
}

/** A case's version at an instant: the last one made at or before it. */
const versionAt = <V extends { updatedAt: string }>(versions: readonly V[], at: string): V | undefined => versions.filter((v) => v.updatedAt <= at).at(-1) ?? versions[0];

/**
 * What a case's whole life counts, from its history and its SLAs as they
 * are now: the same deltas its changes counted one by one as the stream
 * delivered them (a breach from its history entry, as an SLA run replaced
 * after a cancellation is no longer among its SLAs; an achieved SLA from
 * the SLAs, as a completed run stays), and what is counted of it after.
 */
export function caseLifeDelta(entries: readonly HistoryFacts[], slas: readonly TaskSla[]): { deltas: MetricsDelta[]; counted: CaseCounted | undefined } {
  const versions = versionsFromHistory(entries) as unknown as CaseFacts[];
  const { deltas, counted } = countVersions(versions, caseDelta);
  const dimsAt = (at: string) => {
    const c = versionAt(versions, at);
    return { queue: c?.queue ?? '', priority: c?.priority ?? '', source: c?.source ?? '' };
  };
  for (const entry of entries) {
    const sla = entry.changes[0]?.to as { kind?: SlaKind } | undefined;
    if (entry.action !== 'sla_breached' || !sla?.kind || !(sla.kind in SLA_COUNTERS)) continue;
    deltas.push({ increments: [{ cell: { ...dimsAt(entry.at), day: dayOf(entry.at) }, counter: SLA_COUNTERS[sla.kind].breached, by: 1 }], backlog: [] });
  }
  for (const task of slas) {
    if (task.stage !== 'completed' || task.hasBreached) continue;
    const at = task.endedAt ?? task.startedAt;
    deltas.push({ increments: [{ cell: { ...dimsAt(at), day: dayOf(at) }, counter: SLA_COUNTERS[task.kind].achieved, by: 1 }], backlog: [] });
  }
  return { deltas, counted };
}

/** What an alert's whole life counts, from its history, and what is counted of it after. */
export function alertLifeDelta(entries: readonly HistoryFacts[]): { deltas: MetricsDelta[]; counted: AlertCounted | undefined } {
  return countVersions(versionsFromHistory(entries) as unknown as AlertFacts[], alertDelta);
}
