/**
 * Work assignment (SPEC §2 "Work assignment"): work items follow their cases
 * (from the stream), queues offer them to available members with room, and
 * agents accept or reject; offers that are not answered in time go back to
 * the queue (the timer sweep). Every step is one conditional write over the
 * version read, so a retry or a race never does it twice.
 */
import {
  awaitsAgent,
  candidates,
  caseOfWorkItem,
  holderOf,
  inUse,
  isWorking,
  offerExpiry,
  priorityRank,
  rejectReason,
  workItemIdOf,
  workItemView,
  type Agent,
  type CaseForAssignment,
  type Presence,
  type WorkItem,
  type WorkItemStepEntry,
} from '../domain/assignment.js';
import { caseView, type Case, type StoredCase } from '../domain/case.js';
import { Conflict, Forbidden, NotFound } from '../domain/errors.js';
import type { Queue } from '../domain/queue-rules.js';
import { nearestBreach, slaSummary } from '../domain/sla.js';
import { WORKING_STAGES } from '../domain/stage-transitions.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';
import { mapLimit } from '../concurrency.js';

/** The actor of routing steps: the queue that made them. */
const queueActor = (queueId: string) => `queue:${queueId}`;
const stepOf = (at: string, step: WorkItemStepEntry['step'], actor: string, reason?: string): WorkItemStepEntry => ({ at, step, actor, ...(reason ? { reason } : {}) });
const isOpen = (w: WorkItem | undefined) => !!w && (w.state === 'queued' || w.state === 'offered');
/** The item with its offer taken back (no one it is offered to, no expiry). */
const withoutOffer = ({ offeredAt: _at, expiresAt: _exp, ...rest }: WorkItem): WorkItem => ({ ...rest, offeredTo: null });

/**
 * Follows a case's change (the stream): counts it against its assignee while
 * it is worked (and no longer against a former one), cancels its open work
 * item when it no longer waits (assigned by hand, out of the queue, settled,
 * its queue turned to `manual`), and opens one when it starts to wait in a
 * queue that offers or assigns. Safe to run again for the same change.
 * `reopen`: the queue (not the case) changed, so an item this very case
 * version had may be opened again.
 */
export async function followCase(
  repos: Repositories,
  before: CaseForAssignment | undefined,
  after: CaseForAssignment & { updatedBy?: string; updatedAt?: string },
  options: { reopen?: boolean; at?: string; actor?: string } = {},
): Promise<void> {
  const at = options.at ?? after.updatedAt ?? now();
  const actor = options.actor ?? after.updatedBy ?? 'system';
  // Only a case that could wait reads its queue, and reads it as it is now: a cached queue turned to `offer` a moment
  // ago would leave the case waiting with no work item (the queue's own change opens items only for cases listed by then).
  const queue = after.queue && !after.assignee && isWorking(after.stage) ? await repos.queues.get(after.queue, true) : undefined;
  const waits = awaitsAgent(after, queue?.assignment);
  let current = await repos.workItems.get(after.caseId);
  if (current && isOpen(current) && (!waits || current.queueId !== after.queue)) {
    const cancelled: WorkItem = { ...withoutOffer(current), state: 'cancelled', version: current.version + 1, steps: [...current.steps, stepOf(at, 'cancelled', actor)] };
    // Its offer, if any, stops counting against the agent when the stream sees the item change (`release`).
    const outcome = await repos.workItems.step(cancelled, current.version);
    current = outcome === 'done' ? cancelled : await repos.workItems.get(after.caseId);
  }
  if (waits && current && isOpen(current) && current.priority !== after.priority) {
    await repos.workItems.step({ ...current, priority: after.priority, version: current.version + 1 }, current.version);
  } else if (waits && !isOpen(current)) {
    const workItemId = workItemIdOf(after.caseId, after.version);
    // The same change seen again (a retried batch) finds its own item.
    if (options.reopen || current?.workItemId !== workItemId) {
      await repos.workItems.open(
        {
          workItemId,
          caseId: after.caseId,
          queueId: after.queue!,
          state: 'queued',
          priority: after.priority,
          offeredTo: null,
          offerCount: 0,
          queuedAt: at,
          createdAt: at,
          excluded: [],
          steps: [stepOf(at, 'queued', actor)],
          version: (current?.version ?? 0) + 1,
        },
        current?.version,
      );
    }
  }
  const was = holderOf(before);
  const is = holderOf(after);
  if (was !== is) {
    if (was) await repos.agents.hold(was, { remove: [after.caseId] });
    if (is) await repos.agents.hold(is, { add: [after.caseId] });
  }
}

