/**
 * Team metrics' counters against real DynamoDB Local and its stream: the
 * changes of many cases, their SLAs and alerts, made at once, are counted
 * from the stream's records, and counted again when the batches are
 * delivered twice and twice at once: every figure is counted once.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { raiseAlert } from '../../lib/usecases/alerts.js';
import { convertAlertToCase, createManualCase, updateCase } from '../../lib/usecases/cases.js';
import { countChanges, metricsSummary, rebuildMetrics } from '../../lib/usecases/metrics.js';
import { historyWritesFor } from '../../lib/domain/history.js';
import { createSlaDefinition, followCaseSlas } from '../../lib/usecases/slas.js';
import { sweepTimers } from '../../lib/usecases/timers.js';
import { mapLimit } from '../../lib/concurrency.js';
import { whenTaken } from '../support/when-taken.js';
import type { CaseRecord } from '../../lib/domain/stream-image.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { streamReader, type StreamReader } from '../support/stream.js';

let t: TestTable;
let stream: StreamReader;

beforeAll(async () => {
  t = await createTestTable('metrics');
  stream = streamReader(t.endpoint, t.streamArn);
  await t.repos.queues.put({ queueId: 'mq', members: ['ann'] }, { at: new Date().toISOString(), actor: 'admin' });
  await createSlaDefinition(t.repos, { name: 'Respond to high', kind: 'response', priorities: ['high'], targetMinutes: 15, schedule: '24x7' }, 'admin');
});
afterAll(async () => {
  stream.close();
  await t.drop();
});

/** Keeps the cases' SLAs from the stream's case records (what the `slas` function does). */
async function followSlas() {
  const records = await stream.fresh();
  for (const record of records) {
    const change = recordChangeOf(record);
    if (change.kind === 'case' && change.after) await followCaseSlas(t.repos, change.after as CaseRecord);
  }
}

/** Counts records in batches of 25, as the metrics function is handed them. */
async function count(records: DynamoDBRecord[]) {
  for (let i = 0; i < records.length; i += 25) await countChanges(t.repos, records.slice(i, i + 25).map(recordChangeOf));
}

it('counts cases, first assignments, resolutions, SLAs, alerts and the backlog once each, however often and however concurrently batches come', async () => {
  const high = await mapLimit(Array.from({ length: 10 }, (_, i) => i), 10, (i) => createManualCase(t.repos, { shortDescription: `high ${i}`, priority: 'high', queue: 'mq' }, 'op'));
  await mapLimit(Array.from({ length: 10 }, (_, i) => i), 10, (i) => createManualCase(t.repos, { shortDescription: `low ${i}`, priority: 'low', queue: 'mq' }, 'op'));
  const alerts = await mapLimit(Array.from({ length: 6 }, (_, i) => i), 6, (i) => raiseAlert(t.repos, { source: 'm-src', sourceAlertId: `m-${i}`, severity: 'minor', description: 'disk' }, 'op'));
  const converted = await mapLimit(alerts.slice(0, 2), 2, (a) => convertAlertToCase(t.repos, a.alert.alertId, { shortDescription: 'from an alert', priority: 'low', queue: 'mq' }, 'op'));
  await followSlas();
  // Five high cases assigned (their response SLAs met), three of them resolved, one of those closed.
  await mapLimit(high.slice(0, 5), 5, (c) => updateCase(t.repos, c.caseId, { assignee: 'ann', stage: 'in_progress' }, 'ann'));
  await mapLimit(high.slice(0, 3), 3, (c) => updateCase(t.repos, c.caseId, { stage: 'resolved', closedReason: 'already_mitigated' }, 'ann'));
  await updateCase(t.repos, high[0].caseId, { stage: 'closed' }, 'ann');
  await followSlas();
  // The other five high cases' response SLAs breach.
  await sweepTimers(t.repos, new Date(Date.now() + 16 * 60_000).toISOString());

  const records = await stream.all();
  // Delivered twice at once (two consumers, or a retry racing the first), then again.
  await Promise.all([count(records), count(records), count(records)]);
  await count(records);

  const today = new Date().toISOString().slice(0, 10);
  const summary = await metricsSummary(t.repos, { from: today, to: today });
  expect(summary.totals).toEqual({ casesCreated: 22, casesResolved: 3, casesClosed: 1, alertsRaised: 6, alertsConverted: 2 });
  expect([summary.mtta.count, summary.mttr.count]).toEqual([5, 3]);
  expect(summary.sla.response).toEqual({ achieved: 5, breached: 5, percent: 50 });
  expect(summary.backlog).toEqual([
    { queue: 'mq', priority: 'high', stage: 'in_progress', count: 2 },
    { queue: 'mq', priority: 'high', stage: 'new', count: 5 },
    { queue: 'mq', priority: 'low', stage: 'new', count: 12 },
  ]);
  expect(summary.conversion).toEqual([{ source: 'm-src', raised: 6, converted: 2, rate: 0.333 }]);
  // The cases made from alerts count under their source; those made by hand under none.
  expect((await metricsSummary(t.repos, { from: today, to: today, source: 'm-src' })).totals.casesCreated).toBe(2);
  expect((await metricsSummary(t.repos, { from: today, to: today, priority: 'high' })).totals.casesCreated).toBe(10);
  expect(converted.every((c) => c.source === 'm-src')).toBe(true);
});

