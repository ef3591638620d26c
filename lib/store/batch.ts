/**
 * Batched reads and writes through the toolbox: chunked to DynamoDB's limits
 * (which the toolbox leaves to us), chunks in parallel (bounded), unprocessed
 * keys retried with backoff. A slow database slows them down instead of
 * failing them: a call that times out or is throttled halves the calls in
 * flight and is tried again with backoff while the caller's deadline allows
 * (puts and deletes of whole items, and reads, may be sent twice).
 */
import type { BatchDeleteRequest } from 'dynamodb-toolbox/entity/actions/batchDelete';
import type { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import type { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import type { FormattedItem } from 'dynamodb-toolbox/entity';
import { BatchGetCommand, execute as executeGet } from 'dynamodb-toolbox/table/actions/batchGet';
import { BatchWriteCommand, execute as executeWrite } from 'dynamodb-toolbox/table/actions/batchWrite';
import { clock } from '../clock.js';
import { mapLimit, Pace } from '../concurrency.js';
import { Unavailable } from '../domain/errors.js';
import { guard } from './errors.js';
import { RETRY_BUDGET_MS, waitToRetry } from './retry.js';
import type { Db } from './entities.js';

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;

export const chunks = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/** Consecutive chunks of at most `size` entries and (but for a lone entry over it) `maxBytes` by `bytesOf`. */
export function chunksWithin<T>(list: readonly T[], bytesOf: (entry: T) => number, size: number, maxBytes: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of list) {
    const b = bytesOf(entry);
    if (current.length > 0 && (current.length >= size || bytes + b > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += b;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const keyString = (key: Key) => `${String(key.pk)}\u0000${String(key.sk)}`;
/** At most 16 calls in flight: a frontier of thousands is still one wave of calls, without flooding the table. */
const IN_FLIGHT = 16;

export interface BatchOptions {
  /** Until when (epoch ms) calls that time out, are throttled or leave items unprocessed are tried again; default RETRY_BUDGET_MS from now. */
  deadline?: number;
}

/**
 * Sends `requests` until none is left unprocessed: each call through `pace`,
 * and what the database left unprocessed or did not answer in time
 * sent again, with backoff, while the deadline allows; past it, `Unavailable`.
 */
async function untilProcessed<R>(pace: Pace, deadline: number, pending: R[], send: (requests: R[]) => Promise<R[]>, what: string): Promise<void> {
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1 && !(await waitToRetry(attempt, deadline))) throw new Unavailable(`The database did not ${what} in time; retry shortly.`);
    try {
      pending = await pace.run(() => send(pending));
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyGet = BatchGetRequest<any>;

/** What each request of a batch read finds: its entity's formatted item, or undefined. */
export type Found<R extends readonly AnyGet[]> = { -readonly [K in keyof R]: R[K] extends BatchGetRequest<infer E> ? FormattedItem<E> | undefined : never };

/**
 * Reads items by key, whatever their entities; each found item formatted by
 * its entity, in the order asked (undefined where there is none), typed as
 * its request's entity. One wave of calls for up to 100 distinct keys per
 * call.
 */
export async function batchGet<const R extends readonly AnyGet[]>(db: Db, requests: R, consistent = true, options: BatchOptions = {}): Promise<Found<R>> {
  const deadline = options.deadline ?? clock.now() + RETRY_BUDGET_MS;
  const pace = new Pace(IN_FLIGHT);
  // Each request's key worked out once (the toolbox parses the key on every params() call).
  const keys = requests.map((request) => keyString(request.params() as Key));
  const byKey = new Map<string, AnyGet>();
  requests.forEach((request, i) => byKey.set(keys[i], request));
  const found = new Map<string, Item>();
  await mapLimit(chunks([...byKey.entries()], 100), IN_FLIGHT, (chunk) =>
    untilProcessed(
      pace,
      deadline,
      chunk,
      async (pending) => {
        const command = db.table.build(BatchGetCommand).requests(...pending.map(([, request]) => request)).options({ consistent });
        const out = await guard(() => executeGet(command));
        const items = (out.Responses?.[0] ?? []) as (Item | undefined)[];
        pending.forEach(([key], i) => {
          if (items[i]) found.set(key, items[i]);
        });
        const unprocessed = (out.UnprocessedKeys?.[db.table.getName()]?.Keys ?? []) as Key[];
        if (unprocessed.length === 0) return [];
        const left = new Set(unprocessed.map(keyString));
        return pending.filter(([key]) => left.has(key));
      },
      'return every item',
    ),
  );
  // The toolbox formats each item by the entity of its request (the one place its type is restated).
  return keys.map((key) => found.get(key)) as Found<R>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyWrite = BatchPutRequest<any> | BatchDeleteRequest<any>;

const writeKey = (request: AnyWrite) => {
  const params = request.params() as { PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } };
  return keyString(params.PutRequest?.Item ?? params.DeleteRequest!.Key);
};

/**
 * Writes puts and deletes in batches of 25, chunks in parallel (bounded). Not
 * atomic across items, but it returns only once no chunk is in flight: after a
 * failure no new chunk starts, the ones running finish, then the first error
 * is thrown. A caller holding a lock keeps it until then.
 */
export async function batchWrite(db: Db, requests: readonly AnyWrite[], options: BatchOptions = {}): Promise<void> {
  const deadline = options.deadline ?? clock.now() + RETRY_BUDGET_MS;
  const pace = new Pace(IN_FLIGHT);
  let failure: { error: unknown } | undefined;
  await mapLimit(chunks(requests, 25), IN_FLIGHT, async (chunk) => {
    if (failure) return;
    try {
      await untilProcessed(
        pace,
        deadline,
        chunk,
        async (pending) => {
          const out = await guard(() => executeWrite(db.table.build(BatchWriteCommand).requests(...pending)));
          const unprocessed = (out.UnprocessedItems?.[db.table.getName()] ?? []) as { PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }[];
          if (unprocessed.length === 0) return [];
          const left = new Set(unprocessed.map((u) => keyString(u.PutRequest?.Item ?? u.DeleteRequest!.Key)));
          return pending.filter((request) => left.has(writeKey(request)));
        },
        'accept every write',
      );
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure) throw failure.error;
}

/**
 * Puts in order, a wave of IN_FLIGHT batches (400 items) at a time, until
 * they are all written or the deadline has passed between waves (the first
 * wave always goes, and is tried again until written or the deadline has
 * passed). Returns how many were written: always a whole first part of
 * `requests`, nothing beyond it.
 */
export async function batchWriteInOrder(db: Db, requests: readonly AnyWrite[], deadline: number): Promise<number> {
  const wave = 25 * IN_FLIGHT;
  for (let start = 0; start < requests.length; start += wave) {
    if (start > 0 && clock.now() > deadline) return start;
    // The first wave goes whatever the deadline: it has the usual time to be written.
    await batchWrite(db, requests.slice(start, start + wave), { deadline: start === 0 ? Math.max(deadline, clock.now() + RETRY_BUDGET_MS) : deadline });
  }
  return requests.length;
}
