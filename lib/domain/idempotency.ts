/**
 * Idempotent requests (SPEC §4 `Idempotency-Key`): what identifies one, and
 * the rule a stored first result is replayed by. The HTTP stack builds the
 * request; the store keeps the record.
 */
import { createHash } from 'node:crypto';
import { InProgress, Invalid } from './errors.js';

export interface IdempotencyRequest {
  /** Who asked and where: a key is scoped to its caller and route. */
  scope: string;
  key: string;
  /** Hash of the request body: the same key with another body is refused. */
  fingerprint: string;
}

export interface StoredResponse {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A retry within this long gets the first result. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export const fingerprintOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');

/** What a store keeps of an idempotent request. */
export interface IdempotencyRecord {
  status: 'IN_PROGRESS' | 'COMPLETED';
  fingerprint: string;
  /** The first answer, as the HTTP stack kept it (a request it claimed and completed). */
  response?: StoredResponse;
  /** The first result, as a use case kept it in its own transaction (a creation: the case). */
  result?: unknown;
  /** Epoch seconds. */
  expiresAt: number;
}

/** The live record of this request's first run, if there is one; refuses a reused key with another body, and one still running. */
function liveRecord(record: IdempotencyRecord | undefined, request: IdempotencyRequest, nowMs: number): IdempotencyRecord | undefined {
  if (!record || record.expiresAt * 1000 <= nowMs) return undefined;
  if (record.fingerprint !== request.fingerprint) {
    throw new Invalid('This Idempotency-Key was used for a different request.', [
      { path: 'Idempotency-Key', message: 'already used with another request body' },
    ]);
  }
  if (record.status !== 'COMPLETED') {
    throw new InProgress('A request with this Idempotency-Key is still in progress; retry shortly.');
  }
  return record;
}

/** The stored answer for this request, if a live record holds one (the HTTP stack's records). */
export function replayOf(record: IdempotencyRecord | undefined, request: IdempotencyRequest, nowMs: number): StoredResponse | undefined {
  return liveRecord(record, request, nowMs)?.response;
}

/**
 * The first result of this request, if a live record holds one (a use case's
 * own records; one written before results were kept holds the answer, whose
 * body is the result).
 */
export function firstResultOf(record: IdempotencyRecord | undefined, request: IdempotencyRequest, nowMs: number): unknown {
  const live = liveRecord(record, request, nowMs);
  return live && (live.result ?? live.response?.body);
}
