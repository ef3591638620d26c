/**
 * Service levels against real DynamoDB Local and its stream: the `slas`
 * stream function keeps each case's task SLAs, the timer sweep fires their
 * warnings and breaches, and the history and events stream functions turn
 * each firing into one entry and one event, however often batches are
 * delivered and sweeps run. The sweep's clock is driven (its `at`); the
 * cases' own times are real.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { eventsForChange } from '../../lib/events/changes.js';
import { matchesPattern } from '../../lib/events/patterns.js';
import { EVENTS_STREAM_FILTER, HISTORY_STREAM_FILTER, SLA_STREAM_FILTER } from '../../lib/events/rules.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { createManualCase, updateCase } from '../../lib/usecases/cases.js';
import { caseSlas, createSlaDefinition } from '../../lib/usecases/slas.js';
import { sweepTimers } from '../../lib/usecases/timers.js';
import type { Case } from '../../lib/domain/case.js';
import { localContext } from '../../local/stream-poller.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { streamReader, type StreamReader } from '../support/stream.js';

type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
let t: TestTable;
let stream: StreamReader;
let slas: Handler;
let history: Handler;

beforeAll(async () => {
  t = await createTestTable('slas');
  process.env.TABLE_NAME = t.tableName;
  process.env.DYNAMODB_ENDPOINT = t.endpoint;
  ({ handler: slas } = await import('../../functions/streams/slas.js'));
  ({ handler: history } = await import('../../functions/streams/history.js'));
  stream = streamReader(t.endpoint, t.streamArn);
  await t.repos.queues.put({ queueId: 'tier1', members: ['ada'] }, { at: new Date().toISOString(), actor: 'admin' });
  await createSlaDefinition(t.repos, { name: 'Respond to critical', kind: 'response', priorities: ['critical'], targetMinutes: 15, schedule: '24x7' }, 'admin');
  await createSlaDefinition(t.repos, { name: 'Resolve critical', kind: 'resolution', priorities: ['critical'], targetMinutes: 60, schedule: '24x7' }, 'admin');
});
afterAll(async () => {
  stream.close();
  await t.drop();
});

/** Hands records to a stream function as Lambda does: a batch that reports a failure is sent again from that record. */
async function deliver(handler: Handler, records: DynamoDBRecord[]) {
  let pending = records;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 20) throw new Error('a batch kept failing');
    const { batchItemFailures } = await handler({ Records: pending }, localContext('test'));
    const first = batchItemFailures[0]?.itemIdentifier;
    pending = first === undefined ? [] : pending.slice(pending.findIndex((r) => r.dynamodb?.SequenceNumber === first));
  }
}

/** The new records, each delivered twice (a retried batch) to the SLA and history functions as their filters pass them; returns the SLA events they make. */
async function settle() {
  const records = await stream.fresh();
  const [forSlas, forHistory, forEvents] = [SLA_STREAM_FILTER, HISTORY_STREAM_FILTER, EVENTS_STREAM_FILTER].map((filter) => records.filter((r) => matchesPattern(r, filter)));
  for (let i = 0; i < 2; i++) await deliver(slas, forSlas);
  for (let i = 0; i < 2; i++) await deliver(history, forHistory);
  return forEvents.flatMap((r) => eventsForChange(recordChangeOf(r))).filter((e) => e.detailType.startsWith('SLA'));
}
/** Follows everything the stream has, until the SLA writes make no more. */
async function settleAll() {
  const events = [];
  for (let round = 0; round < 5; round++) events.push(...(await settle()));
  return events;
}

const critical = (): Promise<Case> => createManualCase(t.repos, { shortDescription: 'checkout down', priority: 'critical', queue: 'tier1' }, 'op');
const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const slaEntries = async (caseId: string) =>
  (await t.repos.history.list({ kind: 'case', id: caseId }, 100)).items
    .filter((e) => e.action.startsWith('sla_'))
    .map((e) => [e.action, e.actor, (e.changes[0].to as { name: string; percent: number }).name, (e.changes[0].to as { percent: number }).percent]);
const stagesOf = async (caseId: string) => Object.fromEntries((await caseSlas(t.repos, caseId)).items.map((s) => [s.name, s.stage]));

