/**
 * Work assignment from DynamoDB Streams: each case change moves its work
 * item (opened when the case starts to wait in a queue that offers, cancelled
 * when it stops) and who holds it against capacity; then every queue that
 * may offer something now (an item queued, an agent with room or newly
 * available, a queue changed) offers its queued items. Every step is
 * conditional, so a retried batch does nothing twice. A record that fails is
 * reported with every later one, and the stream retries from there in order.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { freeCapacity } from '../../lib/domain/assignment.js';
import type { AgentRecord, RecordChange } from '../../lib/domain/stream-image.js';
import { logger, observed } from '../../lib/observability.js';
import { AgentRepository } from '../../lib/store/agents.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { QueueRepository } from '../../lib/store/queues.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { WorkItemRepository } from '../../lib/store/work-items.js';
import { followCase, routeQueue } from '../../lib/usecases/assignment.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';

let repos: Repositories | undefined;

const room = (a: AgentRecord | undefined) => (a ? freeCapacity({ ...a, holding: [...(a.holding ?? [])] }) : 0);

/** Follows one change; names the queues that may have something to offer because of it. */
async function follow(change: RecordChange, toRoute: Set<string>, repos: Repositories): Promise<void> {
  if (change.kind === 'case' && change.after) await followCase(repos, change.before, change.after);
  if (change.kind === 'workitem' && change.after?.state === 'queued' && (change.before?.state !== 'queued' || change.before.version !== change.after.version)) toRoute.add(change.after.queueId);
  if (change.kind === 'queue' && change.after) toRoute.add(change.after.queueId);
  if (change.kind === 'agent' && change.after?.presence === 'available' && (change.before?.presence !== 'available' || room(change.after) > room(change.before))) {
    const sub = change.after.sub;
    for (const q of await repos.queues.list()) if (q.members.includes(sub) && q.assignment !== 'manual') toRoute.add(q.queueId);
  }
}

export const handler = observed(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  repos ??= repositoriesOf(storeFromEnv(), { cases: CaseRepository, queues: QueueRepository, agents: AgentRepository, workItems: WorkItemRepository });
  const toRoute = new Set<string>();
  for (const [i, record] of event.Records.entries()) {
    try {
      await follow(recordChangeOf(record), toRoute, repos);
    } catch (error) {
      logger.error('assignment failed', { eventID: record.eventID, error: error as Error });
      return { batchItemFailures: event.Records.slice(i).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
    }
  }
  try {
    for (const queueId of toRoute) await routeQueue(repos, queueId);
  } catch (error) {
    // Routing again is harmless (it offers only what is still queued): the batch is retried whole.
    logger.error('routing failed', { queues: [...toRoute], error: error as Error });
    return { batchItemFailures: event.Records.slice(0, 1).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
  }
  return { batchItemFailures: [] };
});
