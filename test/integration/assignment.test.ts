/**
 * Work assignment through the real Streams API of DynamoDB Local: the test
 * hands the stream's records to the same handler Lambda runs (in order, in
 * batches, again when a delivery is retried), and drives offer timeouts with
 * the sweep's own use case at a chosen time.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ASSIGNMENT_STREAM_FILTER, EVENTS_STREAM_FILTER } from '../../lib/events/rules.js';
import { eventsForChange } from '../../lib/events/changes.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { acceptOffer, inbox, queueWorkItems, rejectOffer, setAgent } from '../../lib/usecases/assignment.js';
import { createManualCase, updateCase } from '../../lib/usecases/cases.js';
import { sweepTimers } from '../../lib/usecases/timers.js';
import type { Case } from '../../lib/domain/case.js';
import type { Queue } from '../../lib/domain/queue-rules.js';
import { localContext } from '../../local/stream-poller.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { streamReader, type StreamReader } from '../support/stream.js';

let t: TestTable;
let stream: StreamReader;
let handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

beforeAll(async () => {
  t = await createTestTable('assignment');
  process.env.TABLE_NAME = t.tableName;
  process.env.DYNAMODB_ENDPOINT = t.endpoint;
  ({ handler } = await import('../../functions/streams/assignment.js'));
  stream = streamReader(t.endpoint, t.streamArn);
});
afterAll(async () => {
  stream.close();
  await t.drop();
});

/**
 * Hands records to the handler as Lambda does: a batch that reports a failure
 * (the database too busy to answer in time, on a loaded machine) is sent
 * again from that record, until it goes through.
 */
const deliver = async (records: DynamoDBRecord[]) => {
  let pending = records;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 20) throw new Error('a batch kept failing');
    const { batchItemFailures } = await handler({ Records: pending }, localContext('assignment'));
    const first = batchItemFailures[0]?.itemIdentifier;
    pending = first === undefined ? [] : pending.slice(pending.findIndex((r) => r.dynamodb?.SequenceNumber === first));
  }
};

/** Hands every new record to the handler, 100 at a time, until what it wrote makes no more (as the stream would). */
async function settle(): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const records = await stream.fresh(ASSIGNMENT_STREAM_FILTER);
    if (records.length === 0) return;
    for (let i = 0; i < records.length; i += 100) await deliver(records.slice(i, i + 100));
  }
  throw new Error('the stream did not settle');
}

const manager = { sub: 'boss', manager: true };
async function agents(...specs: [sub: string, capacity: number][]) {
  for (const [sub, capacity] of specs) await setAgent(t.repos, sub, { presence: 'available', capacity }, manager);
}
/** Sets a queue, and lets the stream see it before anything else happens. */
async function queue(queueId: string, members: string[], settings: Partial<Queue> = {}) {
  await t.repos.queues.put({ queueId, members, assignment: 'offer', ...settings }, { at: new Date().toISOString(), actor: 'boss' });
  await settle();
}
const newCase = (queueId: string, extra: Partial<Parameters<typeof createManualCase>[1]> = {}): Promise<Case> =>
  createManualCase(t.repos, { shortDescription: `waiting in ${queueId}`, priority: 'moderate', queue: queueId, ...extra }, 'op');
const itemOf = async (c: { caseId: string }) => (await t.repos.workItems.get(c.caseId))!;
const inUse = async (sub: string) => (await inbox(t.repos, sub)).inUse;

