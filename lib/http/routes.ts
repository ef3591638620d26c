/**
 * Every HTTP route: method, path, the function that serves it and the
 * permission it needs. The CDK stack, the local HTTP adapter, the handlers'
 * dispatch and the OpenAPI document are all built from this one table.
 */
import type { Permission } from './permissions.js';

export const FUNCTION_GROUPS = ['alerts-api', 'cases-api', 'config-api', 'catalog-api', 'public-api'] as const;
export type FunctionGroup = (typeof FUNCTION_GROUPS)[number];

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  fn: FunctionGroup;
  /** Undefined for the public routes (no token needed). */
  permission?: Permission;
  summary: string;
}

export const ROUTES = [
  { method: 'POST', path: '/alerts', fn: 'alerts-api', permission: 'alerts:write', summary: 'Raise, repeat or clear an alert' },
  { method: 'GET', path: '/alerts', fn: 'alerts-api', permission: 'alerts:read', summary: 'List alerts' },
  { method: 'GET', path: '/alerts/{alertId}', fn: 'alerts-api', permission: 'alerts:read', summary: 'Read an alert' },
  { method: 'PATCH', path: '/alerts/{alertId}', fn: 'alerts-api', permission: 'alerts:write', summary: 'Change the state of an alert' },
  { method: 'POST', path: '/alerts/{alertId}/case', fn: 'alerts-api', permission: 'alerts:convert', summary: 'Convert an alert into a case' },
  { method: 'GET', path: '/alerts/{alertId}/history', fn: 'alerts-api', permission: 'alerts:read', summary: 'History of an alert' },
  { method: 'POST', path: '/alerts/{alertId}/impact/refresh', fn: 'alerts-api', permission: 'alerts:write', summary: 'Recalculate impacted CIs and affected install base' },
  { method: 'GET', path: '/alerts/{alertId}/impacted-cis', fn: 'alerts-api', permission: 'alerts:read', summary: 'Impacted CIs of an alert' },
  { method: 'GET', path: '/alerts/{alertId}/affected-install-base', fn: 'alerts-api', permission: 'alerts:read', summary: 'Affected install base of an alert' },
  { method: 'POST', path: '/cases', fn: 'cases-api', permission: 'cases:write', summary: 'Create a manual case' },
  { method: 'GET', path: '/cases', fn: 'cases-api', permission: 'cases:read', summary: 'List cases' },
  { method: 'GET', path: '/cases/{caseId}', fn: 'cases-api', permission: 'cases:read', summary: 'Read a case by id or by number (CS0001001)' },
  { method: 'PATCH', path: '/cases/{caseId}', fn: 'cases-api', permission: 'cases:write', summary: 'Change a case' },
  { method: 'POST', path: '/cases/{caseId}/work-notes', fn: 'cases-api', permission: 'cases:work-note', summary: 'Add a work note' },
  { method: 'GET', path: '/cases/{caseId}/work-notes', fn: 'cases-api', permission: 'cases:read', summary: 'List work notes' },
  { method: 'GET', path: '/cases/{caseId}/history', fn: 'cases-api', permission: 'cases:read', summary: 'History of a case' },
  { method: 'GET', path: '/cases/{caseId}/affected-install-base', fn: 'cases-api', permission: 'cases:read', summary: 'Affected install base of a case' },
  { method: 'POST', path: '/cases/{caseId}/affected-install-base', fn: 'cases-api', permission: 'cases:write', summary: 'Attach an install base item' },
  {
    method: 'DELETE',
    path: '/cases/{caseId}/affected-install-base/{installBaseItemId}',
    fn: 'cases-api',
    permission: 'cases:write',
    summary: 'Detach an install base item',
  },
  { method: 'POST', path: '/cases/{caseId}/install-base-health/refresh', fn: 'cases-api', permission: 'cases:write', summary: 'Refresh install base health' },
  { method: 'GET', path: '/cases/{caseId}/details', fn: 'cases-api', permission: 'cases:read', summary: 'Sold products and source alert of a case' },
  { method: 'POST', path: '/cases/{caseId}/major-case/propose', fn: 'cases-api', permission: 'cases:write', summary: 'Propose a case as a major case' },
  { method: 'POST', path: '/cases/{caseId}/major-case/accept', fn: 'cases-api', permission: 'cases:decide-major', summary: 'Accept a proposed major case' },
  { method: 'POST', path: '/cases/{caseId}/major-case/reject', fn: 'cases-api', permission: 'cases:decide-major', summary: 'Reject a proposed major case' },
  { method: 'GET', path: '/rules/proactive-case', fn: 'config-api', permission: 'config:read', summary: 'Read the Create Proactive Case rule' },
  { method: 'PUT', path: '/rules/proactive-case', fn: 'config-api', permission: 'config:write', summary: 'Turn the Create Proactive Case rule on or off' },
  { method: 'GET', path: '/playbooks', fn: 'config-api', permission: 'config:read', summary: 'List playbooks in evaluation order' },
  { method: 'POST', path: '/playbooks', fn: 'config-api', permission: 'config:write', summary: 'Create a playbook' },
  { method: 'GET', path: '/playbooks/{playbookId}', fn: 'config-api', permission: 'config:read', summary: 'Read a playbook' },
  { method: 'PUT', path: '/playbooks/{playbookId}', fn: 'config-api', permission: 'config:write', summary: 'Replace a playbook' },
  { method: 'DELETE', path: '/playbooks/{playbookId}', fn: 'config-api', permission: 'config:write', summary: 'Delete a playbook' },
  { method: 'POST', path: '/playbooks/{playbookId}/test', fn: 'config-api', permission: 'config:write', summary: 'Dry run: which open alerts the playbook would convert' },
  { method: 'GET', path: '/queues', fn: 'config-api', permission: 'config:read', summary: 'List queues' },
  { method: 'PUT', path: '/queues/{queueId}', fn: 'config-api', permission: 'queues:write', summary: 'Set the members of a queue' },
  { method: 'POST', path: '/service-map/import', fn: 'catalog-api', permission: 'config:write', summary: 'Import CIs and relationships' },
  { method: 'GET', path: '/cis/{ciId}', fn: 'catalog-api', permission: 'config:read', summary: 'Read a CI with its parents and children' },
  { method: 'POST', path: '/install-base/import', fn: 'catalog-api', permission: 'config:write', summary: 'Import accounts, sold products and install base items' },
  { method: 'GET', path: '/accounts/{accountId}/install-base', fn: 'catalog-api', permission: 'config:read', summary: "Read an account's install base" },
  { method: 'GET', path: '/health', fn: 'public-api', summary: 'Liveness' },
  { method: 'GET', path: '/openapi.json', fn: 'public-api', summary: 'This API as an OpenAPI 3.1 document' },
  { method: 'GET', path: '/docs', fn: 'public-api', summary: 'A readable reference of this API (HTML)' },
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
