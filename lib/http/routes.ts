/** Matching a request to its operation, for the local server (API Gateway matches routes itself in AWS). */
import { OPERATIONS } from '../contract/api.js';
import type { Operation } from '../contract/operation.js';

/** Matches a request path to an operation's path template; returns the operation and its path parameters. */
export function matchRoute(method: string, path: string): { route: Operation; params: Record<string, string> } | { allowed: string[] } | undefined {
  const segments = path.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const route of OPERATIONS) {
    const parts = route.path.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      if (part.startsWith('{')) {
        try {
          params[part.slice(1, -1)] = decodeURIComponent(segments[i]);
        } catch {
          params[part.slice(1, -1)] = segments[i];
        }
        return true;
      }
      return part === segments[i];
    });
    if (!matches) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : undefined;
}