it('most_capacity offers to the member with the most room; the case waits unassigned until they accept, and the offer counts against them', async () => {
  await queue('mc', ['mc-a', 'mc-b']);
  await agents(['mc-a', 2], ['mc-b', 2]);
  await newCase('mc', { assignee: 'mc-a' });
  await settle();
  expect(await inUse('mc-a')).toBe(1);

  const waiting = await newCase('mc');
  await settle();
  const offered = await itemOf(waiting);
  expect(offered).toMatchObject({ state: 'offered', offeredTo: 'mc-b', offerCount: 1 });
  expect((await t.repos.cases.get(waiting.caseId))!.assignee).toBeUndefined();
  expect(await inUse('mc-b')).toBe(1);
  expect((await inbox(t.repos, 'mc-b')).offers.map((o) => o.case.caseId)).toEqual([waiting.caseId]);

  const accepted = await acceptOffer(t.repos, offered.workItemId, 'mc-b');
  expect(accepted).toMatchObject({ caseId: waiting.caseId, assignee: 'mc-b', updatedBy: 'mc-b' });
  await settle();
  expect(await itemOf(waiting)).toMatchObject({ state: 'accepted', acceptedBy: 'mc-b', offeredTo: null });
  // The offer's slot became the case's: still one.
  const box = await inbox(t.repos, 'mc-b');
  expect({ inUse: box.inUse, offers: box.offers.length, assigned: box.assigned.map((c) => c.caseId) }).toEqual({ inUse: 1, offers: 0, assigned: [waiting.caseId] });
  // One event per step, however often the stream delivers the records.
  const records = await stream.all(EVENTS_STREAM_FILTER);
  const events = [...records, ...records].flatMap((r) => eventsForChange(recordChangeOf(r))).filter((e) => e.detail.caseId === waiting.caseId && e.detail.workItemId);
  expect([...new Map(events.map((e) => [e.detail.eventId, e.detailType])).values()]).toEqual(['Case Offered', 'Case Accepted']);
});

it('lists an inbox highest priority first, then oldest: its offers and its assigned cases', async () => {
  await queue('order', ['order-a']);
  await agents(['order-a', 6]);
  const low = await newCase('order', { priority: 'low' });
  const critical = await newCase('order', { priority: 'critical' });
  const highOld = await newCase('order', { priority: 'high' });
  const highNew = await newCase('order', { priority: 'high' });
  const worked = [await newCase('order', { priority: 'low', assignee: 'order-a' }), await newCase('order', { priority: 'critical', assignee: 'order-a' })];
  await settle();
  const box = await inbox(t.repos, 'order-a');
  expect(box.offers.map((o) => o.case.caseId)).toEqual([critical, highOld, highNew, low].map((c) => c.caseId));
  expect(box.assigned.map((c) => c.caseId)).toEqual([worked[1], worked[0]].map((c) => c.caseId));
});

it('round_robin gives each of three free agents one of three cases, and two each of six', async () => {
  await queue('rr', ['rr-a', 'rr-b', 'rr-c'], { strategy: 'round_robin' });
  await agents(['rr-a', 5], ['rr-b', 5], ['rr-c', 5]);
  const first = [await newCase('rr'), await newCase('rr'), await newCase('rr')];
  await settle();
  const offeredTo = async (cases: Case[]) => Promise.all(cases.map(async (c) => (await itemOf(c)).offeredTo));
  expect((await offeredTo(first)).sort()).toEqual(['rr-a', 'rr-b', 'rr-c']);
  const more = [await newCase('rr'), await newCase('rr'), await newCase('rr')];
  await settle();
  const all = await offeredTo([...first, ...more]);
  expect(['rr-a', 'rr-b', 'rr-c'].map((sub) => all.filter((s) => s === sub).length)).toEqual([2, 2, 2]);
});

it('a rejection that is not reassignable goes to another member and never back; one that is may come back', async () => {
  await queue('rj', ['rj-a', 'rj-b'], {
    rejectReasons: [
      { code: 'skills', label: 'Not my area', reassignable: false },
      { code: 'busy', label: 'Busy right now', reassignable: true },
    ],
  });
  await agents(['rj-a', 2], ['rj-b', 1]);
  const c = await newCase('rj');
  await settle();
  const first = await itemOf(c);
  expect(first.offeredTo).toBe('rj-a');
  await expect(rejectOffer(t.repos, first.workItemId, 'rj-a', 'nope')).rejects.toMatchObject({ errors: [{ path: 'reason' }] });
  await expect(rejectOffer(t.repos, first.workItemId, 'rj-b', 'skills')).rejects.toThrow(/someone else/);
  expect(await rejectOffer(t.repos, first.workItemId, 'rj-a', 'skills')).toMatchObject({ state: 'queued', offeredTo: null });
  await settle();
  const second = await itemOf(c);
  expect(second).toMatchObject({ state: 'offered', offeredTo: 'rj-b', offerCount: 2 });
  expect(second.steps.map((s) => [s.step, s.actor, s.reason])).toEqual([
    ['queued', 'op', undefined],
    ['offered', 'queue:rj', undefined],
    ['rejected', 'rj-a', 'skills'],
    ['offered', 'queue:rj', undefined],
  ]);
  expect(await inUse('rj-a')).toBe(0);
  // rj-b passes it on but may take it later; rj-a never again: it waits for rj-b.
  await rejectOffer(t.repos, second.workItemId, 'rj-b', 'busy');
  await settle();
  expect(await itemOf(c)).toMatchObject({ state: 'offered', offeredTo: 'rj-b', offerCount: 3 });
});