/** An agent's room freed by an offer that ended (and the presence a timeout gives them). */
export interface Release {
  agent: string;
  caseId: string;
  queueId: string;
  /** When the offer timed out, if it did. */
  timedOutAt?: string;
}

/**
 * What a work item's change frees (the stream): an offer that ended other
 * than by its agent's accept (rejected, timed out, cancelled). Releases are
 * made after the item's one conditional write, by `release`, so that write
 * needs no transaction; until then the agent's room is counted short, never
 * over.
 */
export function releaseOf(before: WorkItem | undefined, after: WorkItem): Release | undefined {
  const agent = before?.state === 'offered' ? before.offeredTo : null;
  if (!agent || (after.state === 'offered' && after.offeredTo === agent) || after.acceptedBy === agent) return undefined;
  const last = after.steps.at(-1);
  return { agent, caseId: after.caseId, queueId: after.queueId, ...(last?.step === 'timed_out' ? { timedOutAt: last.at } : {}) };
}

/**
 * Frees the rooms, one write per agent, of agents who still hold the cases
 * (the sweep frees what it timed out itself; the stream, following every
 * item, frees the rest and what a sweep did not get to): the cases stop
 * counting against them (unless a case is theirs now, assigned meanwhile),
 * and a timeout gives them the queue's `onTimeout` presence unless they
 * chose a presence since. Safe to run again.
 */
export async function release(repos: Repositories, releases: Release[]): Promise<void> {
  if (releases.length === 0) return;
  const agents = new Map((await repos.agents.getMany([...new Set(releases.map((r) => r.agent))])).map((a) => [a.sub, a]));
  const held = releases.filter((r) => agents.get(r.agent)?.holding.includes(r.caseId));
  if (held.length === 0) return;
  const cases = await repos.workItems.cases([...new Set(held.map((r) => r.caseId))]);
  const holders = new Map(cases.flatMap((c) => (c ? [[c.caseId, holderOf(c)] as const] : [])));
  const byAgent = new Map<string, Release[]>();
  for (const r of held) if (holders.get(r.caseId) !== r.agent) byAgent.set(r.agent, [...(byAgent.get(r.agent) ?? []), r]);
  await mapLimit([...byAgent], 8, async ([agent, freed]) => {
    const last = freed
      .filter((r) => r.timedOutAt)
      .sort((a, b) => a.timedOutAt!.localeCompare(b.timedOutAt!))
      .at(-1);
    const queue = last ? await repos.queues.get(last.queueId) : undefined;
    await repos.agents.free(
      agent,
      freed.map((r) => r.caseId),
      last ? { presence: queue?.onTimeout ?? 'away', at: last.timedOutAt! } : undefined,
    );
  });
}

/**
 * A queue turned to `offer`/`auto` opens work items for the cases waiting
 * in it; turned to `manual`, it cancels its open ones. (Each case as its
 * change would; safe to run again.)
 */
