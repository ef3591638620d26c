/** Drives a running local runtime over HTTP, as a console or script would. */
import { signLocalToken } from '../../local/tokens.js';
import type { Role } from '../../lib/http/permissions.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function client(baseUrl: string) {
  const tokens = new Map<string, string>();
  async function tokenFor(sub: string, roles: Role[]) {
    const key = `${sub}|${roles.join(',')}`;
    if (!tokens.has(key)) tokens.set(key, await signLocalToken({ sub, roles }));
    return tokens.get(key)!;
  }
  async function call(
    method: string,
    path: string,
    options: { as?: [string, ...Role[]]; body?: unknown; raw?: string; headers?: Record<string, string>; token?: string; timeoutMs?: number } = {},
  ): Promise<Reply> {
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