it('an offer not answered in time goes back to the queue once, to another member; the agent goes away and is offered nothing more', async () => {
  await queue('to', ['to-a', 'to-b'], { offerTimeoutSeconds: 30, onTimeout: 'away' });
  await agents(['to-a', 3], ['to-b', 1]);
  const c = await newCase('to');
  await settle();
  const offered = await itemOf(c);
  expect(offered.offeredTo).toBe('to-a');
  // Not before its time, then exactly once however many sweeps run at once.
  expect((await sweepTimers(t.repos, new Date(Date.parse(offered.expiresAt!) - 1000).toISOString())).offers).toBe(0);
  const after = new Date(Date.parse(offered.expiresAt!) + 1000).toISOString();
  const sweeps = await Promise.all([sweepTimers(t.repos, after), sweepTimers(t.repos, after), sweepTimers(t.repos, after)]);
  expect(sweeps.reduce((n, s) => n + s.offers, 0)).toBe(1);
  await settle();
  expect(await itemOf(c)).toMatchObject({ state: 'offered', offeredTo: 'to-b', offerCount: 2 });
  expect((await itemOf(c)).steps.filter((s) => s.step === 'timed_out')).toEqual([{ at: after, step: 'timed_out', actor: 'schedule' }]);
  const away = await inbox(t.repos, 'to-a');
  expect({ presence: away.presence, inUse: away.inUse }).toEqual({ presence: 'away', inUse: 0 });
  const later = await newCase('to');
  await settle();
  expect(await itemOf(later)).toMatchObject({ state: 'queued', offeredTo: null });
  // Back to available: the waiting case is offered to them.
  await setAgent(t.repos, 'to-a', { presence: 'available' }, { sub: 'to-a', manager: false });
  await settle();
  expect(await itemOf(later)).toMatchObject({ state: 'offered', offeredTo: 'to-a' });
});

it('when everyone is full a case waits past its target; closing a case frees a slot and the best waiting case is offered', async () => {
  await queue('full', ['full-a'], { targetWaitSeconds: 1 });
  await agents(['full-a', 1]);
  const held = await newCase('full', { assignee: 'full-a' });
  const low = await newCase('full', { priority: 'low' });
  const high = await newCase('full', { priority: 'high' });
  await settle();
  expect([(await itemOf(low)).state, (await itemOf(high)).state]).toEqual(['queued', 'queued']);
  await new Promise((done) => setTimeout(done, 2100));
  const waiting = await queueWorkItems(t.repos, 'full', 'queued', 10);
  expect(waiting.items.map((w) => [w.caseId, w.exceededTargetWait])).toEqual([
    [high.caseId, true],
    [low.caseId, true],
  ]);
  await updateCase(t.repos, held.caseId, { stage: 'cancelled' }, 'full-a');
  await settle();
  expect(await itemOf(high)).toMatchObject({ state: 'offered', offeredTo: 'full-a' });
  expect((await itemOf(low)).state).toBe('queued');
});

it('assigning by hand, leaving the queue or settling cancels the work item and frees its offer', async () => {
  await queue('cx', ['cx-a', 'cx-b']);
  await agents(['cx-a', 2], ['cx-b', 2]);
  const c = await newCase('cx');
  await settle();
  const offered = await itemOf(c);
  await updateCase(t.repos, c.caseId, { assignee: 'cx-b' }, 'boss');
  await settle();
  expect(await itemOf(c)).toMatchObject({ state: 'cancelled', offeredTo: null });
  expect([await inUse(offered.offeredTo!), await inUse('cx-b')]).toEqual(offered.offeredTo === 'cx-b' ? [1, 1] : [0, 1]);
  await expect(acceptOffer(t.repos, offered.workItemId, offered.offeredTo!)).rejects.toThrow(/no longer offered/);
});

