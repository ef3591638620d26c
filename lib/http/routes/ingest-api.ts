/** The routes `ingest-api` serves (its part of the route table, lib/http/routes.ts): a function bundles its own routes only. */
import type { RouteSpec } from '../route-spec.js';

export const INGEST_API_ROUTES = [
  { method: 'POST', path: '/integrations/alertmanager', fn: 'ingest-api', ingest: 'alertmanager' },
  { method: 'POST', path: '/integrations/pagerduty/v2/enqueue', fn: 'ingest-api', ingest: 'pagerduty' },
] as const satisfies readonly RouteSpec[];
