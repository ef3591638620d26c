/**
 * Work assignment from DynamoDB Streams: each case change moves its work
 * item (opened when the case starts to wait in a queue that offers, cancelled
 * when it stops) and who holds it against capacity; an offer that ended
 * (rejected, timed out, cancelled) frees its agent's room; then every queue that
 * may offer something now (an item queued, an agent with room or newly
 * available, a queue changed) offers its queued items. Every step is
 * conditional, so a retried batch does nothing twice. A record that fails is
 * reported with every later one, and the stream retries from there in order.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { freeCapacity, workItemOfRecord } from '../../lib/domain/assignment.js';
import type { AgentRecord, RecordChange } from '../../lib/domain/stream-image.js';
import { logger, observed } from '../../lib/observability.js';
import { failuresFrom, followInOrder } from '../../lib/stream-batches.js';
import { AgentRepository } from '../../lib/store/agents.js';
import { CaseListRepository } from '../../lib/store/case-lists.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { QueueRepository } from '../../lib/store/queues.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { WorkItemRepository } from '../../lib/store/work-items.js';
import { followCase, followQueueMode, release, releaseOf, routeQueue, type Release } from '../../lib/usecases/assignment.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';

let repos: Repositories | undefined;

/** Items whose records are followed at once (each item's records one after the other). */
const ITEMS_AT_ONCE = 8;

const room = (a: AgentRecord | undefined) => (a ? freeCapacity({ ...a, holding: [...(a.holding ?? [])] }) : 0);

/** Follows one change; names the queues that may have something to offer because of it. */
async function follow(change: RecordChange, toRoute: Set<string>, releases: Release[], repos: Repositories): Promise<void> {
  if (change.kind === 'case' && change.after) await followCase(repos, change.before, change.after);
  if (change.kind === 'workitem' && change.after) {
    const freed = releaseOf(change.before && workItemOfRecord(change.before), workItemOfRecord(change.after));
    if (freed) releases.push(freed);
    if (change.after.state === 'queued' && (change.before?.state !== 'queued' || change.before.version !== change.after.version)) toRoute.add(change.after.queueId);
  }
  if (change.kind === 'queue' && change.after) {
    const mode = (q?: { assignment?: string }) => q?.assignment ?? 'manual';
    if (mode(change.before) !== mode(change.after)) await followQueueMode(repos, change.after.queueId, { at: change.after.updatedAt ?? new Date().toISOString(), actor: change.after.updatedBy ?? 'system' });
    toRoute.add(change.after.queueId);
  }
  if (change.kind === 'agent' && change.after?.presence === 'available' && (change.before?.presence !== 'available' || room(change.after) > room(change.before))) {
    const sub = change.after.sub;
    for (const q of await repos.queues.list()) if (q.members.includes(sub) && q.assignment !== 'manual') toRoute.add(q.queueId);
  }
}

export const handler = observed(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  repos ??= repositoriesOf(storeFromEnv(), { cases: CaseRepository, caseLists: CaseListRepository, queues: QueueRepository, agents: AgentRepository, workItems: WorkItemRepository });
  const toRoute = new Set<string>();
  const releases: Release[] = [];
  // Records of one item in the order the stream keeps; different items at once.
  const failed = await followInOrder(
    event.Records,
    ITEMS_AT_ONCE,
    (record) => follow(recordChangeOf(record), toRoute, releases, repos!),
    (record, error) => logger.error('assignment failed', { eventID: record.eventID, error }),
  );
  if (failed.length) return { batchItemFailures: failed };
  try {
    // The batch's freed rooms, one write per agent; then the queues that may offer something now.
    await release(repos, releases);
    for (const queueId of toRoute) await routeQueue(repos, queueId);
  } catch (error) {
    // Releasing and routing again are harmless (a set's DELETE; offers only of what is still queued): the batch is retried whole.
    logger.error('releasing or routing failed', { queues: [...toRoute], error: error as Error });
    return { batchItemFailures: failuresFrom(event.Records, 0).slice(0, 1) };
  }
  return { batchItemFailures: [] };
});
