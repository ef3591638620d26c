/** The routes `public-api` serves (its part of the route table, lib/http/routes.ts): a function bundles its own routes only. */
import type { RouteSpec } from '../route-spec.js';

export const PUBLIC_API_ROUTES = [
  { method: 'GET', path: '/health', fn: 'public-api' },
  { method: 'GET', path: '/openapi.json', fn: 'public-api' },
  { method: 'GET', path: '/docs', fn: 'public-api' },
  { method: 'GET', path: '/console', fn: 'public-api' },
] as const satisfies readonly RouteSpec[];
