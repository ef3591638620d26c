/**
 * The assignment section of `npm run bench` (SPEC §7 "Assignment and
 * timers"), each phase in a child process with a fresh in-memory DynamoDB
 * Local that its runtime starts (see bench/scale.ts for why):
 * - offers: 1,000 cases created in a queue that offers, 50 available agents
 *   with room for all of them; the stream offers each, every agent accepts
 *   theirs from the inbox. Counted afterwards from the table: double
 *   assignments, lost cases, agents over capacity; heat billed from the
 *   stream as in `scale`, as the hottest key's WCU/s at 1,000 cases/s.
 * - timers: 10,000 offers due at one instant; the runtime's timer sweep (a
 *   run a second locally) takes each back once: how many fired exactly
 *   once, and how late the last one was.
 */
import { fileURLToPath } from 'node:url';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import type { WorkItem } from '../lib/domain/assignment.js';
import { assignmentEntities } from '../lib/store/assignment-entities.js';
import { batchWrite } from '../lib/store/batch.js';
import { createStore } from '../lib/store/store.js';
import { repositoriesFor } from '../lib/usecases/repositories.js';
import { mapLimit } from '../lib/concurrency.js';
import { ensureTable, startDynamo } from '../local/dynamodb.js';
import { startRuntime, type Runtime } from '../local/runtime.js';
import { signLocalToken } from '../local/tokens.js';
import { inChildProcess, runAsChild } from './child.js';
import { percentile, round, seedWrite, until, whenTaken } from './figures.js';
import { billWrite, installReadMeter, StreamReader } from './scale.js';

const CASES = 1000;
const AGENTS = 50;
const TIMERS = 10_000;
/** Per partition key, DynamoDB's write limit per second: the hottest key stays under it at 1,000 cases/s. */
export const WCU_LIMIT = 1000;
/** SPEC §7: the last timer within 60 s of its due time. */
export const TIMER_LATENESS_BAR_MS = 60_000;

export interface Assignment {
  cases: number;
  agents: number;
  offersPerSecond: number;
  acceptsPerSecond: number;
  queuedToOfferedP50Ms: number;
  doubleAssignments: number;
  lost: number;
  overCapacity: number;
  heat: { hottestKey: string; hottestWcuPerSecond: number };
  timers: { pending: number; firedOnce: number; maxLatenessMs: number };
}
type Offers = Omit<Assignment, 'timers'>;
type Phases = { offers: Offers; timers: Assignment['timers'] };

const PHASE_ARG = '--assignment-phase';
const inChild = <P extends keyof Phases>(phase: P) => inChildProcess<Phases[P]>(fileURLToPath(import.meta.url), [PHASE_ARG, phase], `assignment phase ${phase}`);

export async function assignment(): Promise<Assignment> {
  const offers = await inChild('offers');
  const timers = await inChild('timers');
  return { ...offers, timers };
}

