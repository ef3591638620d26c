/** What a route is: its method and path, the function that serves it, and who may call it. */
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

export const routeKeyOf = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;
