/** Queue repository. tier1–tier3 exist from the start: a default queue with no item has no members. */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_QUEUES, type Queue } from '../domain/queue-rules.js';
import { guard } from './errors.js';
import { keys } from './keys.js';
import type { Store } from './store.js';

export function queueFromItem(item: Record<string, unknown> | undefined, queueId: string): Queue | undefined {
  if (item) return { queueId: item.queueId as string, members: (item.members as string[]) ?? [] };
  return (DEFAULT_QUEUES as readonly string[]).includes(queueId) ? { queueId, members: [] } : undefined;
}

export class QueueRepository {
  constructor(private readonly store: Store) {}

  async get(queueId: string): Promise<Queue | undefined> {
    const out = await guard(() =>
      this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.queue(queueId), ConsistentRead: true })),
    );
    return queueFromItem(out.Item, queueId);
  }

  /** Every queue, the defaults included. Queues are few: one partition, one query. */
  async list(): Promise<Queue[]> {
    const out = await guard(() =>
      this.store.doc.send(
        new QueryCommand({
          TableName: this.store.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': 'QUEUE' },
        }),
      ),
    );
    const stored = new Map((out.Items ?? []).map((i) => [i.queueId as string, queueFromItem(i, i.queueId as string)!]));
    for (const id of DEFAULT_QUEUES) if (!stored.has(id)) stored.set(id, { queueId: id, members: [] });
    return [...stored.values()].sort((a, b) => a.queueId.localeCompare(b.queueId));
  }

  async put(queue: Queue, change: { at: string; actor: string }): Promise<Queue> {
    await guard(() =>
      this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: {
            ...keys.queue(queue.queueId),
            gsi1pk: 'QUEUE',
            gsi1sk: queue.queueId,
            entity: 'queue',
            queueId: queue.queueId,
            members: queue.members,
            updatedAt: change.at,
            updatedBy: change.actor,
          },
        }),
      ),
    );
    return queue;
  }
}
