/**
 * Idempotency records: the first result of a POST carrying `Idempotency-Key`,
 * returned again for a retry within 24 h (the rule: lib/domain/idempotency.ts).
 * A store operation that writes in one transaction (case creation) puts the
 * record inside that transaction; other POSTs claim the key first and
 * complete it afterwards.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateItemCommand, $set } from 'dynamodb-toolbox/entity/actions/update';
import {
  IDEMPOTENCY_TTL_SECONDS,
  firstResultOf,
  replayOf,
  type IdempotencyRecord,
  type IdempotencyRequest,
  type StoredResponse,
} from '../domain/idempotency.js';
import type { Db } from './entities.js';
import { conditionFailureItem, guard, isConditionFailure } from './errors.js';

/** How long a claim without a result blocks retries (a crashed request frees its key after this). */
const IN_PROGRESS_SECONDS = 30;

/** A response larger than this as JSON is kept gzipped. */
const GZIP_ABOVE_BYTES = 32 * 1024;
/**
 * The most a kept response may take, gzipped and in base64 (an item holds 400 KB, a
 * conversion's transaction holds the case beside it). A response larger even
 * so is kept without its body: a retry gets its status and headers and
 * `Idempotent-Replay: body-not-kept`, and the work is still not done twice.
 */
const MAX_KEPT_BYTES = 160 * 1024;

/** A response as the record keeps it: as is, gzipped, or (too large either way) without its body. */
function kept(response: StoredResponse): { response?: StoredResponse; responseGzip?: string } {
  const json = JSON.stringify(response);
  if (Buffer.byteLength(json) <= GZIP_ABOVE_BYTES) return { response };
  const gzipped = gzipSync(json).toString('base64');
  if (gzipped.length <= MAX_KEPT_BYTES) return { responseGzip: gzipped };
  return { response: { statusCode: response.statusCode, headers: { ...response.headers, 'idempotent-replay': 'body-not-kept' } } };
}

/** A result as the record keeps it: as is, or gzipped when large (a creation's transaction holds the case beside it). */
function keptResult(result: unknown): { result?: unknown; resultGzip?: string } {
  const json = JSON.stringify(result);
  return Buffer.byteLength(json) <= GZIP_ABOVE_BYTES ? { result } : { resultGzip: gzipSync(json).toString('base64') };
}

const gunzipped = (base64: string): unknown => JSON.parse(gunzipSync(Buffer.from(base64, 'base64')).toString('utf8'));

/** The record as the replay rule reads it, its response and result unpacked. */
function recordOf(item: Record<string, unknown> | undefined): IdempotencyRecord | undefined {
  if (!item) return undefined;
  const response = (item.responseGzip ? gunzipped(item.responseGzip as string) : item.response) as StoredResponse | undefined;
  const result = item.resultGzip ? gunzipped(item.resultGzip as string) : item.result;
  return { status: item.status as IdempotencyRecord['status'], fingerprint: String(item.fingerprint), expiresAt: Number(item.expiresAt), response, result };
}

const requestIdOf = (r: IdempotencyRequest) => createHash('sha256').update(`${r.scope}\u0000${r.key}`).digest('hex');
const epochSeconds = (nowMs: number) => Math.floor(nowMs / 1000);

/**
 * The one rule for writing an idempotency record (or a delivery marker): there
 * is none yet, or the one there has expired (DynamoDB's TTL deletes late, and
 * DynamoDB Local never does).
 */
export const absentOrExpired = <A extends string>(keyAttribute: A, nowMs: number) => ({
  or: [{ attr: keyAttribute, exists: false as const }, { attr: 'expiresAt' as const, lte: epochSeconds(nowMs) }],
});

/** An update replaces the whole response (a map is merged otherwise). */
const withSet = (k: ReturnType<typeof kept>) => (k.response ? { response: $set(k.response) } : { responseGzip: k.responseGzip! });

/** Reads the record with the other items a creation reads (BatchGetItem). */
const idempotencyReadRequest = (db: Db, r: IdempotencyRequest) => db.idempotency.build(BatchGetRequest).key({ requestId: requestIdOf(r) });

/** The record of a completed request with its result, as a transaction item: written only if no live record holds the key. */
function idempotencyCompletedInTransaction(db: Db, r: IdempotencyRequest, result: unknown, nowMs: number) {
  return db.idempotency
    .build(PutTransaction)
    .item({ requestId: requestIdOf(r), status: 'COMPLETED', fingerprint: r.fingerprint, ...keptResult(result), expiresAt: epochSeconds(nowMs) + IDEMPOTENCY_TTL_SECONDS })
    .options({ condition: absentOrExpired('requestId', nowMs), returnValuesOnConditionFalse: 'ALL_OLD' });
}

/**
 * Claims, completes and releases keys of requests that write in more than
 * one step (the HTTP handler); reads and writes the record inside a store
 * operation that commits in one transaction (case creation, given this
 * repository by its function: one that never takes a key, ingest, does not
 * bundle it).
 */
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /** Claims the key; returns the stored response instead when the request already ran. */
  async claim(r: IdempotencyRequest, nowMs: number): Promise<StoredResponse | undefined> {
    try {
      await guard(() =>
        this.db.idempotency
          .build(PutItemCommand)
          .item({ requestId: requestIdOf(r), status: 'IN_PROGRESS', fingerprint: r.fingerprint, expiresAt: epochSeconds(nowMs) + IN_PROGRESS_SECONDS })
          .options({ condition: absentOrExpired('requestId', nowMs), returnValuesOnConditionFalse: 'ALL_OLD' })
          .send(),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return replayOf(recordOf(conditionFailureItem(error)), r, nowMs);
    }
  }

  async complete(r: IdempotencyRequest, response: StoredResponse, nowMs: number): Promise<void> {
    await guard(() =>
      this.db.idempotency
        .build(UpdateItemCommand)
        .item({ requestId: requestIdOf(r), status: 'COMPLETED', ...withSet(kept(response)), expiresAt: epochSeconds(nowMs) + IDEMPOTENCY_TTL_SECONDS })
        .send(),
    );
  }

  /** The record's read, as one more key of a read a creation makes anyway (BatchGetItem). */
  readRequest(r: IdempotencyRequest) {
    return idempotencyReadRequest(this.db, r);
  }

  /** The first result of `r`, from its record as read (undefined: run the request). */
  resultFrom(item: Record<string, unknown> | undefined, r: IdempotencyRequest, nowMs: number): unknown {
    return firstResultOf(recordOf(item), r, nowMs);
  }

  /** The record of a completed request and its result, as a transaction item (case creation writes it with the case). */
  completedInTransaction(r: IdempotencyRequest, result: unknown, nowMs: number) {
    return idempotencyCompletedInTransaction(this.db, r, result, nowMs);
  }

  /** A request that failed releases its key so the client can retry it. */
  async release(r: IdempotencyRequest): Promise<void> {
    await guard(() => this.db.idempotency.build(DeleteItemCommand).key({ requestId: requestIdOf(r) }).send());
  }
}
