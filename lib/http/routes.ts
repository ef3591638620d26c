/**
 * Every HTTP route: method, path, the function that serves it and the
 * permission it needs. The CDK stack, the local HTTP adapter, the handlers'
 * dispatch and the OpenAPI document are all built from this one table.
 */
import type { IntegrationKind } from '../sources/signal.js';
import type { Permission } from './permissions.js';

export const FUNCTION_GROUPS = ['alerts-api', 'cases-api', 'config-api', 'catalog-api', 'ingest-api', 'public-api'] as const;
export type FunctionGroup = (typeof FUNCTION_GROUPS)[number];

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  fn: FunctionGroup;
  /** Undefined for the public routes (no token needed) and the ingest routes. */
  permission?: Permission;
  /** An ingest route: no user token; the key of an integration of this kind (SPEC §2 "Alert sources"). */
  ingest?: IntegrationKind;
}

export const ROUTES = [
  { method: 'POST', path: '/alerts', fn: 'alerts-api', permission: 'alerts:write' },
  { method: 'GET', path: '/alerts', fn: 'alerts-api', permission: 'alerts:read' },
  { method: 'GET', path: '/alerts/{alertId}', fn: 'alerts-api', permission: 'alerts:read' },
  { method: 'PATCH', path: '/alerts/{alertId}', fn: 'alerts-api', permission: 'alerts:write' },
  { method: 'POST', path: '/alerts/{alertId}/case', fn: 'alerts-api', permission: 'alerts:convert' },
  { method: 'POST', path: '/alerts/convert', fn: 'alerts-api', permission: 'alerts:convert' },
  { method: 'GET', path: '/alerts/{alertId}/history', fn: 'alerts-api', permission: 'alerts:read' },
  { method: 'POST', path: '/alerts/{alertId}/impact/refresh', fn: 'alerts-api', permission: 'alerts:write' },
  { method: 'GET', path: '/alerts/{alertId}/impacted-cis', fn: 'alerts-api', permission: 'alerts:read' },
  { method: 'GET', path: '/alerts/{alertId}/affected-install-base', fn: 'alerts-api', permission: 'alerts:read' },
  { method: 'POST', path: '/cases', fn: 'cases-api', permission: 'cases:write' },
  { method: 'GET', path: '/cases', fn: 'cases-api', permission: 'cases:read' },
  { method: 'GET', path: '/cases/{caseId}', fn: 'cases-api', permission: 'cases:read' },
  { method: 'PATCH', path: '/cases/{caseId}', fn: 'cases-api', permission: 'cases:write' },
  { method: 'POST', path: '/cases/{caseId}/work-notes', fn: 'cases-api', permission: 'cases:work-note' },
  { method: 'GET', path: '/cases/{caseId}/work-notes', fn: 'cases-api', permission: 'cases:read' },
  { method: 'GET', path: '/cases/{caseId}/history', fn: 'cases-api', permission: 'cases:read' },
  { method: 'GET', path: '/cases/{caseId}/alerts', fn: 'cases-api', permission: 'cases:read' },
  { method: 'POST', path: '/cases/{caseId}/alerts', fn: 'cases-api', permission: 'cases:attach' },
  { method: 'DELETE', path: '/cases/{caseId}/alerts/{alertId}', fn: 'cases-api', permission: 'cases:attach' },
  { method: 'GET', path: '/cases/{caseId}/affected-install-base', fn: 'cases-api', permission: 'cases:read' },
  { method: 'POST', path: '/cases/{caseId}/affected-install-base', fn: 'cases-api', permission: 'cases:write' },
  {
    method: 'DELETE',
    path: '/cases/{caseId}/affected-install-base/{installBaseItemId}',
    fn: 'cases-api',
    permission: 'cases:write',
  },
  { method: 'POST', path: '/cases/{caseId}/install-base-health/refresh', fn: 'cases-api', permission: 'cases:write' },
  { method: 'GET', path: '/cases/{caseId}/details', fn: 'cases-api', permission: 'cases:read' },
  { method: 'POST', path: '/cases/{caseId}/major-case/propose', fn: 'cases-api', permission: 'cases:write' },
  { method: 'POST', path: '/cases/{caseId}/major-case/accept', fn: 'cases-api', permission: 'cases:decide-major' },
  { method: 'POST', path: '/cases/{caseId}/major-case/reject', fn: 'cases-api', permission: 'cases:decide-major' },
  { method: 'GET', path: '/rules/proactive-case', fn: 'config-api', permission: 'config:read' },
  { method: 'PUT', path: '/rules/proactive-case', fn: 'config-api', permission: 'config:write' },
  { method: 'GET', path: '/rules/case-sync', fn: 'config-api', permission: 'config:read' },
  { method: 'PUT', path: '/rules/case-sync', fn: 'config-api', permission: 'config:write' },
  { method: 'GET', path: '/playbooks', fn: 'config-api', permission: 'config:read' },
  { method: 'POST', path: '/playbooks', fn: 'config-api', permission: 'config:write' },
  { method: 'GET', path: '/playbooks/{playbookId}', fn: 'config-api', permission: 'config:read' },
  { method: 'PUT', path: '/playbooks/{playbookId}', fn: 'config-api', permission: 'config:write' },
  { method: 'DELETE', path: '/playbooks/{playbookId}', fn: 'config-api', permission: 'config:write' },
  { method: 'POST', path: '/playbooks/{playbookId}/test', fn: 'config-api', permission: 'config:write' },
  { method: 'GET', path: '/queues', fn: 'config-api', permission: 'config:read' },
  { method: 'GET', path: '/integrations', fn: 'config-api', permission: 'config:write' },
  { method: 'POST', path: '/integrations', fn: 'config-api', permission: 'config:write' },
  { method: 'DELETE', path: '/integrations/{integrationId}', fn: 'config-api', permission: 'config:write' },
  { method: 'POST', path: '/integrations/alertmanager', fn: 'ingest-api', ingest: 'alertmanager' },
  { method: 'POST', path: '/integrations/pagerduty/v2/enqueue', fn: 'ingest-api', ingest: 'pagerduty' },
  { method: 'PUT', path: '/queues/{queueId}', fn: 'config-api', permission: 'queues:write' },
  { method: 'POST', path: '/service-map/import', fn: 'catalog-api', permission: 'config:write' },
  { method: 'GET', path: '/cis/{ciId}', fn: 'catalog-api', permission: 'config:read' },
  { method: 'POST', path: '/install-base/import', fn: 'catalog-api', permission: 'config:write' },
  { method: 'GET', path: '/accounts/{accountId}/install-base', fn: 'catalog-api', permission: 'config:read' },
  { method: 'GET', path: '/health', fn: 'public-api' },
  { method: 'GET', path: '/openapi.json', fn: 'public-api' },
  { method: 'GET', path: '/docs', fn: 'public-api' },
] as const satisfies readonly RouteSpec[];

export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;

export const routeKeyOf = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;

export function routesOf(fn: FunctionGroup): RouteSpec[] {
  return (ROUTES as readonly RouteSpec[]).filter((r) => r.fn === fn);
}

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