export async function followQueueMode(repos: Repositories, queueId: string, change: { at: string; actor: string }): Promise<void> {
  const queue = await repos.queues.get(queueId, true);
  if (!queue) return;
  const follow = async (caseIds: string[]) => {
    const cases = await repos.workItems.cases(caseIds);
    await mapLimit(cases, 8, async (c) => (c ? followCase(repos, c, c, { reopen: true, ...change }) : undefined));
  };
  if (queue.assignment === 'manual') {
    for (const state of ['queued', 'offered'] as const) {
      let cursor: string | undefined;
      do {
        const page = await repos.workItems.listOfQueue(queueId, state, 100, cursor);
        await follow(page.items.map((w) => w.caseId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return;
  }
  for (const stage of WORKING_STAGES) {
    let cursor: string | undefined;
    do {
      const page = await repos.caseLists.list({ queue: queueId, stage }, 100, cursor);
      await follow(page.items.filter((c) => !c.assignee).map((c) => c.caseId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

/** How many work items one routing pass looks at in a queue, and how many offers it makes at once. */
const ROUTE_BATCH = 25;
const ROUTE_PARALLEL = 8;
/** Passes one routing makes at most (a pass that offers its whole batch is followed by another). */
const ROUTE_PASSES = 40;

/**
 * Offers a queue's queued items, best first, each to the best member with
 * room (or, `auto`, assigns it at once), until items or room run out: a pass
 * plans a batch against the members' room as read (each planned offer
 * taking a slot), makes the offers at once, and reads again what lost a race
 * (an agent's room taken meanwhile: that item waits for the next pass).
 * Returns how many were offered or assigned. Runs safely beside itself:
 * every step is conditional.
 */
export async function routeQueue(repos: Repositories, queueId: string): Promise<number> {
  const queue = await repos.queues.get(queueId);
  if (!queue || queue.assignment === 'manual' || queue.members.length === 0) return 0;
  let routed = 0;
  for (let pass = 0; pass < ROUTE_PASSES; pass++) {
    // Who has room first: with no one available with room (everyone busy, away or offline) the queue's items are not read.
    const agents = new Map((await repos.agents.getMany(queue.members)).map((a) => [a.sub, a]));
    if (candidates([...agents.values()], queue.strategy, { excluded: [] }).length === 0) return routed;
    const items = await repos.workItems.queued(queueId, ROUTE_BATCH);
    if (items.length === 0) return routed;
    const plan: { item: WorkItem; agent: Agent }[] = [];
    for (const item of items) {
      const lastPassed = [...item.steps].reverse().find((s) => s.step === 'rejected' || s.step === 'timed_out')?.actor;
      const [choice] = candidates([...agents.values()], queue.strategy, item, lastPassed);
      // No one has room for it: the items after it wait too (they are worse, or as good and younger).
      if (!choice) break;
      plan.push({ item, agent: choice });
      agents.set(choice.sub, { ...choice, holding: [...choice.holding, item.caseId], lastAssignedAt: new Date().toISOString() });
    }
    if (plan.length === 0) return routed;
    const outcomes = await mapLimit(plan, ROUTE_PARALLEL, ({ item, agent }) => (queue.assignment === 'auto' ? assignAtOnce(repos, queue, item, agent) : offer(repos, queue, item, agent)));
    const done = outcomes.filter((o) => o === 'done').length;
    routed += done;
    // Nothing went (every planned agent's room was taken by another router): their routing offers what is left.
    if (done === 0) return routed;
    // The batch was all the room there was, or all the items: done when a pass found fewer items than it looks at.
    if (items.length < ROUTE_BATCH && done === plan.length) return routed;
  }
  return routed;
}

function offer(repos: Repositories, queue: Queue, item: WorkItem, agent: Agent) {
  const at = now();
  const offered: WorkItem = {
    ...item,
    state: 'offered',
    offeredTo: agent.sub,
    offeredAt: at,
    expiresAt: offerExpiry(at, queue),
    offerCount: item.offerCount + 1,
    steps: [...item.steps, stepOf(at, 'offered', queueActor(queue.queueId))],
    version: item.version + 1,
  };
  return repos.workItems.step(offered, item.version, { sub: agent.sub, take: true, assignedAt: at });
}

/** `auto`: the case is given to the agent in the same write that counts it against their room. */
async function assignAtOnce(repos: Repositories, queue: Queue, item: WorkItem, agent: Agent) {
  const c = await repos.cases.get(item.caseId);
  const at = now();
  if (!c || !awaitsAgent(c, queue.assignment) || c.queue !== item.queueId) return 'item_changed' as const;
  const actor = queueActor(queue.queueId);
  const assigned: WorkItem = { ...item, state: 'accepted', acceptedBy: agent.sub, offerCount: item.offerCount, steps: [...item.steps, stepOf(at, 'accepted', actor)], version: item.version + 1 };
  const updated: StoredCase = { ...c, assignee: agent.sub, version: c.version + 1, updatedAt: at, updatedBy: actor };
  return repos.workItems.step(assigned, item.version, { sub: agent.sub, take: true, assignedAt: at }, { case: updated, expectedVersion: c.version, action: 'assigned' });
}

/** The open offer `workItemId` names, made to `sub`: 404 for no such item, 403 for one offered to someone else, 409 for one no longer offered. */
async function offerTo(repos: Repositories, workItemId: string, sub: string, at: string): Promise<WorkItem> {
  const caseId = caseOfWorkItem(workItemId);
  const item = caseId ? await repos.workItems.get(caseId) : undefined;
  if (!item || item.workItemId !== workItemId) throw new NotFound(`Work item '${workItemId}' does not exist.`);
  if (item.state !== 'offered') throw new Conflict(`Work item '${workItemId}' is no longer offered to you (it is ${item.state}).`);
  if (item.offeredTo !== sub) throw new Forbidden(`Work item '${workItemId}' is offered to someone else.`);
  if (item.expiresAt && item.expiresAt <= at) throw new Conflict(`The offer of work item '${workItemId}' expired at ${item.expiresAt}.`);
  return item;
}

/**
 * Accept: the agent becomes the case's assignee, in one transaction with
 * the item and their room (the offer's slot becomes the case's). Of two
 * accepts at once one wins; the other is 409.
 */
export async function acceptOffer(repos: Repositories, workItemId: string, sub: Actor): Promise<Case> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const at = now();
    const item = await offerTo(repos, workItemId, sub, at);
    const c = await repos.cases.require(item.caseId);
    if (c.assignee || c.queue !== item.queueId) throw new Conflict(`Case ${c.number} is no longer waiting in queue '${item.queueId}'.`);
    const accepted: WorkItem = { ...withoutOffer(item), state: 'accepted', acceptedBy: sub, steps: [...item.steps, stepOf(at, 'accepted', sub)], version: item.version + 1 };
    const updated: StoredCase = { ...c, assignee: sub, version: c.version + 1, updatedAt: at, updatedBy: sub };
    const outcome = await repos.workItems.step(accepted, item.version, { sub, keep: true, assignedAt: at }, { case: updated, expectedVersion: c.version, action: 'offer_accepted' });
    if (outcome === 'done') return caseView(updated);
  }
  throw new Conflict(`Work item '${workItemId}' changed while it was being accepted; look at your inbox again.`);
}

/** Reject with one of the queue's reasons: the item goes back to the queue, and (unless the reason allows it) never again to this agent. */
export async function rejectOffer(repos: Repositories, workItemId: string, sub: Actor, reasonCode: string) {
  const at = now();
  const item = await offerTo(repos, workItemId, sub, at);
  const queue = await repos.queues.get(item.queueId);
  const reason = rejectReason(queue?.rejectReasons ?? [], reasonCode);
  const next: WorkItem = {
    ...withoutOffer(item),
    state: 'queued',
    excluded: reason.reassignable ? item.excluded : [...new Set([...item.excluded, sub])],
    steps: [...item.steps, stepOf(at, 'rejected', sub, reason.code)],
    version: item.version + 1,
  };
  const outcome = await repos.workItems.step(next, item.version);
  if (outcome !== 'done') throw new Conflict(`Work item '${workItemId}' changed meanwhile; look at your inbox again.`);
  return workItemView(next, queue, at);
}

/**
 * Offers whose time is up go back to their queue, never to be offered to
 * that agent again, and the agent gets the queue's `onTimeout` presence.
 * Each exactly once (a conditional write of the item); then their agents'
 * rooms are freed, one write per agent. `due`: what the timer index lists
 * as due at `at` (lib/usecases/timers.ts); returns how many timed out.
 */
export async function expireOffers(repos: Repositories, due: WorkItem[], at = now()): Promise<number> {
  const done = await mapLimit(due, 32, async (item) => {
    // The step says when it was written (at or after `at`, so never before the offer's expiry).
    const next: WorkItem = {
      ...withoutOffer(item),
      state: 'queued',
      excluded: [...new Set([...item.excluded, item.offeredTo!])],
      steps: [...item.steps, stepOf(new Date(Math.max(Date.parse(at), Date.now())).toISOString(), 'timed_out', 'schedule')],
      version: item.version + 1,
    };
    return (await repos.workItems.step(next, item.version)) === 'done' ? releaseOf(item, next) : undefined;
  });
  const freed = done.filter((r): r is Release => r !== undefined);
  // Their agents' rooms at once (the stream would, a moment later; it finds them freed).
  await release(repos, freed);
  return freed.length;
}

/** An agent as the API shows them. */
export const agentView = (a: Agent) => ({
  sub: a.sub,
  presence: a.presence,
  capacity: a.capacity,
  inUse: inUse(a),
  ...(a.lastAssignedAt ? { lastAssignedAt: a.lastAssignedAt } : {}),
  ...(a.updatedAt ? { updatedAt: a.updatedAt } : {}),
});

/** Sets presence (oneself, or a manager for anyone) and capacity (a manager). */
export async function setAgent(repos: Repositories, sub: string, change: { presence?: Presence; capacity?: number }, by: { sub: string; manager: boolean }) {
  if (!by.manager && sub !== by.sub) throw new Forbidden("Only a manager sets another person's presence.");
  if (!by.manager && change.capacity !== undefined) throw new Forbidden('Only a manager sets capacity.');
  return agentView(await repos.agents.set(sub, change, { at: now(), actor: by.sub }));
}

/** The members of a queue (or of every queue), with presence and load. */
export async function listAgents(repos: Repositories, queueId?: string) {
  const queues = queueId ? [await repos.queues.get(queueId)] : await repos.queues.list();
  if (queueId && !queues[0]) throw new NotFound(`Queue '${queueId}' does not exist.`);
  const subs = [...new Set(queues.flatMap((q) => q!.members))].sort();
  return (await repos.agents.getMany(subs)).map(agentView);
}

/** A queue's waiting work (queued, then offered; best first). */
export async function queueWorkItems(repos: Repositories, queueId: string, state: 'queued' | 'offered' | undefined, limit: number, cursor?: string) {
  const queue = await repos.queues.get(queueId);
  if (!queue) throw new NotFound(`Queue '${queueId}' does not exist.`);
  const page = await repos.workItems.listOfQueue(queueId, state ?? 'queued', limit, cursor);
  const at = now();
  return { items: page.items.map((w) => workItemView(w, queue, at)), nextCursor: page.nextCursor };
}

const summary = (c: StoredCase) => ({ caseId: c.caseId, number: c.number, shortDescription: c.shortDescription, priority: c.priority });
/** Highest priority first, then nearest SLA breach (none: last), then oldest, by what `of` reads of each. */
const byPriorityBreachAge =
  <T>(of: (x: T) => { priority: StoredCase['priority']; breachAt?: string; at: string }) =>
  (x: T, y: T) => {
    const [a, b] = [of(x), of(y)];
    return priorityRank(a.priority) - priorityRank(b.priority) || (a.breachAt ?? '~').localeCompare(b.breachAt ?? '~') || a.at.localeCompare(b.at);
  };

/** The caller's inbox: offers waiting for an answer, and the cases they work; each highest priority first, then nearest SLA breach, then oldest. */
export async function inbox(repos: Repositories, sub: string) {
  const agent = await repos.agents.get(sub);
  const [items, cases, slas] = await Promise.all([repos.workItems.getMany(agent.holding), repos.workItems.cases(agent.holding), repos.caseSlas.getMany(agent.holding)]);
  const slasOf = new Map(slas.flatMap((s) => (s ? [[s.caseId, s.slas.map(slaSummary)] as const] : [])));
  const at = now();
  const offers = agent.holding
    .flatMap((_, i) => {
      const [item, c] = [items[i], cases[i]];
      return item?.state === 'offered' && item.offeredTo === sub && c ? [{ item, c }] : [];
    })
    .sort(byPriorityBreachAge(({ item }) => ({ priority: item.priority, breachAt: nearestBreach(slasOf.get(item.caseId)), at: item.queuedAt })))
    .map(({ item, c }) => ({ ...workItemView(item, undefined, at), case: summary(c) }));
  const assigned = cases
    .filter((c): c is StoredCase => !!c && holderOf(c) === sub)
    .sort(byPriorityBreachAge((c) => ({ priority: c.priority, breachAt: nearestBreach(slasOf.get(c.caseId)), at: c.createdAt })))
    .map((c) => ({ ...summary(c), stage: c.stage, createdAt: c.createdAt, slas: slasOf.get(c.caseId) ?? [] }));
  return { presence: agent.presence, capacity: agent.capacity, inUse: inUse(agent), offers, assigned };
}
