/**
 * Team metrics (SPEC §2 "Team metrics"): counting the stream's changes of
 * cases, their SLAs and alerts, once each, and the summary a manager reads.
 * A batch's changes are counted per record in stream order from what was
 * counted of it (its cursor); the counts and the cursors are written
 * together, over the cursors read, and records whose cursors moved
 * meanwhile are counted again from a fresh read. A case whose SLAs alone
 * changed is first counted unread, on condition that its cursor has
 * counted none of those changes.
 */
import { alertDelta, alertLifeDelta, caseDelta, caseLifeDelta, dayOf, daysBefore, daysBetween, slaDelta, summarize, tally, type CaseCounted, type HistoryFacts, type MetricsDelta, type SummaryQuery } from '../domain/metrics.js';
import { mapLimit } from '../concurrency.js';
import type { RecordChange } from '../domain/stream-image.js';
import type { CountedChanges, MetricsCursor, MetricsOwner } from '../store/metrics.js';
import { allPages } from '../store/pagination.js';
import type { Repositories } from './context.js';

/** How many times records are read and counted again after others moved their cursors (the stream retries the batch after). */
const ATTEMPTS = 5;

type Counted = Extract<RecordChange, { kind: 'case' | 'caseslas' | 'alert' }>;

/** The case or alert a change is counted against (a case's SLA item, the case's). */
function ownerOf(change: RecordChange): MetricsOwner | undefined {
  if (change.kind === 'case') return change.after && { kind: 'case', id: change.after.caseId };
  if (change.kind === 'caseslas') return change.after && { kind: 'case', id: change.after.caseId };
  if (change.kind === 'alert') return change.after && { kind: 'alert', id: change.after.alertId };
  return undefined;
}

/**
 * A record's changes counted from its cursor: what they add, and the cursor
 * after (undefined when they add nothing). `read` 'unread': SLA changes
 * counted without the cursor, on condition that it has counted none of them.
 */
function countRecord(owner: MetricsOwner, changes: Counted[], read: MetricsCursor | undefined | 'unread'): CountedChanges | undefined {
  const known = read === 'unread' ? undefined : read;
  let cursor: MetricsCursor = known ?? { version: 0 };
  const deltas: MetricsDelta[] = [];
  for (const change of changes) {
    if (change.kind === 'case' && change.after && change.after.version > cursor.version) {
      const counted: CaseCounted | undefined = known || cursor.version > 0 ? { version: cursor.version, assigned: cursor.assigned ?? false, settled: cursor.settled ?? false } : undefined;
      const out = caseDelta(change.before, change.after, counted);
      deltas.push(out.delta);
      cursor = { ...cursor, version: out.counted.version, assigned: out.counted.assigned, settled: out.counted.settled };
    } else if (change.kind === 'caseslas' && change.after && change.after.version > (cursor.slasVersion ?? 0)) {
      const { queue = '', priority = '', source = '' } = change.after;
      deltas.push(slaDelta(change.before?.slas ?? [], change.after.slas, { queue, priority, source }));
      cursor = { ...cursor, slasVersion: change.after.version };
    } else if (change.kind === 'alert' && change.after && change.after.version > cursor.version) {
      const out = alertDelta(change.before, change.after, known || cursor.version > 0 ? { version: cursor.version, converted: cursor.converted ?? false } : undefined);
      deltas.push(out.delta);
      cursor = { ...cursor, version: out.counted.version, converted: out.counted.converted };
    }
  }
  // Changes that count nothing need no write: counted again, they count nothing again.
  if (!deltas.some((d) => d.increments.length || d.backlog.length)) return undefined;
  if (read === 'unread') return { owner, read: undefined, slasFrom: Math.min(...changes.map((c) => c.after?.version ?? Infinity)), next: cursor, deltas };
  return { owner, read, next: cursor, deltas };
}

const partition = <T>(items: T[], test: (item: T) => boolean): [T[], T[]] => [items.filter(test), items.filter((item) => !test(item))];

