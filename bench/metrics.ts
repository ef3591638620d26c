/**
 * The `metrics` section of `npm run bench` (SPEC §7 "Metrics"), in a child
 * process with a fresh in-memory DynamoDB Local (see bench/scale.ts):
 * - 1,000 cases made, assigned and resolved (3,000 case changes) while the
 *   runtime's `metrics` function counts them: the metrics' write units per
 *   case change, billed from the stream as in `scale` (its transactions at
 *   twice), and the hottest key's WCU/s at 1,000 cases/s.
 * - 90 days of counters (100 cells of 4 counters a day), the days that are
 *   over sealed by the roll-up, then `GET /metrics/summary` over them
 *   through the HTTP server: the items read (counted by the runtime's
 *   instrumented client) and the p50 time.
 */
import { fileURLToPath } from 'node:url';
import type { CountedChanges } from '../lib/store/metrics.js';
import { createStore } from '../lib/store/store.js';
import { daysBetween, type Counter } from '../lib/domain/metrics.js';
import { repositoriesFor } from '../lib/usecases/repositories.js';
import { createManualCase, updateCase } from '../lib/usecases/cases.js';
import { metricsSummary, rollUpMetrics } from '../lib/usecases/metrics.js';
import { mapLimit } from '../lib/concurrency.js';
import { ensureTable, startDynamo } from '../local/dynamodb.js';
import { startRuntime } from '../local/runtime.js';
import { tableItemsRead } from '../local/table-access.js';
import { signLocalToken } from '../local/tokens.js';
import { inChildProcess, runAsChild } from './child.js';
import { percentile, round, until, whenTaken } from './figures.js';
import { billWrite, StreamReader } from './scale.js';

const CASES = 1000;
const SUMMARY_LOOKS = 30;
/** SPEC §7: a 90-day summary reads at most 100 items and answers in at most 100 ms p50. */
export const METRICS_ITEMS_BAR = 100;
export const METRICS_P50_BAR_MS = 100;

export interface Metrics {
  wcuPerCaseChange: number;
  heat: { hottestKey: string; hottestWcuPerSecond: number };
  itemsRead90d: number;
  summaryP50Ms: number;
}

const PHASE_ARG = '--metrics-phase';
export const metrics = () => inChildProcess<Metrics>(fileURLToPath(import.meta.url), [PHASE_ARG, 'run'], 'metrics phase');
runAsChild(import.meta.url, PHASE_ARG, () => run());

/** The metrics' own items (day counters, week seals, backlog, cursors): every write of them is in a transaction, but the day item's first put. */
const METRICS_ENTITIES = new Set(['metricsday', 'metricsweek', 'metricsbacklog', 'metricscursor']);