it('a queue turned to offer offers the cases already waiting in it; turned back to manual, it takes its offers back', async () => {
  await queue('mode', ['mode-a'], { assignment: 'manual' });
  await agents(['mode-a', 1]);
  const waiting = await newCase('mode');
  const other = await newCase('mode', { priority: 'low' });
  await newCase('mode', { stage: 'resolved', closedReason: 'already_mitigated' });
  await settle();
  expect(await t.repos.workItems.get(waiting.caseId)).toBeUndefined();
  await queue('mode', ['mode-a'], { assignment: 'offer' });
  await settle();
  expect(await itemOf(waiting)).toMatchObject({ state: 'offered', offeredTo: 'mode-a', steps: [expect.objectContaining({ step: 'queued', actor: 'boss' }), expect.anything()] });
  expect((await itemOf(other)).state).toBe('queued');
  await queue('mode', ['mode-a'], { assignment: 'manual' });
  await settle();
  expect([(await itemOf(waiting)).state, (await itemOf(other)).state]).toEqual(['cancelled', 'cancelled']);
  expect(await inUse('mode-a')).toBe(0);
  // And on again: the same cases wait again.
  await queue('mode', ['mode-a'], { assignment: 'offer' });
  await settle();
  expect(await itemOf(waiting)).toMatchObject({ state: 'offered', offeredTo: 'mode-a' });
});

it('auto assigns at once, with nothing to accept', async () => {
  await queue('auto', ['auto-a'], { assignment: 'auto' });
  await agents(['auto-a', 2]);
  const c = await newCase('auto');
  await settle();
  expect(await t.repos.cases.get(c.caseId)).toMatchObject({ assignee: 'auto-a', updatedBy: 'queue:auto' });
  const item = await itemOf(c);
  expect(item).toMatchObject({ state: 'accepted', acceptedBy: 'auto-a' });
  await expect(acceptOffer(t.repos, item.workItemId, 'auto-a')).rejects.toThrow(/no longer offered/);
  expect(await inUse('auto-a')).toBe(1);
});

it('of two accepts at once one wins and the other is refused', async () => {
  await queue('race', ['race-a']);
  await agents(['race-a', 2]);
  const c = await newCase('race');
  await settle();
  const item = await itemOf(c);
  const outcomes = await Promise.allSettled([acceptOffer(t.repos, item.workItemId, 'race-a'), acceptOffer(t.repos, item.workItemId, 'race-a')]);
  expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  expect((await t.repos.cases.get(c.caseId))!.version).toBe(c.version + 1);
});

it('200 cases routed by 20 deliveries at once to 10 agents of capacity 5: nobody over capacity, no case offered twice, every case offered or queued, and a redelivery changes nothing', async () => {
  const members = Array.from({ length: 10 }, (_, i) => `many-${i}`);
  await queue('many', members);
  await agents(...members.map((sub): [string, number] => [sub, 5]));
  await settle();
  const cases: Case[] = [];
  for (let i = 0; i < 200; i += 20) cases.push(...(await Promise.all(Array.from({ length: 20 }, () => newCase('many')))));
  const records = await stream.fresh(ASSIGNMENT_STREAM_FILTER);
  const size = Math.ceil(records.length / 20);
  await Promise.all(Array.from({ length: 20 }, (_, i) => deliver(records.slice(i * size, (i + 1) * size))));
  await settle();
  // Delivered again, all at once: nothing more happens.
  await Promise.all(Array.from({ length: 20 }, (_, i) => deliver(records.slice(i * size, (i + 1) * size))));
  await settle();
  const items = await t.repos.workItems.getMany(cases.map((c) => c.caseId));
  const states = items.map((w) => w?.state);
  expect({ offered: states.filter((s) => s === 'offered').length, queued: states.filter((s) => s === 'queued').length }).toEqual({ offered: 50, queued: 150 });
  const held = await t.repos.agents.getMany(members);
  expect(held.map((a) => a.holding.length)).toEqual(members.map(() => 5));
  // Each offered case is held by exactly the agent it is offered to.
  const holders = new Map(held.flatMap((a) => a.holding.map((caseId) => [caseId, a.sub] as const)));
  expect(holders.size).toBe(50);
  for (const w of items.filter((x) => x?.state === 'offered')) expect(holders.get(w!.caseId)).toBe(w!.offeredTo);
  expect(items.every((w) => w!.offerCount <= 1)).toBe(true);
}, 120_000);
