/** Batched reads and writes: chunked to DynamoDB's limits, chunks in parallel, unprocessed keys retried. */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Unavailable } from '../domain/errors.js';
import { guard } from './errors.js';
import type { Store } from './store.js';

export type Key = { pk: string; sk: string };
type Item = Record<string, unknown>;

const chunks = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const keyOf = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;

/** Every found item by `pk|sk`; one round-trip wave for up to 100 keys per chunk, chunks in parallel. */
export async function batchGet(store: Store, keys: readonly Key[], consistent = true): Promise<Map<string, Item>> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  const found = new Map<string, Item>();
  // At most 16 calls in flight: a frontier of thousands is still one wave of calls, without flooding the table.
  await mapLimit(chunks(unique, 100), 16, async (chunk) => {
    let pending: Key[] = chunk;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 6) throw new Unavailable('The database did not return every item; retry shortly.');
      if (round > 0) await sleep(20 * 2 ** round);
      const out = await guard(() =>
        store.doc.send(new BatchGetCommand({ RequestItems: { [store.tableName]: { Keys: pending, ConsistentRead: consistent } } })),
      );
      for (const item of out.Responses?.[store.tableName] ?? []) found.set(keyOf(item as Key), item);
      pending = (out.UnprocessedKeys?.[store.tableName]?.Keys ?? []) as Key[];
    }
  });
  return found;
}

export const lookup = (found: Map<string, Item>, key: Key) => found.get(keyOf(key));

/** Writes puts and deletes in batches of 25, chunks in parallel (bounded). Not atomic across items. */
export async function batchWrite(store: Store, puts: readonly Item[], deletes: readonly Key[] = []): Promise<void> {
  const requests = [...puts.map((Item) => ({ PutRequest: { Item } })), ...deletes.map((Key) => ({ DeleteRequest: { Key } }))];
  await mapLimit(chunks(requests, 25), 16, async (chunk) => {
    let pending = chunk as Record<string, unknown>[];
    for (let round = 0; pending.length > 0; round++) {
      if (round > 6) throw new Unavailable('The database did not accept every write; retry shortly.');
      if (round > 0) await sleep(20 * 2 ** round);
      const out = await guard(() => store.doc.send(new BatchWriteCommand({ RequestItems: { [store.tableName]: pending as never } })));
      pending = (out.UnprocessedItems?.[store.tableName] ?? []) as Record<string, unknown>[];
    }
  });
}
