/** The routes `config-api` serves (its part of the route table, lib/http/routes.ts): a function bundles its own routes only. */
import type { RouteSpec } from '../route-spec.js';

export const CONFIG_API_ROUTES = [
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
  { method: 'PUT', path: '/queues/{queueId}', fn: 'config-api', permission: 'queues:write' },
] as const satisfies readonly RouteSpec[];
