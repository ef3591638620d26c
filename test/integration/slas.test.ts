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

describe('cases listed by SLA breach (GET /cases?slaBreached=, ?slaDueBefore=)', () => {
  const kase = (priority: 'critical' | 'high', queue = 'lists', extra: { assignee?: string } = {}) =>
    createManualCase(t.repos, { shortDescription: `${priority} in ${queue}`, priority, queue, ...extra }, 'op');
  /** Every case of a list, a page of `limit` at a time, as of `at`. */
  async function listAll(filters: Parameters<typeof t.repos.caseLists.list>[0], at: string, limit = 100) {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.repos.caseLists.list(filters, limit, cursor, at);
      ids.push(...page.items.map((c) => c.caseId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  it('lists a queue\'s cases whose SLA breached, those on the clock that have not, and those due before a time, earliest breach first', async () => {
    await t.repos.queues.put({ queueId: 'lists', members: ['ada'] }, { at: new Date().toISOString(), actor: 'admin' });
    await createSlaDefinition(t.repos, { name: 'Resolve high', kind: 'resolution', priorities: ['high'], targetMinutes: 240, schedule: '24x7' }, 'admin');
    const a = await kase('critical');
    const b = await kase('critical', 'lists', { assignee: 'ada' });
    const g = await kase('critical', 'lists', { assignee: 'ada' });
    const c = await kase('high');
    const resolved = await kase('critical');
    const waiting = await kase('critical');
    const elsewhere = await kase('critical', 'tier1');
    await settleAll();
    await updateCase(t.repos, resolved.caseId, { stage: 'resolved', closedReason: 'already_mitigated' }, 'ada');
    await updateCase(t.repos, waiting.caseId, { stage: 'awaiting_info', assignee: 'ada' }, 'ada');
    await settleAll();
    const last = elsewhere.createdAt;
    const name = new Map([a, b, g, c, resolved, waiting, elsewhere].map((x, i) => [x.caseId, 'a b g c resolved waiting elsewhere'.split(' ')[i]]));
    const names = (ids: string[]) => ids.flatMap((id) => (name.has(id) ? [name.get(id)] : []));
    const at = minutesAfter(last, 20);

    // a's response (15 min) has breached; b and g were assigned at once, their resolutions (60 min) are ahead, c's (high, 240 min) further; resolved and waiting are off the clock.
    expect(names(await listAll({ queue: 'lists', slaBreached: true }, at))).toEqual(['a']);
    expect(names(await listAll({ queue: 'lists', slaBreached: false }, at))).toEqual(['b', 'g', 'c']);
    expect(names(await listAll({ queue: 'lists', slaDueBefore: minutesAfter(last, 61) }, at))).toEqual(['a', 'b', 'g']);
    expect(names(await listAll({ queue: 'lists', slaBreached: false, slaDueBefore: minutesAfter(last, 61) }, at))).toEqual(['b', 'g']);
    // Not breached and due before now: no time fits.
    expect(await listAll({ slaBreached: false, slaDueBefore: minutesAfter(last, 10) }, at)).toEqual([]);
    // Other filters run on the SLA list too.
    expect(names(await listAll({ queue: 'lists', assignee: 'ada', slaBreached: false }, at))).toEqual(['b', 'g']);
    expect(names(await listAll({ queue: 'lists', stage: 'new', slaBreached: false }, at))).toEqual(['b', 'g', 'c']);
    // Without a queue: every queue's, elsewhere too.
    expect(names(await listAll({ slaBreached: true }, at))).toEqual(['a', 'elsewhere']);
    // A page at a time, the cursor resuming each shard where the page left it.
    expect(names(await listAll({ queue: 'lists', slaDueBefore: minutesAfter(last, 300) }, at, 1))).toEqual(['a', 'b', 'g', 'c']);
    // A cursor stays good as the window moves with the clock: what breached meanwhile is no longer 'not breached'.
    const first = await t.repos.caseLists.list({ queue: 'lists', slaBreached: false }, 1, undefined, at);
    expect(names(first.items.map((x) => x.caseId))).toEqual(['b']);
    let cursor = first.nextCursor ?? undefined;
    const rest: string[] = [];
    while (cursor) {
      const page = await t.repos.caseLists.list({ queue: 'lists', slaBreached: false }, 1, cursor, minutesAfter(last, 65));
      rest.push(...page.items.map((x) => x.caseId));
      cursor = page.nextCursor ?? undefined;
    }
    expect(names(rest)).toEqual(['c']);

    // Resolutions breach at 60 min; g then waits on the customer: paused after it breached, it stays on the breached list.
    await sweepTimers(t.repos, minutesAfter(last, 61));
    await settleAll();
    await updateCase(t.repos, g.caseId, { stage: 'awaiting_info', assignee: 'ada' }, 'ada');
    await settleAll();
    expect(await stagesOf(g.caseId)).toEqual({ 'Respond to critical': 'completed', 'Resolve critical': 'paused' });
    const later = minutesAfter(last, 70);
    expect(names(await listAll({ queue: 'lists', slaBreached: true }, later))).toEqual(['a', 'b', 'g']);
    expect(names(await listAll({ queue: 'lists', slaBreached: false }, later))).toEqual(['c']);
    // Resolved, b is off the clock: breached or not, a completed SLA is not listed.
    await updateCase(t.repos, b.caseId, { stage: 'resolved', closedReason: 'already_mitigated' }, 'ada');
    await settleAll();
    expect(names(await listAll({ queue: 'lists', slaBreached: true }, later))).toEqual(['a', 'g']);
  });

  it('pages through many cases made at once, each once, in breach order, whatever the page size', async () => {
    await t.repos.queues.put({ queueId: 'many', members: ['ada'] }, { at: new Date().toISOString(), actor: 'admin' });
    const made = await Promise.all(Array.from({ length: 40 }, (_, i) => kase(i % 3 === 0 ? 'high' : 'critical', 'many')));
    await settleAll();
    const breachOf = new Map(
      await Promise.all(made.map(async (m) => [m.caseId, (await caseSlas(t.repos, m.caseId)).items.filter((s) => s.stage === 'in_progress').map((s) => s.breachAt).sort()[0]] as const)),
    );
    const expected = [...breachOf].sort(([x, p], [y, q]) => p.localeCompare(q) || x.localeCompare(y)).map(([id]) => id);
    const at = new Date().toISOString();
    for (const limit of [1, 7, 100]) expect(await listAll({ queue: 'many', slaDueBefore: minutesAfter(at, 300) }, at, limit)).toEqual(expected);
  });
});