it('rebuilds from history the very counters the stream kept, and counting goes on from them', async () => {
  // History as the history function writes it from the same records.
  const records = await stream.all();
  await t.repos.history.appendAll(
    records.flatMap((r) => historyWritesFor(recordChangeOf(r))),
    Date.now() + 60_000,
  );
  const today = new Date().toISOString().slice(0, 10);
  const sorted = async () => {
    const { days, backlog } = await t.repos.metrics.counters([today]);
    return {
      cells: days.flatMap((d) => d.cells.map((c) => JSON.stringify([d.day, c.cell, Object.entries(c.counts).sort()]))).sort(),
      backlog: backlog.map((b) => JSON.stringify(b)).sort(),
    };
  };
  const live = await sorted();
  expect(live.cells.length).toBeGreaterThan(3);
  // A bug counted what never happened, today and the day before.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const bogus = (day: string) => ({ cell: { day, queue: 'mq', priority: 'high', source: '' }, counter: 'casesCreated' as const, by: 5 });
  await t.repos.metrics.count([
    { owner: { kind: 'alert', id: 'bogus' }, read: undefined, next: { version: 1 }, deltas: [{ increments: [bogus(today), bogus(yesterday)], backlog: [{ queue: 'mq', priority: 'low', stage: 'new', by: 3 }] }] },
  ]);
  expect(await sorted()).not.toEqual(live);
  expect(await rebuildMetrics(t.repos, today)).toMatchObject({ cases: 22, alerts: 6 });
  expect((await t.repos.metrics.counters([yesterday])).days).toEqual([]);
  expect(await sorted()).toEqual(live);
  // The stream's records delivered again after the rebuild add nothing: the rebuilt cursors have counted them.
  await count(records);
  expect(await sorted()).toEqual(live);
});

it('counts a batch that moves many counters of one day: in updates DynamoDB takes (an expression is at most 4 KB)', async () => {
  const sources = Array.from({ length: 150 }, (_, i) => `wide-${i}`);
  await mapLimit(sources, 16, (source) => raiseAlert(t.repos, { source, sourceAlertId: 'w', severity: 'minor', description: 'wide' }, 'op'));
  const records = (await stream.fresh()).filter((r) => recordChangeOf(r).kind === 'alert');
  expect(records.length).toBeGreaterThanOrEqual(150);
  // One batch, 150 counters of today.
  await countChanges(t.repos, records.map(recordChangeOf));
  const today = new Date().toISOString().slice(0, 10);
  const wide = (await metricsSummary(t.repos, { from: today, to: today })).conversion.filter((c) => c.source.startsWith('wide-'));
  expect([wide.length, wide.every((c) => c.raised === 1)]).toEqual([150, true]);
});