it('a critical case gets a response and a resolution SLA, counted from its creation', async () => {
  const c = await critical();
  await settleAll();
  const { items } = await caseSlas(t.repos, c.caseId);
  // By the definitions' names.
  expect(items.map((s) => [s.name, s.stage, s.breachAt, s.hasBreached])).toEqual([
    ['Resolve critical', 'in_progress', minutesAfter(c.createdAt, 60), false],
    ['Respond to critical', 'in_progress', minutesAfter(c.createdAt, 15), false],
  ]);
  // The case is timed by its first threshold: half the response target.
  expect((await t.repos.timers.due(minutesAfter(c.createdAt, 7.5), 50)).slas.map((s) => s.caseId)).toContain(c.caseId);
  expect((await t.repos.timers.due(minutesAfter(c.createdAt, 7.4), 50)).slas.map((s) => s.caseId)).not.toContain(c.caseId);
});

it('warnings and breaches fire exactly once under sweeps at once and batches delivered twice: one history entry and one event each', async () => {
  const c = await critical();
  await settleAll();
  const at = minutesAfter(c.createdAt, 31);
  // Nothing before its time.
  expect((await sweepTimers(t.repos, minutesAfter(c.createdAt, 7))).slas).toBe(0);
  const before = (await t.repos.caseSlas.get(c.caseId))!.version;
  await Promise.all([sweepTimers(t.repos, at), sweepTimers(t.repos, at), sweepTimers(t.repos, at)]);
  // One write of the case's SLAs fired all that was due.
  expect((await t.repos.caseSlas.get(c.caseId))!.version).toBe(before + 1);
  const events = await settleAll();
  // Fired in one sweep, so at one time: sorted here by SLA and threshold.
  expect((await slaEntries(c.caseId)).sort((a, b) => String(a[2]).localeCompare(String(b[2])) || Number(a[3]) - Number(b[3]))).toEqual([
    ['sla_warning', 'schedule', 'Resolve critical', 50],
    ['sla_warning', 'schedule', 'Respond to critical', 50],
    ['sla_warning', 'schedule', 'Respond to critical', 75],
    ['sla_breached', 'schedule', 'Respond to critical', 100],
  ]);
  const mine = events.filter((e) => e.detail.caseId === c.caseId);
  expect(mine.map((e) => [e.detailType, e.detail.name, e.detail.percent])).toEqual([
    ['SLA Warning', 'Resolve critical', 50],
    ['SLA Warning', 'Respond to critical', 50],
    ['SLA Warning', 'Respond to critical', 75],
    ['SLA Breached', 'Respond to critical', 100],
  ]);
  expect(new Set(mine.map((e) => e.detail.eventId)).size).toBe(4);
  // A sweep again at the same time fires nothing more.
  await sweepTimers(t.repos, at);
  expect((await t.repos.caseSlas.get(c.caseId))!.version).toBe(before + 1);
  expect((await caseSlas(t.repos, c.caseId)).items.map((s) => s.hasBreached)).toEqual([false, true]);
});

it('a response completes when the case is assigned, a resolution when it is resolved; a resolved case is never breached after', async () => {
  const c = await critical();
  await settleAll();
  await updateCase(t.repos, c.caseId, { assignee: 'ada' }, 'ada');
  await settleAll();
  expect(await stagesOf(c.caseId)).toEqual({ 'Respond to critical': 'completed', 'Resolve critical': 'in_progress' });
  await updateCase(t.repos, c.caseId, { stage: 'resolved', closedReason: 'already_mitigated' }, 'ada');
  // The sweep comes before the stream has followed the resolution: it passes the case over.
  await sweepTimers(t.repos, minutesAfter(c.createdAt, 61));
  await settleAll();
  expect(await stagesOf(c.caseId)).toEqual({ 'Respond to critical': 'completed', 'Resolve critical': 'completed' });
  await sweepTimers(t.repos, minutesAfter(c.createdAt, 120));
  await settleAll();
  expect(await slaEntries(c.caseId)).toEqual([]);
  expect((await caseSlas(t.repos, c.caseId)).items.map((s) => s.hasBreached)).toEqual([false, false]);
});

it('awaiting info pauses the clock: nothing fires while paused', async () => {
  const c = await critical();
  await settleAll();
  await updateCase(t.repos, c.caseId, { stage: 'awaiting_info', assignee: 'ada' }, 'ada');
  await settleAll();
  expect(await stagesOf(c.caseId)).toEqual({ 'Respond to critical': 'completed', 'Resolve critical': 'paused' });
  await sweepTimers(t.repos, minutesAfter(c.createdAt, 600));
  await settleAll();
  expect(await slaEntries(c.caseId)).toEqual([]);
  // Its clock stands: no timer while paused.
  expect((await t.repos.caseSlas.get(c.caseId))!.nextDueAt).toBeUndefined();
});
