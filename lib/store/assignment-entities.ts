/**
 * The entities of work assignment (agents, work items), defined beside the
 * table's others but apart from them, so only the functions that assign work
 * bundle them (an API function's own code is kept under 250 KB).
 */
import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { list } from 'dynamodb-toolbox/schema/list';
import { map } from 'dynamodb-toolbox/schema/map';
import { number } from 'dynamodb-toolbox/schema/number';
import { set } from 'dynamodb-toolbox/schema/set';
import { string } from 'dynamodb-toolbox/schema/string';
import { PRESENCES, WORK_ITEM_STATES, WORK_ITEM_STEPS } from '../domain/assignment.js';
import { PRIORITIES } from '../domain/priority.js';
import { partitionFor, TIMER_LIST, timerSortKey, WORK_ITEM_LISTS, workItemKey, workItemSortKey, perTable, type Db } from './entities.js';

function define(table: Db['table']) {
  const common = { table, timestamps: false } as const;
  /** A person's presence and capacity, and the cases counted against it (a set: adding one twice counts once). */
  const agent = new Entity({
    ...common,
    name: 'agent',
    schema: item({
      sub: string().key(),
      presence: string().enum(...PRESENCES),
      capacity: number(),
      holding: set(string()).optional(),
      lastAssignedAt: string().optional(),
      updatedAt: string(),
      updatedBy: string(),
    }),
    computeKey: ({ sub }: { sub: string }) => ({ pk: `USER#${sub}`, sk: 'USER' }),
  });

  /** A case's current work item (one at a time), beside the case; listed in its queue while open, timed while offered. */
  const workItem = new Entity({
    ...common,
    name: 'workitem',
    schema: item({
      caseId: string().key(),
      workItemId: string(),
      queueId: string(),
      state: string().enum(...WORK_ITEM_STATES),
      priority: string().enum(...PRIORITIES),
      offeredTo: string().optional(),
      offeredAt: string().optional(),
      /** Not the table's TTL attribute (`expiresAt`): an offer's expiry is a time, not a deletion. */
      offerExpiresAt: string().optional(),
      offerCount: number(),
      queuedAt: string(),
      createdAt: string(),
      excluded: list(string()),
      steps: list(map({ at: string(), step: string().enum(...WORK_ITEM_STEPS), actor: string(), reason: string().optional() })),
      acceptedBy: string().optional(),
      version: number(),
    }).and((prev) => ({
      gsi2pk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ state, queueId, caseId }) => (state === 'queued' || state === 'offered' ? partitionFor(WORK_ITEM_LISTS.open, queueId, caseId) : undefined)),
      gsi2sk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ state, priority, queuedAt, caseId }) =>
          state === 'queued' || state === 'offered' ? workItemSortKey(state, PRIORITIES.indexOf(priority), queuedAt, caseId) : undefined,
        ),
      gsi8pk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ state, caseId }) => (state === 'offered' ? partitionFor(TIMER_LIST, '', caseId) : undefined)),
      gsi8sk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ state, offerExpiresAt, caseId }) => (state === 'offered' && offerExpiresAt ? timerSortKey(offerExpiresAt, 'offer', caseId) : undefined)),
    })),
    computeKey: ({ caseId }: { caseId: string }) => workItemKey(caseId),
  });

  return { agent, workItem };
}

/** The assignment entities on a table (made once per table). */
export const assignmentEntities = /* @__PURE__ */ perTable(define);
