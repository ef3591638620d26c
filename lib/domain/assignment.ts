/**
 * Work assignment (SPEC §2 "Work assignment"): queues that offer their
 * unassigned cases to available members with free capacity, and the work
 * items that carry each offer. Pure: which cases need a work item, who is
 * offered next, what a step does to an item.
 */
import { Invalid } from './errors.js';
import { PRIORITIES, type Priority } from './priority.js';
import { WORKING_STAGES, type Stage } from './stage-transitions.js';

export const ASSIGNMENT_MODES = ['manual', 'offer', 'auto'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];
export const STRATEGIES = ['most_capacity', 'round_robin'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const PRESENCES = ['available', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];
export const WORK_ITEM_STATES = ['queued', 'offered', 'accepted', 'cancelled'] as const;
export type WorkItemState = (typeof WORK_ITEM_STATES)[number];
/** What happened to a work item, step by step (its history). */
export const WORK_ITEM_STEPS = ['queued', 'offered', 'accepted', 'rejected', 'timed_out', 'cancelled'] as const;
export type WorkItemStep = (typeof WORK_ITEM_STEPS)[number];

export const DEFAULT_CAPACITY = 2;
export const MAX_CAPACITY = 100;
export const OFFER_TIMEOUT_SECONDS = { min: 10, max: 86_400, default: 120 } as const;

export interface RejectReason {
  code: string;
  label: string;
  /** Whether the case may be offered again to the agent who gave this reason. */
  reassignable: boolean;
}

/** How a queue hands out its cases (`PUT /queues/{queueId}`). */
export interface QueueAssignment {
  assignment: AssignmentMode;
  strategy: Strategy;
  offerTimeoutSeconds: number;
  targetWaitSeconds?: number;
  rejectReasons: RejectReason[];
  /** The presence an agent whose offer timed out gets. */
  onTimeout: Presence;
}

export const DEFAULT_ASSIGNMENT: QueueAssignment = {
  assignment: 'manual',
  strategy: 'most_capacity',
  offerTimeoutSeconds: OFFER_TIMEOUT_SECONDS.default,
  rejectReasons: [],
  onTimeout: 'away',
};

/** An agent as assignment sees them: presence, capacity, and the cases they hold (assigned and working, or offered). */
export interface Agent {
  sub: string;
  presence: Presence;
  capacity: number;
  /** Case ids counted against capacity: assigned in a working stage, or offered and not yet answered. */
  holding: string[];
  lastAssignedAt?: string;
  updatedAt?: string;
}

/** Someone with no record yet: offline, default capacity. */
export const newAgent = (sub: string): Agent => ({ sub, presence: 'offline', capacity: DEFAULT_CAPACITY, holding: [] });

export const inUse = (agent: Agent) => agent.holding.length;
export const freeCapacity = (agent: Agent) => agent.capacity - inUse(agent);

export interface WorkItemStepEntry {
  at: string;
  step: WorkItemStep;
  /** The agent, `queue:<id>` for routing, `schedule` for a timeout, or who changed the case. */
  actor: string;
  reason?: string;
}

export interface WorkItem {
  workItemId: string;
  caseId: string;
  queueId: string;
  state: WorkItemState;
  priority: Priority;
  offeredTo: string | null;
  offeredAt?: string;
  expiresAt?: string;
  offerCount: number;
  queuedAt: string;
  createdAt: string;
  /** Agents never to be offered this item again (rejected with a reason that is not reassignable, or timed out). */
  excluded: string[];
  steps: WorkItemStepEntry[];
  /** The agent who accepted (or was given, `auto`) the case. */
  acceptedBy?: string;
  version: number;
}

/** A work item as stored: its offer's expiry under another name than the table's TTL attribute (`expiresAt`). */
export type WorkItemRecord = Omit<WorkItem, 'offeredTo' | 'expiresAt'> & { offeredTo?: string; offerExpiresAt?: string };

/** A stored work item as the domain knows it. */
export const workItemOfRecord = ({ offerExpiresAt, offeredTo, ...rest }: WorkItemRecord): WorkItem => ({
  ...rest,
  offeredTo: offeredTo ?? null,
  ...(offerExpiresAt ? { expiresAt: offerExpiresAt } : {}),
});

/** What the API shows of a work item: its fields and how long it waits(ed). */
export function workItemView(item: WorkItem, settings: Pick<QueueAssignment, 'targetWaitSeconds'> | undefined, at: string) {
  const { excluded: _excluded, ...shown } = item;
  const end = item.state === 'queued' || item.state === 'offered' ? at : (item.steps.at(-1)?.at ?? at);
  const waitSeconds = Math.max(0, Math.floor((Date.parse(end) - Date.parse(item.queuedAt)) / 1000));
  const target = settings?.targetWaitSeconds;
  return { ...shown, waitSeconds, exceededTargetWait: target !== undefined && waitSeconds > target };
}

/** The cases that count against their assignee's capacity: those still being worked. */
export const isWorking = (stage: Stage) => WORKING_STAGES.includes(stage);

/** The fields of a case that assignment reads. */
export interface CaseForAssignment {
  caseId: string;
  stage: Stage;
  priority: Priority;
  queue?: string;
  assignee?: string;
  version: number;
}

/** Whose capacity a case counts against: its assignee while it is worked. */
export const holderOf = (c: CaseForAssignment | undefined) => (c && c.assignee && isWorking(c.stage) ? c.assignee : undefined);

/** Whether a case should wait in its queue for an agent: working, unassigned, in a queue that offers or assigns. */
export function awaitsAgent(c: CaseForAssignment | undefined, mode: AssignmentMode | undefined): boolean {
  return !!c && isWorking(c.stage) && !c.assignee && !!c.queue && mode !== undefined && mode !== 'manual';
}

/** A work item's id: the case's, and the case version that queued it (a case may wait again later). */
export const workItemIdOf = (caseId: string, sourceVersion: number) => `wi_${caseId.slice('case_'.length)}_${sourceVersion}`;
const WORK_ITEM_ID = /^wi_([0-9a-f]{32})_(\d{1,9})$/;
/** The case a work item id names; undefined for a string that is not one. */
export function caseOfWorkItem(workItemId: string): string | undefined {
  const m = WORK_ITEM_ID.exec(workItemId);
  return m ? `case_${m[1]}` : undefined;
}

/** Higher priority first (0 = critical). */
export const priorityRank = (p: Priority) => PRIORITIES.indexOf(p);

/**
 * Who may be offered an item, best first: available members with free
 * capacity who are not excluded. `most_capacity`: most free capacity, ties
 * to the one who waited longest since their last assignment; `round_robin`:
 * longest since their last assignment. `avoid` (who just passed it on) comes
 * last, so an item rejected with a reassignable reason goes to someone else
 * when there is anyone.
 */
export function candidates(agents: Agent[], strategy: Strategy, item: Pick<WorkItem, 'excluded'>, avoid?: string): Agent[] {
  const since = (a: Agent) => a.lastAssignedAt ?? '';
  return agents
    .filter((a) => a.presence === 'available' && freeCapacity(a) > 0 && !item.excluded.includes(a.sub))
    .sort(
      (a, b) =>
        Number(a.sub === avoid) - Number(b.sub === avoid) ||
        (strategy === 'most_capacity' ? freeCapacity(b) - freeCapacity(a) : 0) ||
        since(a).localeCompare(since(b)) ||
        a.sub.localeCompare(b.sub),
    );
}

/** The reason given for a rejection, as the queue defines it; 400 naming `reason` for one it does not. */
export function rejectReason(reasons: readonly RejectReason[], code: string): RejectReason {
  if (reasons.length === 0) return { code, label: code, reassignable: false };
  const found = reasons.find((r) => r.code === code);
  if (!found) {
    throw new Invalid(`'${code}' is not a reject reason of this queue (${reasons.map((r) => r.code).join(', ')}).`, [{ path: 'reason', message: 'not a reason of the queue' }]);
  }
  return found;
}

/** When an offer made at `at` expires. */
export const offerExpiry = (at: string, settings: QueueAssignment) => new Date(Date.parse(at) + settings.offerTimeoutSeconds * 1000).toISOString();
