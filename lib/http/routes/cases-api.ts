/** The routes `cases-api` serves (its part of the route table, lib/http/routes.ts): a function bundles its own routes only. */
import type { RouteSpec } from '../route-spec.js';

export const CASES_API_ROUTES = [
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
  { method: 'DELETE', path: '/cases/{caseId}/affected-install-base/{installBaseItemId}', fn: 'cases-api', permission: 'cases:write' },
  { method: 'POST', path: '/cases/{caseId}/install-base-health/refresh', fn: 'cases-api', permission: 'cases:write' },
  { method: 'GET', path: '/cases/{caseId}/details', fn: 'cases-api', permission: 'cases:read' },
  { method: 'POST', path: '/cases/{caseId}/major-case/propose', fn: 'cases-api', permission: 'cases:write' },
  { method: 'POST', path: '/cases/{caseId}/major-case/accept', fn: 'cases-api', permission: 'cases:decide-major' },
  { method: 'POST', path: '/cases/{caseId}/major-case/reject', fn: 'cases-api', permission: 'cases:decide-major' },
] as const satisfies readonly RouteSpec[];
