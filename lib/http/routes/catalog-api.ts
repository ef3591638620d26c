/**
 * The routes `catalog-api` serves (its part of the route table, lib/http/routes.ts): a function bundles its own routes only.
 * An alert's impact is a walk of the service map into the install base, so it is served here, beside them.
 */
import type { RouteSpec } from '../route-spec.js';

export const CATALOG_API_ROUTES = [
  { method: 'POST', path: '/service-map/import', fn: 'catalog-api', permission: 'config:write' },
  { method: 'GET', path: '/cis/{ciId}', fn: 'catalog-api', permission: 'config:read' },
  { method: 'POST', path: '/install-base/import', fn: 'catalog-api', permission: 'config:write' },
  { method: 'GET', path: '/accounts/{accountId}/install-base', fn: 'catalog-api', permission: 'config:read' },
  { method: 'POST', path: '/alerts/{alertId}/impact/refresh', fn: 'catalog-api', permission: 'alerts:write' },
  { method: 'GET', path: '/alerts/{alertId}/impacted-cis', fn: 'catalog-api', permission: 'alerts:read' },
  { method: 'GET', path: '/alerts/{alertId}/affected-install-base', fn: 'catalog-api', permission: 'alerts:read' },
] as const satisfies readonly RouteSpec[];
