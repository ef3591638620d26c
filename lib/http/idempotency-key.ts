/** What identifies an idempotent request (no AWS imports: the HTTP stack needs it before any table is touched). */
import { createHash } from 'node:crypto';

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

export const fingerprintOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