/** Counts a batch of changes, each once however often the batch is delivered (the metrics stream function); returns what this call counted. */
export async function countChanges(repos: Repositories, changes: readonly RecordChange[]): Promise<MetricsDelta[]> {
  const byOwner = new Map<string, { owner: MetricsOwner; changes: Counted[] }>();
  for (const change of changes) {
    const owner = ownerOf(change);
    if (!owner) continue;
    const key = `${owner.kind}:${owner.id}`;
    const entry = byOwner.get(key) ?? { owner, changes: [] };
    byOwner.set(key, entry);
    entry.changes.push(change as Counted);
  }
  const written: MetricsDelta[] = [];
  const keyOf = (o: MetricsOwner) => `${o.kind}:${o.id}`;
  /** Writes what was counted; returns the records refused (their cursors moved: count them again from a fresh read). */
  const write = async (records: { owner: MetricsOwner; changes: Counted[] }[], cursors: (MetricsCursor | undefined | 'unread')[]) => {
    const counted = records.flatMap((p, i) => countRecord(p.owner, p.changes, cursors[i]) ?? []);
    const refused = new Set((await repos.metrics.count(counted)).map(keyOf));
    written.push(...counted.filter((c) => !refused.has(keyOf(c.owner))).flatMap((c) => c.deltas));
    return records.filter((p) => refused.has(keyOf(p.owner)));
  };
  // A case whose SLAs alone changed (a sweep's firing, the commonest record in a storm) is counted without reading its
  // cursor, on condition that the cursor has counted none of these changes; if it has (a retried batch), from a read.
  const [slasOnly, others] = partition([...byOwner.values()], (p) => p.changes.every((c) => c.kind === 'caseslas'));
  let pending = [...others, ...(slasOnly.length ? await write(slasOnly, slasOnly.map(() => 'unread' as const)) : [])];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= ATTEMPTS) throw new Error(`metrics: ${pending.length} records' cursors kept moving`);
    pending = await write(pending, await repos.metrics.cursors(pending.map((p) => p.owner)));
  }
  return written;
}

/** The roll-up (a schedule): seals the days that are over, and reads the backlog now; returns the days sealed and the open cases. */
export async function rollUpMetrics(repos: Repositories): Promise<{ sealed: string[]; backlog: number }> {
  // No day asked for: only the backlog is read.
  const [sealed, { backlog }] = await Promise.all([repos.metrics.seal(), repos.metrics.counters([])]);
  return { sealed, backlog: backlog.reduce((n, b) => n + b.count, 0) };
}

/** The summary of the counters (SPEC §4 `GET /metrics/summary`): the days asked for and the backlog, read whole. */
export async function metricsSummary(repos: Repositories, query: SummaryQuery) {
  const { days, backlog } = await repos.metrics.counters(daysBetween(query.from, query.to));
  return summarize(days, backlog, query);
}

/**
 * Recounts every figure from history (and cases' SLAs as they are), for data
 * written before metrics were kept or after a bug, and replaces the counters
 * and cursors with the result: the same as the stream counted, change by
 * change. Reads every case and alert: an admin's operation, with the metrics
 * function paused (its records wait in the stream, and are counted after).
 */
export async function rebuildMetrics(repos: Repositories, today = new Date().toISOString().slice(0, 10)): Promise<{ cases: number; alerts: number; days: number }> {
  const [cases, alerts] = await Promise.all([allPages((c) => repos.caseLists.list({}, 100, c)), allPages((c) => repos.alertLists.list({}, 100, c))]);
  const historyOf = (kind: 'case' | 'alert', id: string) => allPages((c) => repos.history.list({ kind, id }, 100, c)) as Promise<HistoryFacts[]>;
  const slas = await repos.caseSlas.getMany(cases.map((c) => c.caseId));
  const deltas: MetricsDelta[] = [];
  const cursors: { owner: MetricsOwner; cursor: MetricsCursor }[] = [];
  await mapLimit(cases.map((c, i) => ({ c, slas: slas[i] })), 16, async ({ c, slas: mine }) => {
    const life = caseLifeDelta(await historyOf('case', c.caseId), mine?.slas ?? []);
    deltas.push(...life.deltas);
    cursors.push({ owner: { kind: 'case', id: c.caseId }, cursor: { version: c.version, assigned: life.counted?.assigned, settled: life.counted?.settled, slasVersion: mine?.version } });
  });
  await mapLimit(alerts, 16, async (a) => {
    const life = alertLifeDelta(await historyOf('alert', a.alertId));
    deltas.push(...life.deltas);
    cursors.push({ owner: { kind: 'alert', id: a.alertId }, cursor: { version: a.version, converted: life.counted?.converted } });
  });
  const counted = tally(deltas);
  // Days to clear of what was counted wrongly: back to the first record, and at least a year (what a summary may ask for).
  const yearAgo = daysBefore(today, 365);
  const first = [...counted.days.map((d) => d.day), ...cases.map((c) => dayOf(c.createdAt)), ...alerts.map((a) => dayOf(a.createdAt)), yearAgo].sort()[0];
  await repos.metrics.replace({ ...counted, cursors }, daysBetween(first, today));
  return { cases: cases.length, alerts: alerts.length, days: counted.days.length };
}
