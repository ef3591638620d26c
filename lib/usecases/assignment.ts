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
  offerExpiry,
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
import { priorityRank } from '../domain/assignment.js';
import type { Queue } from '../domain/queue-rules.js';
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
 * item when it no longer waits (assigned by hand, out of the queue, settled),
 * and opens one when it starts to wait in a queue that offers or assigns.
 * Safe to run again for the same change.
 */
export async function followCase(repos: Repositories, before: CaseForAssignment | undefined, after: CaseForAssignment & { updatedBy?: string; updatedAt?: string }): Promise<void> {
  const at = after.updatedAt ?? now();
  const queue = after.queue ? await repos.queues.get(after.queue) : undefined;
  const waits = awaitsAgent(after, queue?.assignment);
  let current = await repos.workItems.get(after.caseId);
  if (current && isOpen(current) && (!waits || current.queueId !== after.queue)) {
    const cancelled: WorkItem = { ...withoutOffer(current), state: 'cancelled', version: current.version + 1, steps: [...current.steps, stepOf(at, 'cancelled', after.updatedBy ?? 'system')] };
    const outcome = await repos.workItems.step(cancelled, current.version, current.offeredTo ? { sub: current.offeredTo, release: true } : undefined);
    current = outcome === 'done' ? cancelled : await repos.workItems.get(after.caseId);
  }
  if (waits && current && isOpen(current) && current.priority !== after.priority) {
    await repos.workItems.step({ ...current, priority: after.priority, version: current.version + 1 }, current.version);
  } else if (waits && !isOpen(current)) {
    const workItemId = workItemIdOf(after.caseId, after.version);
    // The same change seen again (a retried batch) finds its own item.
    if (current?.workItemId !== workItemId) {
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
          steps: [stepOf(at, 'queued', after.updatedBy ?? 'system')],
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

/** How many work items one routing pass looks at in a queue. */
const ROUTE_BATCH = 25;

/**
 * Offers a queue's queued items, best first, each to the best member with
 * room (or, `auto`, assigns it at once), until items or room run out.
 * Returns how many were offered or assigned. Runs safely beside itself:
 * every step is conditional, and a step that lost a race is read again.
 */
export async function routeQueue(repos: Repositories, queueId: string): Promise<number> {
  const queue = await repos.queues.get(queueId);
  if (!queue || queue.assignment === 'manual' || queue.members.length === 0) return 0;
  const items = await repos.workItems.queued(queueId, ROUTE_BATCH);
  if (items.length === 0) return 0;
  const agents = new Map((await repos.agents.getMany(queue.members)).map((a) => [a.sub, a]));
  let routed = 0;
  for (const first of items) {
    let item: WorkItem | undefined = first;
    for (let attempt = 0; item?.state === 'queued' && attempt < 5; attempt++) {
      const lastPassed = [...item.steps].reverse().find((s) => s.step === 'rejected' || s.step === 'timed_out')?.actor;
      const [choice] = candidates([...agents.values()], queue.strategy, item, lastPassed);
      // No one has room: the items after this one wait too.
      if (!choice) return routed;
      const outcome = await (queue.assignment === 'auto' ? assignAtOnce(repos, queue, item, choice) : offer(repos, queue, item, choice));
      if (outcome === 'done') {
        routed++;
        agents.set(choice.sub, { ...choice, holding: [...choice.holding, item.caseId], lastAssignedAt: now() });
        break;
      }
      if (outcome === 'agent_unavailable') agents.set(choice.sub, await repos.agents.get(choice.sub));
      item = await repos.workItems.get(item.caseId);
    }
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
  const reason = rejectReason(queue ?? { rejectReasons: [] } as unknown as Queue, reasonCode);
  const next: WorkItem = {
    ...withoutOffer(item),
    state: 'queued',
    excluded: reason.reassignable ? item.excluded : [...new Set([...item.excluded, sub])],
    steps: [...item.steps, stepOf(at, 'rejected', sub, reason.code)],
    version: item.version + 1,
  };
  const outcome = await repos.workItems.step(next, item.version, { sub, release: true });
  if (outcome !== 'done') throw new Conflict(`Work item '${workItemId}' changed meanwhile; look at your inbox again.`);
  return workItemView(next, queue, at);
}

/**
 * Offers whose time is up go back to their queue, never to be offered to
 * that agent again, and the agent gets the queue's `onTimeout` presence.
 * Each exactly once (a conditional step); returns how many timed out.
 */
export async function expireOffers(repos: Repositories, at = now(), limit = 500): Promise<number> {
  const due = await repos.workItems.dueOffers(at, limit);
  const done = await mapLimit(due, 16, async (item) => {
    const queue = await repos.queues.get(item.queueId);
    const next: WorkItem = {
      ...withoutOffer(item),
      state: 'queued',
      excluded: [...new Set([...item.excluded, item.offeredTo!])],
      steps: [...item.steps, stepOf(at, 'timed_out', 'schedule')],
      version: item.version + 1,
    };
    const presence: Presence = queue?.onTimeout ?? 'away';
    return (await repos.workItems.step(next, item.version, { sub: item.offeredTo!, release: true, presence })) === 'done';
  });
  return done.filter(Boolean).length;
}

/** An agent as the API shows them. */
export const agentView = (a: Agent) => ({
  sub: a.sub,
  presence: a.presence,
  capacity: a.capacity,
  inUse: inUse(a),
  ...(a.lastAssignedAt ? { lastAssignedAt: a.lastAssignedAt } : {}),
  ...(a.updatedAt && a.updatedAt !== new Date(0).toISOString() ? { updatedAt: a.updatedAt } : {}),
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
const byPriorityThenAge = (a: { priority: StoredCase['priority']; at: string }, b: typeof a) => priorityRank(a.priority) - priorityRank(b.priority) || a.at.localeCompare(b.at);

/** The caller's inbox: offers waiting for an answer, and the cases they work; each highest priority first, then oldest. */
export async function inbox(repos: Repositories, sub: string) {
  const agent = await repos.agents.get(sub);
  const [items, cases] = await Promise.all([repos.workItems.getMany(agent.holding), repos.workItems.cases(agent.holding)]);
  const at = now();
  const offers = agent.holding
    .map((_, i) => ({ item: items[i], c: cases[i] }))
    .filter(({ item, c }) => item?.state === 'offered' && item.offeredTo === sub && c)
    .map(({ item, c }) => ({ ...workItemView(item!, undefined, at), case: summary(c!), at: item!.queuedAt }))
    .sort(byPriorityThenAge)
    .map(({ at: _at, ...offered }) => offered);
  const assigned = cases
    .filter((c): c is StoredCase => !!c && holderOf(c) === sub)
    .map((c) => ({ ...summary(c), stage: c.stage, createdAt: c.createdAt, slas: [], at: c.createdAt }))
    .sort(byPriorityThenAge)
    .map(({ at: _at, ...c }) => c);
  return { presence: agent.presence, capacity: agent.capacity, inUse: inUse(agent), offers, assigned };
}
