/** Drives a running local runtime over HTTP, as a console or script would. */
import { randomUUID } from 'node:crypto';
import { signLocalToken } from '../../local/tokens.js';
import type { Role } from '../../lib/contract/permissions.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** How long a client goes on sending a request the service answered 503 (as a sender honouring Retry-After does). */
const RETRY_FOR_MS = 90_000;
/** Routes whose payloads say themselves what they are, so sending one again changes nothing (SPEC §2 "Alert sources"). */
const INGEST = /^\/integrations\/(alertmanager|pagerduty\/v2\/enqueue)$/;

export interface CallOptions {
  as?: [string, ...Role[]];
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  token?: string;
  timeoutMs?: number;
  /** With a client that keys every POST (`client(url, { keyEveryPost: true })`): send this one without a key. */
  noKey?: boolean;
  /**
   * Send again after a 503 (or 409) with Retry-After, as a real sender does. By default
   * only what is safe to send twice: GET, PUT, DELETE, a request with an
   * Idempotency-Key, and the ingest routes. `false` shows the first answer.
   */
  retry?: boolean;
  /** How long to go on sending it again (default RETRY_FOR_MS): longer where the service has a backlog to work through first. */
  retryForMs?: number;
}

/**
 * An answer to send again after Retry-After: a 503 (the database behind on a loaded machine; nothing half-done), or a
 * 409 saying the same request (its Idempotency-Key) is still running.
 */
export const isRetryable = (reply: Reply) => (reply.status === 503 || reply.status === 409) && Number(reply.headers.get('retry-after')) > 0;

/**
 * A client of the local runtime. `keyEveryPost`: every POST of a user carries
 * an Idempotency-Key of its own (unless the test gives one), as a careful
 * client does, so that it is safe to send again after a 503.
 */
export function client(baseUrl: string, settings: { keyEveryPost?: boolean } = {}) {
  const tokens = new Map<string, string>();
  async function tokenFor(sub: string, roles: Role[]) {
    const key = `${sub}|${roles.join(',')}`;
    if (!tokens.has(key)) tokens.set(key, await signLocalToken({ sub, roles }));
    return tokens.get(key)!;
  }
  async function send(method: string, path: string, options: CallOptions): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = `Bearer ${await tokenFor(options.as[0], options.as.slice(1) as Role[])}`;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body, signal });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep text */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }
  async function call(method: string, path: string, given: CallOptions = {}): Promise<Reply> {
    const keyed = Object.keys(given.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key');
    const options =
      settings.keyEveryPost && method === 'POST' && !keyed && !given.noKey && !INGEST.test(path.split('?')[0])
        ? { ...given, headers: { ...given.headers, 'idempotency-key': randomUUID() } }
        : given;
    const safe =
      ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method) ||
      Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key') ||
      INGEST.test(path.split('?')[0]);
    const retry = options.retry ?? safe;
    const giveUpAt = Date.now() + (options.retryForMs ?? RETRY_FOR_MS);
    for (;;) {
      const reply = await send(method, path, options);
      if (!retry || !isRetryable(reply) || Date.now() > giveUpAt) return reply;
      const seconds = Number(reply.headers.get('retry-after'));
      await new Promise((r) => setTimeout(r, seconds * 1000 * (0.5 + Math.random())));
    }
  }
  return { call, tokenFor };
}

/** Polls until `check` returns a value (the stream poller works asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