/** 90 days of counters ending yesterday: 100 cells (10 queues × 10 priority-and-source pairs) of 4 counters, written as the stream writes them. */
export function seededDays(): CountedChanges[] {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const days = daysBetween(new Date(Date.parse(`${yesterday}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10), yesterday);
  const counters: Counter[] = ['casesCreated', 'casesResolved', 'mttaCount', 'mttaSeconds'];
  const priorities = ['critical', 'high', 'moderate', 'low'];
  const cells = Array.from({ length: 10 }, (_, q) => Array.from({ length: 10 }, (_, k) => ({ queue: `q${q}`, priority: priorities[k % 4], source: `s${k}` }))).flat();
  // A record moves 10 cells' counters (40), as no stream record does more than a dozen: each update stays under its size.
  return days.flatMap((day) =>
    Array.from({ length: cells.length / 10 }, (_, part) => ({
      owner: { kind: 'alert' as const, id: `seed-${day}-${part}` },
      read: undefined,
      next: { version: 1 },
      deltas: [{ increments: cells.slice(part * 10, part * 10 + 10).flatMap((cell) => counters.map((counter) => ({ cell: { ...cell, day }, counter, by: 7 }))), backlog: [] }],
    })),
  );
}

async function run(): Promise<Metrics> {
  const dynamo = await startDynamo();
  const tableName = 'metrics-bench';
  try {
    const streamArn = await ensureTable(dynamo.endpoint, tableName);
    const store = createStore({ tableName, endpoint: dynamo.endpoint });
    const repos = repositoriesFor(store);
    await repos.queues.put({ queueId: 'bench-q', members: ['ann'] }, { at: new Date().toISOString(), actor: 'bench' });
    const runtime = await startRuntime({ dynamoEndpoint: dynamo.endpoint, tableName, impactIntervalSeconds: 0, log: () => undefined });
    const stream = new StreamReader(dynamo.endpoint, streamArn);
    try {
      await stream.settle();
      // 1,000 cases of four priorities, each made, assigned and resolved.
      const priorities = ['critical', 'high', 'moderate', 'low'] as const;
      await mapLimit(Array.from({ length: CASES }, (_, i) => i), 16, async (i) => {
        const kase = await whenTaken(() => createManualCase(repos, { shortDescription: `bench ${i}`, priority: priorities[i % 4], queue: 'bench-q' }, 'bench'));
        await whenTaken(() => updateCase(repos, kase.caseId, { assignee: 'ann', stage: 'in_progress' }, 'ann'));
        await whenTaken(() => updateCase(repos, kase.caseId, { stage: 'resolved', closedReason: 'already_mitigated' }, 'ann'));
      });
      const today = new Date().toISOString().slice(0, 10);
      await until('every case counted', async () => ((await metricsSummary(repos, { from: today, to: today })).totals.casesResolved === CASES ? true : undefined), 300_000);
      const records = (await stream.settle()).filter((r) => METRICS_ENTITIES.has(String((r.dynamodb?.NewImage ?? r.dynamodb?.OldImage)?.entity?.S)));
      // Every metrics write but a day item's first put is part of a transaction: billed twice on the table.
      const transactional = new Map<string, number>();
      for (const r of records) {
        const image = (r.dynamodb?.NewImage ?? r.dynamodb?.OldImage) as Record<string, { S?: string }> | undefined;
        const key = [image?.pk?.S, image?.sk?.S].join('\u0000');
        if (r.eventName !== 'INSERT' || image?.entity?.S === 'metricscursor') transactional.set(key, (transactional.get(key) ?? 0) + 1);
      }
      const writes = new Map<string, number>();
      for (const record of records) billWrite(record, writes, transactional);
      const total = [...writes.values()].reduce((a, b) => a + b, 0);
      const [hottestKey, hottestUnits] = [...writes].sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];

      // 90 days of counters, then the summary over them.
      const refused = await repos.metrics.count(seededDays());
      if (refused.length) throw new Error(`seeding metrics: ${refused.length} refused`);
      // The roll-up seals the days that are over, as its schedule does (all but yesterday and today).
      await rollUpMetrics(repos);
      const token = await signLocalToken({ sub: 'bench', roles: ['sn_customerservice_manager'] });
      const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
      const times: number[] = [];
      const reads: number[] = [];
      for (let i = 0; i < SUMMARY_LOOKS + 3; i++) {
        const before = tableItemsRead.get('metrics-api') ?? 0;
        const started = performance.now();
        const res = await fetch(`${runtime.url}/metrics/summary?from=${from}&to=${today}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { byDay?: unknown[] };
        if (res.status !== 200 || body.byDay?.length !== 90) throw new Error(`summary: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        // The first three warm the function up.
        if (i >= 3) {
          times.push(performance.now() - started);
          reads.push((tableItemsRead.get('metrics-api') ?? 0) - before);
        }
      }
      store.doc.destroy();
      return {
        wcuPerCaseChange: round(total / (CASES * 3)),
        heat: { hottestKey, hottestWcuPerSecond: round((hottestUnits / CASES) * 1000) },
        itemsRead90d: Math.max(...reads),
        summaryP50Ms: round(percentile(times, 50)),
      };
    } finally {
      stream.close();
      await runtime.stop();
    }
  } finally {
    await dynamo.stop();
  }
}
