/**
 * The `sla` section of `npm run bench` (SPEC §7 "Assignment and timers"):
 * 10,000 cases, each with a response and a resolution SLA whose warnings
 * (50 %, 75 %) and breaches are all due by the time the runtime starts, in a
 * child process with a fresh in-memory DynamoDB Local (see bench/scale.ts
 * for why). The runtime's timer sweep fires them; counted afterwards from
 * the table: every threshold fired exactly once, how late (from when it was
 * both due and the runtime ran), the write units per case (billed from the
 * stream as in `scale`: the firing, its timer entry, its history entries),
 * and the hottest key's WCU/s at 1,000 cases/s. A sample of cases is read
 * back from history: one entry per warning and breach.
 */
import { fileURLToPath } from 'node:url';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { nextDueOf, slaDefinitionWith, type TaskSla } from '../lib/domain/sla.js';
import { batchWrite } from '../lib/store/batch.js';
import { slaEntities } from '../lib/store/sla-entities.js';
import { createStore } from '../lib/store/store.js';
import { repositoriesFor } from '../lib/usecases/repositories.js';
import { ensureTable, startDynamo } from '../local/dynamodb.js';
import { startRuntime } from '../local/runtime.js';
import { inChildProcess, runAsChild } from './child.js';
import { percentile, round, seedWrite, until } from './figures.js';
import { billWrite, StreamReader } from './scale.js';

const CASES = 10_000;
/** SPEC §7: the last timer within 60 s of its due time. */
export const SLA_LATENESS_BAR_MS = 60_000;
/** Cases whose history is read back to see one entry per firing. */
const HISTORY_SAMPLE = 200;

export interface Sla {
  cases: number;
  firedOnce: boolean;
  p50LatenessMs: number;
  maxLatenessMs: number;
  wcuPerCase: number;
  heat: { hottestKey: string; hottestWcuPerSecond: number };
}

const PHASE_ARG = '--sla-phase';
export const sla = () => inChildProcess<Sla>(fileURLToPath(import.meta.url), [PHASE_ARG, 'fire'], 'sla phase');
runAsChild(import.meta.url, PHASE_ARG, () => fire());

/** A task SLA that started `targetMinutes` before `due`: every threshold of it is due by then. */
function taskDueBy(slaId: string, kind: TaskSla['kind'], targetMinutes: number, due: string): TaskSla {
  const definition = slaDefinitionWith(slaId, { name: `${kind} critical`, kind, priorities: ['critical'], targetMinutes, schedule: '24x7' });
  const startedAt = new Date(Date.parse(due) - targetMinutes * 60_000).toISOString();
  return {
    ...definition,
    stage: 'in_progress',
    startedAt,
    pausedSeconds: 0,
    breachAt: due,
    hasBreached: false,
    fired: [],
    passed: [],
  } as TaskSla;
}

async function fire(): Promise<Sla> {
  const dynamo = await startDynamo();
  const tableName = 'sla-timers';
  try {
    const streamArn = await ensureTable(dynamo.endpoint, tableName);
    const store = createStore({ tableName, endpoint: dynamo.endpoint });
    const repos = repositoriesFor(store);
    const { caseSlas } = slaEntities(store.db);
    const due = new Date().toISOString();
    const caseIds = Array.from({ length: CASES }, (_, i) => `case_${i.toString(16).padStart(32, '0')}`);
    const tasks = [taskDueBy('sla_00000000000000a1', 'response', 15, due), taskDueBy('sla_00000000000000a2', 'resolution', 60, due)];
    const at = tasks[1].startedAt;
    await batchWrite(
      store.db,
      caseIds.flatMap((caseId, i) => [
        store.db.case.build(BatchPutRequest).item({
          caseId,
          number: `CS${String(i + 1).padStart(7, '0')}`,
          origin: 'manual',
          proactive: false,
          shortDescription: `bench case ${i}`,
          priority: 'critical',
          stage: 'new',
          alertCount: 0,
          majorCase: 'none',
          createdAt: at,
          updatedAt: at,
          createdBy: 'bench',
          updatedBy: 'bench',
          version: 1,
        }),
        caseSlas.build(BatchPutRequest).item({ caseId, caseVersion: 1, slas: tasks, nextDueAt: nextDueOf(tasks), version: 1 }),
      ]),
      seedWrite(),
    );
    // Billed from here: what firing writes (the SLAs, their timer entries, history).
    const stream = new StreamReader(dynamo.endpoint, streamArn);
    await stream.settle();
    const started = Date.now();
    // The cases and their SLAs were followed long ago: the stream functions start after the seed, as they would have.
    const runtime = await startRuntime({ dynamoEndpoint: dynamo.endpoint, tableName, impactIntervalSeconds: 0, streamFromLatest: true, log: () => undefined });
    try {
      const fired = await until(
        'every SLA fired',
        async () => {
          if ((await repos.timers.due(new Date(Date.now() + 86_400_000).toISOString(), 1)).slas.length > 0) return undefined;
          const items = [];
          for (let i = 0; i < caseIds.length; i += 1000) items.push(...(await repos.caseSlas.getMany(caseIds.slice(i, i + 1000))));
          return items.every((item) => item?.slas.every((t) => t.hasBreached)) ? items : undefined;
        },
        300_000,
      );
      const thresholds = tasks.flatMap((t) => [...t.warnAtPercent, 100].map((p) => `${t.slaId}:${p}`)).sort();
      const firedOnce = fired.every(
        (item) =>
          JSON.stringify(
            item!.slas
              .flatMap((t) => t.fired.map((f) => `${t.slaId}:${f.percent}`))
              .sort(),
          ) === JSON.stringify(thresholds),
      );
      const lateness = fired.flatMap((item) => item!.slas.flatMap((t) => t.fired.map((f) => Date.parse(f.at) - Math.max(Date.parse(f.dueAt), started))));
      // History: one entry per firing, on a sample of cases (all of them would be 60,000 entries to read).
      const sample = caseIds.filter((_, i) => i % (CASES / HISTORY_SAMPLE) === 0);
      const entries = await until(
        'the sample history written',
        async () => {
          const counts = await Promise.all(sample.map(async (caseId) => (await repos.history.list({ kind: 'case', id: caseId }, 100)).items.filter((e) => e.action.startsWith('sla_')).length));
          return counts.every((n) => n >= thresholds.length) ? counts : undefined;
        },
        300_000,
      );
      const records = await stream.settle();
      const writes = new Map<string, number>();
      for (const record of records) billWrite(record, writes, new Map());
      const total = [...writes.values()].reduce((a, b) => a + b, 0);
      const [hottestKey, hottestUnits] = [...writes].sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
      stream.close();
      return {
        cases: CASES,
        firedOnce: firedOnce && entries.every((n) => n === thresholds.length),
        p50LatenessMs: round(percentile(lateness, 50)),
        maxLatenessMs: Math.max(...lateness),
        wcuPerCase: round(total / CASES),
        // The same mix at 1,000 cases a second.
        heat: { hottestKey, hottestWcuPerSecond: round((hottestUnits / CASES) * 1000) },
      };
    } finally {
      await runtime.stop();
    }
  } finally {
    await dynamo.stop();
  }
}
