/**
 * Queue repository. tier1–tier3 exist from the start: a default queue with no
 * item has no members. Queues are configuration: read through the instance's
 * cache (cache.ts), so a case creation storm does not read them every time.
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { DEFAULT_QUEUES, queueWith, type Queue } from '../domain/queue-rules.js';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { cached, forget, peek, prime } from './cache.js';
import { allQueues, type Db } from './entities.js';
import { guard } from './errors.js';
import { queryWhole } from './pagination.js';

/** A queue as stored, or a default queue without an item; undefined when there is no such queue. */
function queueOf(item: Record<string, unknown> | undefined, queueId: string): Queue | undefined {
  if (item) {
    const { updatedAt: _at, updatedBy: _by, ...settings } = item;
    return queueWith(queueId, settings as Partial<Queue>);
  }
  return (DEFAULT_QUEUES as readonly string[]).includes(queueId) ? queueWith(queueId) : undefined;
}

export class QueueRepository {
  constructor(private readonly db: Db) {}

  /** The queue from this instance's cache: `{ queue }` (undefined: no such queue), or undefined when it is not cached. */
  cachedQueue(queueId: string): { queue: Queue | undefined } | undefined {
    const hit = peek<Queue | undefined>(this.db.table.getName(), `queue:${queueId}`);
    return hit && { queue: hit.value };
  }

  /** Reads one queue along with other items (a case creation's one read), when it is not cached. */
  readRequest(queueId: string) {
    return this.db.queue.build(BatchGetRequest).key({ queueId });
  }

  /** The queue that read found, kept in the cache for the creations that follow. */
  queueRead(item: Record<string, unknown> | undefined, queueId: string): Queue | undefined {
    const queue = queueOf(item, queueId);
    prime(this.db.table.getName(), `queue:${queueId}`, queue);
    return queue;
  }

  /**
   * The queue as configured, undefined when there is none (cached, like the
   * list); `fresh`: as stored now (for decisions a stale queue would get wrong).
   */
  get(queueId: string, fresh = false): Promise<Queue | undefined> {
    if (fresh) forget(this.db.table.getName(), `queue:${queueId}`);
    return cached(this.db.table.getName(), `queue:${queueId}`, async () => {
      const out = await guard(() => this.db.queue.build(GetItemCommand).key({ queueId }).options({ consistent: true }).send());
      return queueOf(out.Item, queueId);
    });
  }

  /** Every queue, the defaults included. Queues are few: one partition, one query, cached. */
  list(): Promise<Queue[]> {
    return cached(this.db.table.getName(), 'queues', async () => {
      const out = await guard(() => queryWhole(this.db, this.db.queue, allQueues()).send());
      const stored = new Map((out.Items ?? []).map((item) => [item.queueId, queueOf(item, item.queueId)!]));
      for (const id of DEFAULT_QUEUES) if (!stored.has(id)) stored.set(id, queueOf(undefined, id)!);
      return [...stored.values()].sort((a, b) => a.queueId.localeCompare(b.queueId));
    });
  }

  /** Creates a queue or replaces its settings: what is left out takes its default. */
  async put(settings: Partial<Queue> & { queueId: string }, change: { at: string; actor: string }): Promise<Queue> {
    const queue = queueWith(settings.queueId, settings);
    await guard(() =>
      this.db.queue.build(PutItemCommand).item({ ...queue, updatedAt: change.at, updatedBy: change.actor }).send(),
    );
    forget(this.db.table.getName(), 'queue');
    return queue;
  }
}
