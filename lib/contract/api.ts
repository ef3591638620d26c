/**
 * The whole HTTP API: every operation of every function (one file each in
 * lib/contract/operations/, so that a function bundles its own alone).
 */
import type { Operation } from './operation.js';
import { ALERTS_API } from './operations/alerts.js';
import { ASSIGNMENT_API } from './operations/assignment.js';
import { CASE_INSTALL_BASE_API } from './operations/case-install-base.js';
import { CASES_API } from './operations/cases.js';
import { CASE_LISTS_API } from './operations/case-lists.js';
import { CATALOG_API } from './operations/catalog.js';
import { CONFIG_API } from './operations/config.js';
import { INGEST_API } from './operations/ingest.js';
import { PUBLIC_API } from './operations/public.js';
import { SLA_API } from './operations/slas.js';
import { METRICS_API } from './operations/metrics.js';

export const API = { ...ALERTS_API, ...CASES_API, ...CASE_LISTS_API, ...CASE_INSTALL_BASE_API, ...CONFIG_API, ...CATALOG_API, ...INGEST_API, ...ASSIGNMENT_API, ...SLA_API, ...METRICS_API, ...PUBLIC_API };
export type Api = typeof API;
/** Exactly the `METHOD /path` keys of the API. */
export type RouteKey = keyof Api;

export const OPERATIONS: readonly Operation[] = Object.values(API);
