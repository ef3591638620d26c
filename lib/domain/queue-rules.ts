/** Queue rules (SPEC §2): queues are configuration; an assignee given with a queue must be a member. */
import { Invalid } from './errors.js';

export const DEFAULT_QUEUES = ['tier1', 'tier2', 'tier3'] as const;

export interface Queue {
  queueId: string;
  members: string[];
}

export interface Assignment {
  queue?: string | null;
  assignee?: string | null;
  warnings: string[];
}

/**
 * Decide the queue and assignee a case gets. `queue` is the queue as stored
 * (undefined when the named queue does not exist).
 */
export function assignCase(requested: { queue?: string | null; assignee?: string | null }, queue: Queue | undefined): Assignment {
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
