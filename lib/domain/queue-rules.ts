/** Queue rules (SPEC §2): queues are configuration; an assignee given with a queue must be a member. */
import { DEFAULT_ASSIGNMENT, type QueueAssignment } from './assignment.js';
import { Invalid } from './errors.js';

export const DEFAULT_QUEUES = ['tier1', 'tier2', 'tier3'] as const;

/** A queue: its members, and how it hands out its cases (SPEC §2 "Work assignment"; `manual` unless set). */
export interface Queue extends QueueAssignment {
  queueId: string;
  members: string[];
}

/** A queue as configured: what a PUT left out takes its default. */
export const queueWith = (queueId: string, settings: Partial<Queue> = {}): Queue => {
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined && v !== null));
  return { ...DEFAULT_ASSIGNMENT, members: [], ...defined, queueId };
};

export interface Assignment {
  queue?: string | null;
  assignee?: string | null;
  warnings: string[];
}

/**
 * Decide the queue and assignee a case gets. `queue` is the queue as stored
 * (undefined when the named queue does not exist).
 */
export function assignCase(requested: { queue?: string | null; assignee?: string | null }, queue: Pick<Queue, 'queueId' | 'members'> | undefined): Assignment {
  if (requested.queue == null) {
    return { queue: requested.queue, assignee: requested.assignee, warnings: [] };
  }
  if (!queue) {
    throw new Invalid(`Queue '${requested.queue}' does not exist.`, [{ path: 'queue', message: `unknown queue '${requested.queue}'` }]);
  }
  if (requested.assignee && !queue.members.includes(requested.assignee)) {
    return {
      queue: queue.queueId,
      assignee: null,
      warnings: [`Assignee '${requested.assignee}' is not a member of queue '${queue.queueId}'; the case is unassigned.`],
    };
  }
  return { queue: queue.queueId, assignee: requested.assignee, warnings: [] };
}
