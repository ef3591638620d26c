/** The routes `alerts-api` serves (its part of the route table, lib/http/routes.ts): a function bundles its own routes only. */
import type { RouteSpec } from '../route-spec.js';

export const ALERTS_API_ROUTES = [
  { method: 'POST', path: '/alerts', fn: 'alerts-api', permission: 'alerts:write' },
  { method: 'GET', path: '/alerts', fn: 'alerts-api', permission: 'alerts:read' },
  { method: 'GET', path: '/alerts/{alertId}', fn: 'alerts-api', permission: 'alerts:read' },
  { method: 'PATCH', path: '/alerts/{alertId}', fn: 'alerts-api', permission: 'alerts:write' },
  { method: 'POST', path: '/alerts/{alertId}/case', fn: 'alerts-api', permission: 'alerts:convert' },
  { method: 'POST', path: '/alerts/convert', fn: 'alerts-api', permission: 'alerts:convert' },
  { method: 'GET', path: '/alerts/{alertId}/history', fn: 'alerts-api', permission: 'alerts:read' },
] as const satisfies readonly RouteSpec[];
