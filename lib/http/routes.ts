/**
 * Every HTTP route: method, path, the function that serves it and the
 * permission it needs. The CDK stack, the local HTTP adapter, the handlers'
 * dispatch and the OpenAPI document are all built from this one table, kept
 * in one file per function (lib/http/routes/) so that each function bundles
 * only its own part.
 */
import type { RouteSpec } from './route-spec.js';
import { ALERTS_API_ROUTES } from './routes/alerts-api.js';
import { CASES_API_ROUTES } from './routes/cases-api.js';
import { CONFIG_API_ROUTES } from './routes/config-api.js';
import { CATALOG_API_ROUTES } from './routes/catalog-api.js';
import { INGEST_API_ROUTES } from './routes/ingest-api.js';
import { PUBLIC_API_ROUTES } from './routes/public-api.js';

export { FUNCTION_GROUPS, routeKeyOf, type FunctionGroup, type RouteSpec } from './route-spec.js';

export const ROUTES = [
  ...ALERTS_API_ROUTES,
  ...CASES_API_ROUTES,
  ...CONFIG_API_ROUTES,
  ...CATALOG_API_ROUTES,
  ...INGEST_API_ROUTES,
  ...PUBLIC_API_ROUTES,
] as const satisfies readonly RouteSpec[];

export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;

/** Matches a request path to a route template; returns the route and its path parameters. */
export function matchRoute(method: string, path: string): { route: RouteSpec; params: Record<string, string> } | { allowed: string[] } | undefined {
  const segments = path.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const route of ROUTES as readonly RouteSpec[]) {
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
