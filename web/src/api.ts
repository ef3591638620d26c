/**
 * The console's one way to the API: JSON in and out with the signed-in
 * user's token, and every refusal turned into an ApiError carrying the
 * problem's `detail` and its field errors (SPEC §4 problem+json).
 */
import type * as z from 'zod/mini';
import type { MetricsSummary as MetricsSummarySchema } from '../../lib/contract/responses.js';
import type { BodyOf, Page } from '../../lib/contract/types.js';
import { session, signOut } from './session.js';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }
  /** The message of the first error naming this field (`closedReason`, `action.queue`…), if any. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.path === field || e.path.startsWith(`${field}.`))?.message;
  }
}

let apiBase = '';
/** Where the API is: the console's own origin locally, the stack's API URL when deployed. */
export const setApiBase = (url: string) => (apiBase = url.replace(/\/$/, ''));

export async function api<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return (await send<T>(method, path, body, headers)).data;
}

/**
 * A read sent with the ETag of the answer the console holds
 * (`If-None-Match`): undefined while nothing changed (the API's 304, no
 * body), else the new answer and its ETag.
 */
export async function apiIfChanged<T>(path: string, etag: string | undefined): Promise<{ data: T; etag: string | undefined } | undefined> {
  const answer = await send<T>('GET', path, undefined, etag ? { 'if-none-match': etag } : {});
  return answer.status === 304 ? undefined : answer;
}

async function send<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; data: T; etag: string | undefined }> {
  const token = session()?.token;
  const res = await fetch(`${apiBase}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // What the console holds is still current (a conditional read): nothing to read.
  if (res.status === 304) return { status: 304, data: undefined as T, etag: res.headers.get('etag') ?? undefined };
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { detail: text };
  }
  // A token the API no longer takes (expired, revoked): back to Sign in.
  if (res.status === 401) signOut();
  if (!res.ok) {
    const p = (parsed ?? {}) as { detail?: string; title?: string; errors?: FieldError[]; message?: string };
    throw new ApiError(res.status, p.detail ?? p.message ?? p.title ?? `${res.status} ${res.statusText}`, Array.isArray(p.errors) ? p.errors : [], parsed as Record<string, unknown>);
  }
  return { status: res.status, data: parsed as T, etag: res.headers.get('etag') ?? undefined };
}

export type { Page };

// The inbox's records (SPEC §2 "Work assignment"), as the API sends them.
export type { AssignedCase, Agent, Inbox, Offer, Presence, WorkItem } from '../../lib/contract/types.js';
/** Team metrics over inclusive UTC days (`GET /metrics/summary`), as the contract's schema describes them. */
export type MetricsSummary = z.output<typeof MetricsSummarySchema>;
/** What `PUT /queues/{queueId}` takes: a PUT replaces every setting. */
export type QueueBody = BodyOf<'PUT /queues/{queueId}'>;

/** Every item of a list (configuration: playbooks, integrations, queues), following `nextCursor` page by page. */
export async function apiAll<T>(path: string): Promise<Page<T>> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api<Page<T>>('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, nextCursor: null };
}

export const query = (params: Record<string, string | number | boolean | undefined | null>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
