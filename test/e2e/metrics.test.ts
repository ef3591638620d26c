/**
 * Team metrics end to end, over HTTP against the local runtime: the runtime's
 * stream poller feeds the `metrics` function, and `GET /metrics/summary`
 * answers from the counters alone: 90 days of them in at most 100 items read.
 */
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { callsOutsideGrants, tableItemsRead } from '../../local/table-access.js';
import { createStore } from '../../lib/store/store.js';
import { MetricsRepository, type CountedChanges } from '../../lib/store/metrics.js';
import { daysBetween } from '../../lib/domain/metrics.js';
import { client, eventually } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';
import { whenTaken } from '../support/when-taken.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const tableName = `metrics-${Date.now()}`;
const maria = ['maria', 'sn_customerservice_manager'] as [string, 'sn_customerservice_manager'];
const olivia = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

const today = () => new Date().toISOString().slice(0, 10);
const daysBefore = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

it('refuses a range it cannot read, naming the field', async () => {
  const refused = async (query: string) => {
    const r = await api.call('GET', `/metrics/summary?${query}`, { as: olivia });
    expect([r.status, r.headers.get('content-type')]).toEqual([400, 'application/problem+json']);
    return (r.body.errors as { path: string }[]).map((e) => e.path);
  };
  expect(await refused('to=2026-12-01')).toEqual(['from']);
  expect(await refused('from=2026-02-30&to=2026-03-01')).toEqual(['from']);
  expect(await refused('from=2026-12-02&to=2026-12-01')).toEqual(['to']);
  expect(await refused('from=2025-12-01&to=2026-12-02')).toEqual(['to']);
  expect(await refused('from=2026-12-01&to=2026-12-01&priority=urgent')).toEqual(['priority']);
  // 366 days, both ends included, are taken.
  expect((await api.call('GET', '/metrics/summary?from=2025-12-02&to=2026-12-02', { as: olivia })).status).toBe(200);
});

it("counts the day's cases and alerts from the stream, as every role reads them", async () => {
  await api.call('PUT', '/queues/metrics-q', { as: maria, body: { members: ['maria'] } });
  const made = await Promise.all(
    Array.from({ length: 6 }, (_, i) => api.call('POST', '/cases', { as: maria, body: { shortDescription: `metrics ${i}`, priority: i < 2 ? 'critical' : 'low', queue: 'metrics-q' } })),
  );
  expect(made.map((r) => r.status)).toEqual(Array(6).fill(201));
  await api.call('PATCH', `/cases/${made[0].body.caseId}`, { as: maria, body: { assignee: 'maria', stage: 'in_progress' } });
  const raised = await api.call('POST', '/alerts', { as: olivia, body: { source: 'metrics-src', sourceAlertId: 'm-1', severity: 'major', description: 'disk full' } });
  await api.call('POST', `/alerts/${raised.body.alertId}/case`, { as: olivia, body: { shortDescription: 'disk full', queue: 'metrics-q' } });
  const summary = await eventually(async () => {
    const r = await api.call('GET', `/metrics/summary?from=${today()}&to=${today()}&queue=metrics-q`, { as: olivia });
    // The day's counters and the backlog are two items read at once: both are waited for.
    const open = (r.body.backlog ?? []).reduce((n: number, b: { count: number }) => n + b.count, 0);
    return r.body.totals?.casesCreated === 7 && r.body.mtta.count === 1 && r.body.totals.alertsConverted === 1 && open === 7 ? r.body : undefined;
  }, 10_000);
  expect(summary.totals).toEqual({ casesCreated: 7, casesResolved: 0, casesClosed: 0, alertsRaised: 1, alertsConverted: 1 });
  expect(summary.backlog).toEqual([
    { queue: 'metrics-q', priority: 'critical', stage: 'in_progress', count: 1 },
    { queue: 'metrics-q', priority: 'critical', stage: 'new', count: 1 },
    // Made from a major alert: high.
    { queue: 'metrics-q', priority: 'high', stage: 'new', count: 1 },
    { queue: 'metrics-q', priority: 'low', stage: 'new', count: 4 },
  ]);
  expect(summary.conversion).toEqual([{ source: 'metrics-src', raised: 1, converted: 1, rate: 1 }]);
  expect((await api.call('GET', `/metrics/summary?from=${today()}&to=${today()}&source=metrics-src`, { as: olivia })).body.totals.casesCreated).toBe(1);
  expect(callsOutsideGrants()).toEqual([]);
});

it('reads 90 days of counters in at most 100 items, whatever was counted on them', async () => {
  // Ninety days of counters, each with cases of several queues, priorities and sources (written as the stream function writes them).
  const store = createStore({ tableName, endpoint: dynamoEndpoint() });
  const metrics = new MetricsRepository(store.db);
  const days = daysBetween(daysBefore(89), today());
  const seeded: CountedChanges[] = days.map((day, i) => ({
    owner: { kind: 'alert', id: `seed-${i}` },
    read: undefined,
    next: { version: 1 },
    deltas: [
      {
        increments: ['q1', 'q2', 'q3'].flatMap((queue) =>
          ['critical', 'high', 'low'].flatMap((priority) => ['s1', 's2'].map((source) => ({ cell: { day, queue, priority, source }, counter: 'casesCreated' as const, by: 1 }))),
        ),
        backlog: [],
      },
    ],
  }));
  // Sent again while the database is too busy to answer in time, as the stream would (what was counted is not counted twice).
  await whenTaken(() => metrics.count(seeded));
  const summary = async () => {
    const before = tableItemsRead.get('metrics-api') ?? 0;
    const r = await api.call('GET', `/metrics/summary?from=${days[0]}&to=${today()}`, { as: olivia });
    return { ...r, read: (tableItemsRead.get('metrics-api') ?? 0) - before };
  };
  const r = await summary();
  expect(r.status).toBe(200);
  expect(r.body.byDay).toHaveLength(90);
  expect(r.body.byDay[0].casesCreated).toBe(18);
  expect(r.read).toBeLessThanOrEqual(100);
  // Once the roll-up has sealed the days that are over: the same figures from a week's item per 7 days.
  // Run again while the database is too busy to answer in time, as the schedule would.
  await whenTaken(() => metrics.seal());
  store.doc.destroy();
  const sealed = await summary();
  expect(sealed.body).toEqual(r.body);
  expect(sealed.read).toBeLessThanOrEqual(20);
  // Many managers at once, each over its own range: each answer is the counters of its days.
  const ranges = Array.from({ length: 24 }, (_, i) => ({ from: days[i], to: days[i + 60] }));
  const answers = await Promise.all(ranges.map(({ from, to }) => api.call('GET', `/metrics/summary?from=${from}&to=${to}`, { as: olivia })));
  for (const [i, a] of answers.entries()) {
    expect(a.status).toBe(200);
    expect([a.body.byDay.length, a.body.totals.casesCreated]).toEqual([61, 61 * 18]);
    expect(a.body.byDay[0].date).toBe(ranges[i].from);
  }
});