it('seals days that are over and reads them from their seals; a day written after, even while seals are made, is read as written', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const dayBack = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const days = Array.from({ length: 12 }, (_, i) => dayBack(40 - i));
  const queues = ['sq1', 'sq2', 'sq3'];
  /** Records that add `by` to each day's created cases in every queue, one record per day and queue. */
  const changes = (tag: string, by: number) =>
    days.flatMap((day) =>
      queues.map((queue) => ({
        owner: { kind: 'alert' as const, id: `seal-${tag}-${day}-${queue}` },
        read: undefined,
        next: { version: 1 },
        deltas: [{ increments: [{ cell: { day, queue, priority: 'low', source: 'seal' }, counter: 'casesCreated' as const, by }], backlog: [] }],
      })),
    );
  const created = async () => {
    const found = await whenTaken(() => t.repos.metrics.counters(days));
    return days.map((day) => found.days.find((d) => d.day === day)?.cells.reduce((n, c) => n + (c.cell.source === 'seal' ? (c.counts.casesCreated ?? 0) : 0), 0) ?? 0);
  };
  expect(await t.repos.metrics.count(changes('a', 2))).toEqual([]);
  expect(await created()).toEqual(days.map(() => 6));

  // What the summary asks the table for: the days' seals, no day item.
  const asked: string[] = [];
  t.store.doc.middlewareStack.add(
    (next) => async (args) => {
      const keys = (args.input as { RequestItems?: Record<string, { Keys?: { sk: string }[] }> }).RequestItems?.[t.tableName]?.Keys ?? [];
      asked.push(...keys.map((k) => k.sk));
      return next(args);
    },
    { step: 'initialize', name: 'askedKeys' },
  );
  // The roll-up is run again while the database is too busy to answer in time, as the schedule would.
  const seal = () => whenTaken(() => t.repos.metrics.seal(today));
  expect(await seal()).toEqual(expect.arrayContaining(days));
  asked.length = 0;
  expect(await created()).toEqual(days.map(() => 6));
  expect([...new Set(asked)].sort()).toEqual(['BACKLOG', 'SEALED']);
  t.store.doc.middlewareStack.remove('askedKeys');
  // Sealed once: nothing more to seal.
  expect(await seal()).toEqual([]);

  // Writes to the sealed days while three roll-ups seal them: every write counts, sealed or not.
  // A count sent again finds what it wrote before refused (its cursors were written with it): nothing counts twice.
  await Promise.all([whenTaken(() => t.repos.metrics.count(changes('b', 1))), seal(), whenTaken(() => t.repos.metrics.count(changes('c', 1))), seal(), seal()]);
  expect(await created()).toEqual(days.map(() => 12));
  await seal();
  expect(await created()).toEqual(days.map(() => 12));

  // A rebuild that finds nothing on those days leaves neither their counters nor their seals.
  await t.repos.metrics.replace({ days: [], backlog: (await t.repos.metrics.counters([])).backlog, cursors: [] }, days);
  expect(await created()).toEqual(days.map(() => 0));
});

it('counts SLA changes once when a batch is delivered again with more after it', async () => {
  await createSlaDefinition(t.repos, { name: 'Respond to critical', kind: 'response', priorities: ['critical'], targetMinutes: 15, schedule: '24x7' }, 'admin');
  await createSlaDefinition(t.repos, { name: 'Resolve critical', kind: 'resolution', priorities: ['critical'], targetMinutes: 30, schedule: '24x7' }, 'admin');
  await t.repos.queues.put({ queueId: 'sq', members: ['ann'] }, { at: new Date().toISOString(), actor: 'admin' });
  await stream.fresh();
  const { caseId } = await createManualCase(t.repos, { shortDescription: 'critical', priority: 'critical', queue: 'sq' }, 'op');
  await followSlas();
  // The response SLA breaches, then the resolution SLA.
  await sweepTimers(t.repos, new Date(Date.now() + 16 * 60_000).toISOString());
  await sweepTimers(t.repos, new Date(Date.now() + 31 * 60_000).toISOString());
  const records = (await stream.all()).filter((r) => {
    const change = recordChangeOf(r);
    return change.kind === 'caseslas' && change.after?.caseId === caseId;
  });
  const firstBreach = records.findIndex((r) => recordChangeOf(r).kind === 'caseslas' && (recordChangeOf(r) as { after: { slas: { hasBreached: boolean }[] } }).after.slas.some((s) => s.hasBreached));
  expect(firstBreach).toBeGreaterThanOrEqual(0);
  expect(firstBreach).toBeLessThan(records.length - 1);
  // Counted up to the first breach; then the batch comes again with the records after it.
  await countChanges(t.repos, records.slice(0, firstBreach + 1).map(recordChangeOf));
  await countChanges(t.repos, records.map(recordChangeOf));
  await countChanges(t.repos, records.map(recordChangeOf));
  const today = new Date().toISOString().slice(0, 10);
  const { sla } = await metricsSummary(t.repos, { from: today, to: today, queue: 'sq' });
  expect([sla.response.breached, sla.resolution.breached]).toEqual([1, 1]);
});
