/**
 * Idempotency records: the first result of a POST carrying `Idempotency-Key`,
 * returned again for a retry within 24 h. They live in the one table. A use case
 * that writes in one transaction (conversion) puts the record inside that
 * transaction; other POSTs claim the key first and complete it afterwards.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, Invalid } from '../domain/errors.js';
import { conditionFailureItem, guard, isConditionFailure } from './errors.js';
import { keys } from './keys.js';
import type { Store } from './store.js';
import { fingerprintOf, type IdempotencyRequest, type StoredResponse } from '../http/idempotency-key.js';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** How long a claim without a result blocks retries (a crashed request frees its key after this). */
const IN_PROGRESS_SECONDS = 30;

export type { IdempotencyRequest, StoredResponse };
export { fingerprintOf };

export const idempotencyId = (r: IdempotencyRequest) => createHash('sha256').update(`${r.scope}\u0000${r.key}`).digest('hex');

export function idempotencyRecordItem(r: IdempotencyRequest, response: StoredResponse, nowMs: number) {
  return {
    ...keys.idempotency(idempotencyId(r)),
    entity: 'idempotency',
    status: 'COMPLETED',
    fingerprint: r.fingerprint,
    response,
    expiresAt: Math.floor(nowMs / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
}

/** The stored response for this request, if a live record holds one; refuses a reused key with another body. */
export function replayOf(record: Record<string, unknown> | undefined, r: IdempotencyRequest, nowMs: number): StoredResponse | undefined {
  if (!record || (record.expiresAt as number) * 1000 <= nowMs) return undefined;
  if (record.fingerprint !== r.fingerprint) {
    throw new Invalid('This Idempotency-Key was used for a different request.', [
      { path: 'Idempotency-Key', message: 'already used with another request body' },
    ]);
  }
  if (record.status !== 'COMPLETED') {
    throw new Conflict('A request with this Idempotency-Key is still in progress; retry shortly.');
  }
  return record.response as StoredResponse;
}

export class IdempotencyRepository {
  constructor(private readonly store: Store) {}

  /** Claims the key; returns the stored response instead when the request already ran. */
  async claim(r: IdempotencyRequest, nowMs: number): Promise<StoredResponse | undefined> {
    const now = Math.floor(nowMs / 1000);
    try {
      await guard(() =>
        this.store.doc.send(
          new PutCommand({
            TableName: this.store.tableName,
            Item: {
              ...keys.idempotency(idempotencyId(r)),
              entity: 'idempotency',
              status: 'IN_PROGRESS',
              fingerprint: r.fingerprint,
              expiresAt: now + IN_PROGRESS_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': now },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return replayOf(conditionFailureItem(error), r, nowMs);
    }
  }

  async complete(r: IdempotencyRequest, response: StoredResponse, nowMs: number): Promise<void> {
    const item = idempotencyRecordItem(r, response, nowMs);
    await guard(() =>
      this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: keys.idempotency(idempotencyId(r)),
          UpdateExpression: 'SET #status = :status, #response = :response, expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
          ExpressionAttributeValues: { ':status': item.status, ':response': item.response, ':expiresAt': item.expiresAt },
        }),
      ),
    );
  }

  /** A request that failed releases its key so the client can retry it. */
  async release(r: IdempotencyRequest): Promise<void> {
    await guard(() =>
      this.store.doc.send(new DeleteCommand({ TableName: this.store.tableName, Key: keys.idempotency(idempotencyId(r)) })),
    );
  }
}