runAsChild(import.meta.url, PHASE_ARG, async (phase) => {
  if (phase === 'timers') return timers();
  const meter = installReadMeter();
  const runtime = await startRuntime({ tableName: 'assignment-offers', impactIntervalSeconds: 0, log: () => undefined });
  try {
    return await offers(runtime, meter);
  } finally {
    await runtime.stop();
  }
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const agentSub = (i: number) => `agent-${String(i).padStart(2, '0')}`;
const storeOf = (runtime: Runtime) => createStore({ tableName: runtime.tableName, endpoint: runtime.dynamoEndpoint });
const reposOf = (runtime: Runtime) => repositoriesFor(storeOf(runtime));

async function caller(runtime: Runtime, sub: string, role: string) {
  const token = await signLocalToken({ sub, roles: [role] });
  return async (method: string, path: string, body?: unknown) => {
    // A sender honouring 503 sends again: only what was finally answered counts.
    return whenTaken(
      async () => {
        const res = await fetch(`${runtime.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
      },
      (r) => r.status === 503,
    );
  };
}

async function offers(runtime: Runtime, meter: ReturnType<typeof installReadMeter>): Promise<Offers> {
  const repos = reposOf(runtime);
  const manager = await caller(runtime, 'bench-manager', 'sn_customerservice_manager');
  const members = range(AGENTS).map(agentSub);
  const capacity = CASES / AGENTS;
  const expect = <R extends { status: number; body: unknown }>(what: string, reply: R, status = 200): R => {
    if (reply.status !== status) throw new Error(`assignment bench: ${what} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply;
  };
  expect('the queue', await manager('PUT', '/queues/bench-q', { members, assignment: 'offer', offerTimeoutSeconds: 3600 }));
  for (const sub of members) expect('an agent', await manager('PUT', `/users/${sub}`, { presence: 'available', capacity }));
  const stream = new StreamReader(runtime.dynamoEndpoint, await ensureTable(runtime.dynamoEndpoint, runtime.tableName));
  await stream.settle();

  // Billed from here: the cases, their offers and accepts, and what the stream handlers write for them.
  meter.start();
  const created: string[] = [];
  await mapLimit(range(CASES), 16, async (i) => {
    const reply = expect('a case', await manager('POST', '/cases', { shortDescription: `bench case ${i}`, priority: ['critical', 'high', 'moderate', 'low'][i % 4], queue: 'bench-q' }), 201);
    created.push(reply.body.caseId as string);
  });
  const offered = await until(
    'every case offered',
    async () => {
      const items = await repos.workItems.getMany(created);
      return items.every((w) => w && w.state !== 'queued') ? (items as WorkItem[]) : undefined;
    },
    300_000,
  );
  const stepAt = (w: WorkItem, step: string) => Date.parse(w.steps.find((s) => s.step === step)!.at);
  const waits = offered.map((w) => stepAt(w, 'offered') - stepAt(w, 'queued'));
  const offerSpan = (Math.max(...offered.map((w) => stepAt(w, 'offered'))) - Math.min(...offered.map((w) => stepAt(w, 'queued')))) / 1000;

  // Every agent accepts what their inbox offers them, all agents at once.
  let refused = 0;
  const acceptsStarted = performance.now();
  await mapLimit(members, AGENTS, async (sub) => {
    const agent = await caller(runtime, sub, 'sn_customerservice_agent');
    const box = await agent('GET', '/inbox');
    for (const offer of box.body.offers as { workItemId: string }[]) {
      if ((await agent('POST', `/work-items/${offer.workItemId}/accept`)).status !== 200) refused++;
    }
  });
  const acceptSeconds = (performance.now() - acceptsStarted) / 1000;
  const records = await stream.settle();
  const { transactional } = meter.stop();

  // What the table holds now.
  const [items, cases, agents] = await Promise.all([repos.workItems.getMany(created), repos.workItems.cases(created), repos.agents.getMany(members)]);
  const holders = new Map<string, string[]>();
  for (const a of agents) for (const caseId of a.holding) holders.set(caseId, [...(holders.get(caseId) ?? []), a.sub]);
  const doubleAssignments = created.filter((caseId, i) => {
    const accepts = items[i]?.steps.filter((s) => s.step === 'accepted').length ?? 0;
    return accepts > 1 || (holders.get(caseId)?.length ?? 0) > 1 || (cases[i]?.assignee !== undefined && cases[i]?.assignee !== items[i]?.acceptedBy);
  }).length;
  const lost = created.filter((_, i) => items[i]?.state !== 'accepted' || !cases[i]?.assignee).length + refused;
  const overCapacity = agents.filter((a) => a.holding.length > a.capacity).length;

  const writes = new Map<string, number>();
  for (const record of records) billWrite(record, writes, transactional);
  const [hottestKey, hottestUnits] = [...writes].sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
  stream.close();
  return {
    cases: CASES,
    agents: AGENTS,
    offersPerSecond: round(CASES / offerSpan),
    acceptsPerSecond: round(CASES / acceptSeconds),
    queuedToOfferedP50Ms: round(percentile(waits, 50)),
    doubleAssignments,
    lost,
    overCapacity,
    // The same mix at 1,000 cases a second.
    heat: { hottestKey, hottestWcuPerSecond: round((hottestUnits / CASES) * 1000) },
  };
}

/**
 * 10,000 offers, all due by the time they are written (a batch write takes
 * a while on a busy machine), then the runtime starts, with its timer sweep
 * and stream handlers: lateness counts from when both the offers were due
 * and the sweep ran, the moment the runtime started.
 */
async function timers(): Promise<Assignment['timers']> {
  const dynamo = await startDynamo();
  const tableName = 'assignment-timers';
  try {
    await ensureTable(dynamo.endpoint, tableName);
    const store = createStore({ tableName, endpoint: dynamo.endpoint });
    const repos = repositoriesFor(store);
    const { workItem } = assignmentEntities(store.db);
    const members = range(100).map((i) => `sleeper-${i}`);
    await repos.queues.put({ queueId: 'timer-q', members, assignment: 'offer', onTimeout: 'away' }, { at: new Date().toISOString(), actor: 'bench' });
    for (const sub of members) await repos.agents.set(sub, { presence: 'offline', capacity: 100 }, { at: new Date().toISOString(), actor: 'bench' });
    const due = new Date().toISOString();
    const caseIds = range(TIMERS).map((i) => `case_${i.toString(16).padStart(32, '0')}`);
    const put = (caseId: string, i: number) =>
      workItem.build(BatchPutRequest).item({
        workItemId: `wi_${caseId.slice(5)}_1`,
        caseId,
        queueId: 'timer-q',
        state: 'offered',
        priority: 'moderate',
        offeredTo: members[i % members.length],
        offeredAt: due,
        offerExpiresAt: due,
        offerCount: 1,
        queuedAt: due,
        createdAt: due,
        excluded: [],
        steps: [
          { at: due, step: 'queued', actor: 'bench' },
          { at: due, step: 'offered', actor: 'queue:timer-q' },
        ],
        version: 2,
      });
    await batchWrite(store.db, caseIds.map(put), seedWrite());
    const started = Date.now();
    const runtime = await startRuntime({ dynamoEndpoint: dynamo.endpoint, tableName, impactIntervalSeconds: 0, log: () => undefined });
    try {
      // Read back a thousand at a time, each tried again while the busy database does not answer in time.
      const readAll = async () => {
        const items: WorkItem[] = [];
        for (let i = 0; i < caseIds.length; i += 1000) items.push(...((await until('the offers read back', () => repos.workItems.getMany(caseIds.slice(i, i + 1000)), 120_000)) as WorkItem[]));
        return items;
      };
      // Looked for cheaply while the sweep runs (the first due offer of each timer shard), then every item read, to be sure.
      const fired = await until(
        'every offer timed out',
        async () => {
          if ((await repos.timers.due(new Date(Date.now() + 3_600_000).toISOString(), 1)).offers.length > 0) return undefined;
          const items = await readAll();
          return items.every((w) => w.state !== 'offered') ? items : undefined;
        },
        180_000,
      );
      const timedOut = fired.map((w) => w.steps.filter((s) => s.step === 'timed_out'));
      const dueFrom = Math.max(Date.parse(due), started);
      return {
        pending: TIMERS,
        firedOnce: timedOut.filter((steps) => steps.length === 1).length,
        maxLatenessMs: Math.max(...timedOut.flat().map((s) => Date.parse(s.at) - dueFrom)),
      };
    } finally {
      await runtime.stop();
    }
  } finally {
    await dynamo.stop();
  }
}
