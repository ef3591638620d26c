/**
 * The OpenAPI 3.1 document of the HTTP API (SPEC §4), generated from the route
 * table (lib/http/routes.ts), the role matrix (lib/http/permissions.ts), the
 * request schemas that validate requests (lib/contract/schemas.ts) and the
 * response schemas (lib/contract/responses.ts). Static: `npm run openapi` writes it
 * and the HTML reference to the files public-api serves (lib/http/reference.ts).
 *
 * OPERATIONS names, per route, the schemas its handler validates with; the
 * unit tests check that they are the very schema objects the handlers use.
 */
import * as z from 'zod/mini';
import { MAX_BODY_BYTES } from './handler.js';
import { PERMISSIONS, ROLES } from './permissions.js';
import { RETRY_AFTER_SECONDS } from './problem.js';
import { renderDocsPage } from './docs-page.js';
import { DOCS_FILE, OPENAPI_FILE } from './reference.js';
import * as res from '../contract/responses.js';
import { ROUTES, routeKeyOf, type FunctionGroup, type RouteSpec } from './routes.js';
import * as req from '../contract/schemas.js';
import { AlertmanagerWebhook } from '../sources/alertmanager.js';
import { MAX_INTEGRATIONS } from '../domain/integration.js';
import { MAX_CASE_ALERTS } from '../domain/case-alerts.js';

/** The package version (a unit test keeps it equal to package.json's). */
export const API_VERSION = '0.1.0';

type Schema = z.ZodMiniType;
/** Exactly the `METHOD /path` keys of the route table. */
type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
export type OperationKey = RouteKeyOf<(typeof ROUTES)[number]>;
/** A JSON Schema (2020-12) or OpenAPI object, as plain JSON. */
export type Json = { [key: string]: unknown };

export const TAGS: Record<FunctionGroup, { name: string; description: string }> = {
  'alerts-api': { name: 'Alerts', description: 'Raise, read and update alerts; convert alerts into cases, one or many at once.' },
  'cases-api': { name: 'Cases', description: "Create, read and change cases; their alerts (attach, move, detach), work notes, history, affected install base and major cases." },
  'config-api': { name: 'Configuration', description: 'The Create Proactive Case rule, the case-sync rule, playbooks, queues and integrations.' },
  'catalog-api': {
    name: 'Service map & install base',
    description: "Import and read configuration items, accounts, sold products and install base items; an alert's impact on them (impacted CIs, affected install base).",
  },
  'ingest-api': {
    name: 'Alert sources',
    description: "Alerts in the formats monitoring tools already send (Alertmanager, PagerDuty Events API v2). No user token: an integration's key, which grants its own kind's route and nothing else.",
  },
  'public-api': { name: 'Service', description: 'Liveness and this reference. No token needed.' },
};

interface Success {
  status: number;
  description: string;
  /** A zod schema of the JSON body. */
  schema?: Schema;
  /** A body that is not described by a zod schema (this document, the HTML reference). */
  content?: { mediaType: string; schema: Json };
  /** The body is a case or an alert, with `ETag: "<version>"`. */
  etag?: boolean;
}

interface ErrorSpec {
  description: string;
  /** A problem with extra members (default: Problem). */
  schema?: Schema;
}

export interface OperationSpec {
  /** The schemas the handler validates the path, the query string and the body with. */
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** How the body is documented when the handler takes it as it comes (an ingest route: the sender's format, checked after the key). */
  bodyDoc?: Schema;
  success: Success[];
  /** One line: what the operation does. */
  summary: string;
  /** More about the operation than its summary (Markdown). */
  description?: string;
  /** The handler honours If-Match (a stale version is 412). */
  ifMatch?: boolean;
  /** Route-specific errors; 400, 401, 403, 409 (Idempotency-Key), 412 (ifMatch), 413 and 503 are added where they apply. */
  errors?: Partial<Record<404 | 409 | 412, string | ErrorSpec>>;
}

const ok = (schema: Schema, description: string, etag = false): Success => ({ status: 200, description, schema, etag });
const created = (schema: Schema, description: string, etag = false): Success => ({ status: 201, description, schema, etag });
const noContent = (description: string): Success => ({ status: 204, description });

const stageConflict = 'The stage change is not allowed (the problem names both stages), or a closed or cancelled case would change more than its stage';

export const OPERATIONS: Record<OperationKey, OperationSpec> = {
  // Alerts
  'POST /alerts': {
    summary: 'Raise, repeat or clear an alert',
    body: req.RaiseAlertBody,
    description:
      '`source` + `sourceAlertId` is the de-duplication key: a repeat updates the known alert (occurrences + 1) instead of creating a second one. ' +
      'Severity `clear` closes the known alert with that key. Enabled playbooks may convert a new or repeated alert at once.',
    success: [created(res.Alert, 'A new alert', true), ok(res.Alert, 'A repeat of a known alert, or the alert a `clear` closed', true)],
    errors: {
      404: "Severity `clear` for a key that names no known alert (nothing is created)",
      409: "The `source` is a live integration's own: its alerts arrive through that integration",
    },
  },
  'GET /alerts': {
    summary: 'List alerts', query: req.AlertListQuery, success: [ok(res.AlertPage, 'A page of alerts, newest first')] },
  'GET /alerts/{alertId}': {
    summary: 'Read an alert', params: req.AlertIdParams, success: [ok(res.Alert, 'The alert', true)], errors: { 404: 'No such alert' } },
  'PATCH /alerts/{alertId}': {
    summary: 'Change the state of an alert',
    params: req.AlertIdParams,
    body: req.UpdateAlertBody,
    ifMatch: true,
    description: 'Closing an alert never closes its case.',
    success: [ok(res.Alert, 'The alert in its new state', true)],
    errors: { 404: 'No such alert' },
  },
  'POST /alerts/{alertId}/case': {
    summary: 'Convert an alert into a case',
    params: req.AlertIdParams,
    body: req.ConvertAlertBody,
    description:
      "The alert's attributes and detections are copied onto the case; priority follows the severity unless given. " +
      'An alert converts once: every other attempt, however simultaneous, gets a 409 naming the case.',
    success: [created(res.Case, 'The case', true)],
    errors: {
      404: 'No such alert',
      409: { description: 'The alert is already converted: `caseId` and `caseNumber` name its case', schema: res.AlreadyConverted },
    },
  },
  'POST /alerts/convert': {
    summary: 'Convert many alerts at once',
    body: req.ConvertAlertsBody,
    description:
      '`one_case`: one case holding every alert that has no case yet, opened from the most severe of them (its priority, unless given, and its attributes); ' +
      '`case_per_alert`: a case for each. Each alert answers on its own, in the order sent: `converted` with its case, `attached_elsewhere` with the case it is already in, `not_found`. ' +
      'With `Idempotency-Key`, a retry answers as the first request did and converts nothing twice.',
    success: [ok(res.ConvertResult, 'Each alert\'s outcome')],
  },
  'GET /alerts/{alertId}/history': {
    summary: 'History of an alert',
    params: req.AlertIdParams,
    query: req.PageQuery,
    success: [ok(res.HistoryPage, 'History entries, oldest first')],
    errors: { 404: 'No such alert' },
  },
  'POST /alerts/{alertId}/impact/refresh': {
    summary: 'Recalculate impacted CIs and affected install base',
    params: req.AlertIdParams,
    description: 'Walks the service map from the alert CI to the services that depend on it, and the install base items running on them.',
    success: [ok(res.ImpactRefresh, 'The recalculated impact')],
    errors: { 404: 'No such alert' },
  },
  'GET /alerts/{alertId}/impacted-cis': {
    summary: 'Impacted CIs of an alert',
    params: req.AlertIdParams,
    query: req.PageQuery,
    success: [ok(res.AlertImpactedCis, 'Impacted CIs as last calculated, in walk order, a page at a time')],
    errors: { 404: 'No such alert' },
  },
  'GET /alerts/{alertId}/affected-install-base': {
    summary: 'Affected install base of an alert',
    params: req.AlertIdParams,
    success: [ok(res.AlertAffectedInstallBase, 'Affected install base items as last calculated, grouped by account')],
    errors: { 404: 'No such alert' },
  },

  // Cases
  'POST /cases': {
    summary: 'Create a manual case',
    body: req.CreateCaseBody,
    description: 'A case naming an unknown queue is a 400; an assignee who is not a member of the queue leaves the case unassigned, with `warnings` saying why.',
    success: [created(res.Case, 'The case', true)],
  },
  'GET /cases': {
    summary: 'List cases', query: req.CaseListQuery, success: [ok(res.CasePage, 'A page of cases, newest first')] },
  'GET /cases/{caseId}': {
    summary: 'Read a case by id or by number (CS0001001)', params: req.CaseIdOrNumberParams, success: [ok(res.Case, 'The case', true)], errors: { 404: 'No such case' } },
  'PATCH /cases/{caseId}': {
    summary: 'Change a case',
    params: req.CaseIdParams,
    body: req.UpdateCaseBody,
    ifMatch: true,
    description: 'Any field of `POST /cases`; `null` removes an optional one. Changes of a major case carry to its open children.',
    success: [ok(res.Case, 'The changed case', true)],
    errors: { 404: 'No such case', 409: stageConflict },
  },
  'POST /cases/{caseId}/work-notes': {
    summary: 'Add a work note',
    params: req.CaseIdParams,
    body: req.WorkNoteBody,
    description: 'A work note on an accepted major case is written on its open children too.',
    success: [created(res.WorkNote, 'The work note')],
    errors: { 404: 'No such case' },
  },
  'GET /cases/{caseId}/work-notes': {
    summary: 'List work notes',
    params: req.CaseIdParams,
    query: req.PageQuery,
    success: [ok(res.WorkNotePage, 'A page of work notes')],
    errors: { 404: 'No such case' },
  },
  'GET /cases/{caseId}/history': {
    summary: 'History of a case',
    params: req.CaseIdParams,
    query: req.PageQuery,
    success: [ok(res.HistoryPage, 'History entries, oldest first')],
    errors: { 404: 'No such case' },
  },
  'GET /cases/{caseId}/alerts': {
    summary: "A case's alerts",
    params: req.CaseIdParams,
    query: req.PageQuery,
    success: [ok(res.AlertPage, 'The alerts attached now, in the order they joined the case')],
    errors: { 404: 'No such case' },
  },
  'POST /cases/{caseId}/alerts': {
    summary: 'Attach (or move) alerts to a case',
    params: req.CaseIdParams,
    body: req.AttachAlertsBody,
    description:
      'Each alert answers on its own: `attached`, `already_attached`, `attached_elsewhere` (with that case; send `move: true` to take it from there), `moved`, `not_found`. ' +
      "The case gains the alerts' detections (each id once) and each alert names the case, in the same write. Of two cases attaching one alert at once, exactly one wins.",
    success: [ok(res.AttachResult, "Each alert's outcome")],
    errors: {
      404: 'No such case',
      409: `The case, or (\`move\`) a case an alert would leave, is closed or cancelled: reopen it first (nothing is written); or the alerts would take the case past ${MAX_CASE_ALERTS} (\`limit\`, \`alertCount\`)`,
    },
  },
  'DELETE /cases/{caseId}/alerts/{alertId}': {
    summary: 'Detach an alert from a case',
    params: req.CaseAlertParams,
    description: 'The case keeps the detections it copied; its origin alert stays its provenance (`alertId`).',
    success: [noContent('Detached')],
    errors: { 404: 'No such case, or the alert is not attached to it', 409: 'The case is closed or cancelled: it keeps its alerts (reopen it first)' },
  },
  'GET /cases/{caseId}/affected-install-base': {
    summary: 'Affected install base of a case',
    params: req.CaseIdParams,
    success: [ok(res.CaseAffectedInstallBase, "The case's install base items, grouped by account")],
    errors: { 404: 'No such case' },
  },
  'POST /cases/{caseId}/affected-install-base': {
    summary: 'Attach an install base item',
    ifMatch: true,
    params: req.CaseIdParams,
    body: req.AddInstallBaseItemBody,
    success: [created(res.CaseAffectedInstallBase, "The case's install base items after the change")],
    errors: { 404: 'No such case, install base item or account', 409: 'The case is closed or cancelled' },
  },
  'DELETE /cases/{caseId}/affected-install-base/{installBaseItemId}': {
    summary: 'Detach an install base item',
    ifMatch: true,
    params: req.CaseItemParams,
    success: [noContent('Detached')],
    errors: { 404: 'No such case, or the item is not attached to it', 409: 'The case is closed or cancelled' },
  },
  'POST /cases/{caseId}/install-base-health/refresh': {
    summary: 'Refresh install base health',
    params: req.CaseIdParams,
    description: "Health of the case's items (or, when it has none, its account's): the worst severity among open alerts impacting each item's CI, else `ok`.",
    success: [ok(res.InstallBaseHealth, 'Health of each item')],
    errors: { 404: 'No such case', 409: 'The case has no account, or neither the case nor its account has install base items (`missing` names which)' },
  },
  'GET /cases/{caseId}/details': {
    summary: 'Sold products and source alert of a case',
    params: req.CaseIdParams,
    success: [ok(res.CaseDetails, "The sold products behind the case's items (else its account's) and the alert it came from")],
    errors: { 404: 'No such case' },
  },
  'POST /cases/{caseId}/major-case/propose': {
    summary: 'Propose a case as a major case',
    ifMatch: true,
    params: req.CaseIdParams,
    body: req.ProposeMajorCaseBody,
    description: 'A case in `new`, `open` or `awaiting_info` whose install base spans at least the threshold of accounts (default 2). A reason becomes a work note.',
    success: [ok(res.Case, 'The proposed major case', true)],
    errors: { 404: 'No such case', 409: 'The case is a child, already proposed or accepted, in another stage, or spans too few accounts' },
  },
  'POST /cases/{caseId}/major-case/accept': {
    summary: 'Accept a proposed major case',
    ifMatch: true,
    params: req.CaseIdParams,
    description: 'Opens one child case per affected account, never two for the same account; accepting again completes missing children.',
    success: [ok(res.Case, 'The accepted major case', true)],
    errors: { 404: 'No such case', 409: 'The case is not proposed as a major case' },
  },
  'POST /cases/{caseId}/major-case/reject': {
    summary: 'Reject a proposed major case',
    ifMatch: true,
    params: req.CaseIdParams,
    body: req.RejectMajorCaseBody,
    description: 'The reason becomes a work note.',
    success: [ok(res.Case, 'The rejected major case', true)],
    errors: { 404: 'No such case', 409: 'The case is not proposed as a major case' },
  },

  // Configuration
  'GET /rules/proactive-case': {
    summary: 'Read the Create Proactive Case rule', success: [ok(res.ProactiveRule, 'The rule (off until turned on)')] },
  'PUT /rules/proactive-case': {
    summary: 'Turn the Create Proactive Case rule on or off',
    body: req.ProactiveRuleBody,
    description: 'Takes effect for the next Incident Created event.',
    success: [ok(res.ProactiveRule, 'The rule')],
  },
  'GET /rules/case-sync': {
    summary: 'Read the case-sync rule', success: [ok(res.CaseSyncRule, 'The rule (raising priority on escalation on, closing alerts with their case off, until changed)')] },
  'PUT /rules/case-sync': {
    summary: 'Set the case-sync rule',
    body: req.CaseSyncRuleBody,
    success: [ok(res.CaseSyncRule, 'The rule')],
  },
  'GET /playbooks': {
    summary: 'List playbooks in evaluation order', query: req.PageQuery, success: [ok(res.PlaybookList, 'Every playbook, in evaluation order')] },
  'POST /playbooks': {
    summary: 'Create a playbook',
    body: req.PlaybookBody,
    description: 'A new playbook is disabled unless `enabled` says otherwise; its action must be one a conversion can carry out (a known queue, a closed stage with its reason).',
    success: [created(res.Playbook, 'The playbook')],
  },
  'GET /playbooks/{playbookId}': {
    summary: 'Read a playbook', params: req.PlaybookIdParams, success: [ok(res.Playbook, 'The playbook')], errors: { 404: 'No such playbook' } },
  'PUT /playbooks/{playbookId}': {
    summary: 'Replace a playbook',
    params: req.PlaybookIdParams,
    body: req.PlaybookBody,
    success: [ok(res.Playbook, 'The playbook')],
    errors: { 404: 'No such playbook' },
  },
  'DELETE /playbooks/{playbookId}': {
    summary: 'Delete a playbook', params: req.PlaybookIdParams, success: [noContent('Deleted')], errors: { 404: 'No such playbook' } },
  'POST /playbooks/{playbookId}/test': {
    summary: 'Dry run: which open alerts the playbook would convert',
    params: req.PlaybookIdParams,
    query: req.PageQuery,
    description:
      'A dry run over open alerts without a case, enabled or not: converts nothing. Paged: up to `limit` matches and 1,000 alerts looked at per request; `nextCursor` goes on.',
    success: [ok(res.PlaybookTestResult, 'The alerts the playbook would convert')],
    errors: { 404: 'No such playbook' },
  },
  'GET /queues': {
    summary: 'List queues', query: req.PageQuery, success: [ok(res.QueueList, 'Every queue (tier1, tier2 and tier3 always exist)')] },
  'PUT /queues/{queueId}': {
    summary: 'Set the members of a queue',
    params: req.QueueIdParams,
    body: req.PutQueueBody,
    description: 'Creates the queue or replaces its members.',
    success: [ok(res.Queue, 'The queue')],
  },

  'GET /integrations': {
    summary: 'List integrations (never their keys)', query: req.PageQuery, success: [ok(res.IntegrationPage, 'Every integration, oldest first')] },
  'POST /integrations': {
    summary: 'Create an integration and its key',
    body: req.IntegrationBody,
    description:
      'The answer holds the key: the only time it is shown (only its hash is kept; a retry with the same `Idempotency-Key` is answered without it). It works at once. `mapping.ciField` names the label (Alertmanager, default `instance`) or field ' +
      '(PagerDuty: `source` by default, `component`, `group`, `class` or `custom_details.<name>`) that names the CI; `mapping.severityMap` maps sender severities over the defaults; ' +
      "`mapping.source` is the `source` its alerts carry (default: the name). A source is its integration's own: one another live integration carries, one alerts raised through `POST /alerts` or `Alert Raised` carry, or one beginning `aws.` is a 409 naming `source`. " +
      'To rotate a key, revoke the integration and create it again with the same name: its open alerts go on under the new key.',
    success: [created(res.IntegrationCreated, 'The integration, with its key')],
    errors: { 409: `The source is taken (\`source\`), or there are already ${MAX_INTEGRATIONS} integrations, the most there may be` },
  },
  'DELETE /integrations/{integrationId}': {
    summary: 'Revoke an integration and its key',
    params: req.IntegrationIdParams,
    description: 'The key stops working within 5 s (instances may cache a key that long).',
    success: [noContent('Revoked')],
    errors: { 404: 'No such integration' },
  },

  // Alert sources
  'POST /integrations/alertmanager': {
    summary: 'Alertmanager webhook (payload version 4)',
    body: req.SenderPayload,
    bodyDoc: AlertmanagerWebhook,
    description:
      "Point an Alertmanager `webhook_configs` receiver here with `http_config: { authorization: { credentials: <key> } }` (sent as `Authorization: Bearer <key>`). " +
      'One alert per entry of `alerts`, keyed by `fingerprint`: `firing` raises or repeats, `resolved` clears. The same `fingerprint` and `startsAt` again changes nothing. ' +
      'The payload is checked whole before anything is written (a 400 names the entry and field, such as `alerts.3.labels`); over 1,000 alerts is 413. ' +
      'A missing, unknown or revoked key, or a user token, is 401.',
    success: [ok(res.IngestSummary, 'Every alert of the payload applied')],
  },
  'POST /integrations/pagerduty/v2/enqueue': {
    summary: 'PagerDuty Events API v2',
    body: req.SenderPayload,
    bodyDoc: req.PagerDutyEvent,
    description:
      "Send PagerDuty Events API v2 events here with an integration's key as `routing_key`. `trigger` raises or repeats by `dedup_key` (one is made and returned when absent), " +
      '`acknowledge` acknowledges, `resolve` clears. Answers as PagerDuty does: 202 on success; an invalid event, or an unknown or revoked `routing_key`, is 400 ' +
      '`{ status: "invalid event", message, errors }`.',
    success: [{ status: 202, description: 'The event was applied', schema: res.PagerDutyAccepted }],
  },

  // Service map & install base
  'POST /service-map/import': {
    summary: 'Import CIs and relationships',
    body: req.ServiceMapImportBody,
    description: `At most ${req.MAX_IMPORT_ROWS} rows. Every row is checked before anything is written (an error's path names its row); an import can be sent again safely.`,
    success: [ok(res.ServiceMapImportResult, 'Rows written')],
    errors: { 409: 'Another service map import is running; send this one again when it has finished' },
  },
  'GET /cis/{ciId}': {
    summary: 'Read a CI with its parents and children', params: req.CiIdParams, success: [ok(res.Ci, 'The CI with its parents and children')], errors: { 404: 'No such CI' } },
  'POST /install-base/import': {
    summary: 'Import accounts, sold products and install base items',
    body: req.InstallBaseImportBody,
    description: `At most ${req.MAX_IMPORT_ROWS} rows. Every row is checked before anything is written (an error's path names its row); an import can be sent again safely.`,
    success: [ok(res.InstallBaseImportResult, 'Rows written')],
  },
  'GET /accounts/{accountId}/install-base': {
    summary: "Read an account's install base",
    params: req.AccountIdParams,
    query: req.PageQuery,
    success: [ok(res.AccountInstallBase, 'The account, its sold products and install base items')],
    errors: { 404: 'No such account' },
  },

  // Service
  'GET /health': {
    summary: 'Liveness', success: [ok(res.HealthStatus, 'The service is up')] },
  'GET /openapi.json': {
    summary: 'This API as an OpenAPI 3.1 document',
    success: [{ status: 200, description: 'This document', content: { mediaType: 'application/json', schema: { type: 'object', description: 'An OpenAPI 3.1 document' } } }],
  },
  'GET /docs': {
    summary: 'A readable reference of this API (HTML)',
    success: [{ status: 200, description: 'A readable reference page of this API (self-contained HTML)', content: { mediaType: 'text/html', schema: { type: 'string' } } }],
  },
  'GET /console': {
    summary: 'The console',
    description: 'The console is a single page served from its own CloudFront distribution; this page leads there. Locally the local server serves the console itself at this path.',
    success: [{ status: 200, description: 'A page that leads to the console', content: { mediaType: 'text/html', schema: { type: 'string' } } }],
    errors: { 404: 'This deployment has no console' },
  },
};

/** Named schemas: components.schemas, referenced with $ref wherever they appear. */
const COMPONENTS: [name: string, schema: Schema, description?: string][] = [
  // Shared values
  ['Severity', req.Severity, 'Alert severity, worst first'],
  ['AlertState', res.AlertState, '"Open alerts" are `open` or `acknowledged`'],
  ['PriorityInput', req.Priority, 'Case priority as a client may send it: `medium` is accepted as `moderate`'],
  ['Priority', res.CasePriority, 'Case priority'],
  ['Stage', req.Stage, 'Case stage'],
  ['ClosedReason', req.ClosedReason, 'Why a resolved or closed case was closed; `other` needs `closedReasonText`'],
  ['CaseOrigin', res.CaseOrigin],
  ['MajorCaseState', res.MajorCaseState],
  ['CiClass', res.CiClass],
  ['AttributeValue', res.AttributeValue],
  ['Detection', req.Detection],
  // Records
  ['Alert', res.Alert, 'An alert. Responses that carry one send `ETag: "<version>"`.'],
  ['Case', res.Case, 'A case. Its install base, work notes and history have routes of their own. Responses that carry one send `ETag: "<version>"`.'],
  ['HistoryEntry', res.HistoryEntry, 'One change of a case or an alert, written by the Streams handler'],
  ['Change', res.Change],
  ['WorkNote', res.WorkNote],
  ['ImpactedCi', res.ImpactedCi, 'The alert CI itself (`alert_ci`) or a service that depends on it (`service`)'],
  ['AccountGroup', res.AccountGroup, 'Install base items of one account'],
  ['Account', req.AccountRow, 'A customer'],
  ['SoldProduct', req.SoldProductRow],
  ['InstallBaseItem', req.InstallBaseItemRow],
  ['Ci', res.Ci, 'A configuration item with the CIs that depend on it (parents) and that it depends on (children)'],
  ['Playbook', res.Playbook],
  ['PlaybookConditions', req.PlaybookConditions, 'All conditions given must hold for an alert'],
  ['PlaybookAction', req.PlaybookAction, 'What the case gets'],
  ['Queue', res.Queue],
  ['ProactiveRule', res.ProactiveRule, 'The Create Proactive Case rule'],
  ['Integration', res.Integration, "A sender's own way in: its kind, its mapping and the `source` its alerts carry (never its key)"],
  ['IntegrationMapping', req.IntegrationMappingBody, "How an integration's payloads map onto alerts"],
  ['IngestSummary', res.IngestSummary, 'What a payload did, alert by alert, counted'],
  ['PagerDutyInvalid', res.PagerDutyInvalid, 'PagerDuty\'s answer to an event it cannot take'],
  // Responses
  ['AlertPage', res.AlertPage],
  ['CasePage', res.CasePage],
  ['HistoryPage', res.HistoryPage],
  ['WorkNotePage', res.WorkNotePage],
  ['PlaybookList', res.PlaybookList],
  ['QueueList', res.QueueList],
  ['IntegrationPage', res.IntegrationPage],
  ['IntegrationCreated', res.IntegrationCreated, 'An integration with its key: the only answer that holds it'],
  ['ImpactRefresh', res.ImpactRefresh],
  ['AlertImpactedCis', res.AlertImpactedCis],
  ['AlertAffectedInstallBase', res.AlertAffectedInstallBase],
  ['CaseAffectedInstallBase', res.CaseAffectedInstallBase],
  ['InstallBaseHealth', res.InstallBaseHealth],
  ['CaseDetails', res.CaseDetails],
  ['PlaybookTestResult', res.PlaybookTestResult],
  ['ServiceMapImportResult', res.ServiceMapImportResult],
  ['InstallBaseImportResult', res.InstallBaseImportResult],
  ['AccountInstallBase', res.AccountInstallBase],
  ['HealthStatus', res.HealthStatus],
  ['Problem', res.Problem, 'An error (RFC 9457 problem+json). Validation errors list each offending field in `errors`; other members may be added.'],
  ['AlreadyConverted', res.AlreadyConverted, 'The alert is already converted: `caseId` and `caseNumber` name its case'],
  // Request bodies
  ['RaiseAlertBody', req.RaiseAlertBody],
  ['UpdateAlertBody', req.UpdateAlertBody],
  ['ConvertAlertBody', req.ConvertAlertBody],
  ['CreateCaseBody', req.CreateCaseBody],
  ['UpdateCaseBody', req.UpdateCaseBody, 'Any field of `CreateCaseBody`; `null` removes an optional one'],
  ['WorkNoteBody', req.WorkNoteBody],
  ['AddInstallBaseItemBody', req.AddInstallBaseItemBody],
  ['ProposeMajorCaseBody', req.ProposeMajorCaseBody],
  ['RejectMajorCaseBody', req.RejectMajorCaseBody],
  ['ProactiveRuleBody', req.ProactiveRuleBody],
  ['PlaybookBody', req.PlaybookBody],
  ['PutQueueBody', req.PutQueueBody],
  ['ServiceMapImportBody', req.ServiceMapImportBody, `CIs and relationships (\`parentId\` depends on \`childId\`); at most ${req.MAX_IMPORT_ROWS} rows in all`],
  ['CiRow', req.CiRow, '`operationalStatus` is `operational` unless given'],
  ['RelationshipRow', req.RelationshipRow, '`parentId` depends on `childId`'],
  ['InstallBaseImportBody', req.InstallBaseImportBody, `At most ${req.MAX_IMPORT_ROWS} rows in all`],
];

const ref = (name: string, group = 'schemas') => ({ $ref: `#/components/${group}/${name}` });

const JSON_SCHEMA_OPTIONS = {
  target: 'draft-2020-12',
  // Requests as the client sends them (query strings are strings before they are parsed).
  io: 'input',
  // Refinements and transforms have no JSON Schema; their rules are in the descriptions.
  unrepresentable: 'any',
  override: ({ jsonSchema: s }: { jsonSchema: Json }) => {
    // Noise for a reader: the format says it all; JSON numbers need no safe-integer bounds.
    if (s.format === 'date-time') delete s.pattern;
    if (s.type === 'integer') {
      if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
      if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
    }
  },
} as const;

/** The JSON Schema of a zod schema, as it sits inside an OpenAPI document (no `$schema`, no `$id`). */
function jsonSchemaOf(schema: Schema): Json {
  const { $schema: _schema, $id: _id, ...rest } = z.toJSONSchema(schema, JSON_SCHEMA_OPTIONS) as Json;
  return rest;
}

function componentSchemas(): { schemas: Record<string, Json>; nameOf: Map<Schema, string> } {
  const registry = z.registry<{ id: string }>();
  const nameOf = new Map<Schema, string>();
  for (const [name, schema] of COMPONENTS) {
    if (nameOf.has(schema)) throw new Error(`OpenAPI: one schema registered twice (${nameOf.get(schema)}, ${name})`);
    registry.add(schema, { id: name });
    nameOf.set(schema, name);
  }
  const generated = z.toJSONSchema(registry, { ...JSON_SCHEMA_OPTIONS, uri: (id) => ref(id).$ref }).schemas as Record<string, Json>;
  const descriptions = new Map(COMPONENTS.map(([name, , description]) => [name, description]));
  const schemas: Record<string, Json> = {};
  for (const [name, { $schema: _schema, $id: _id, ...rest }] of Object.entries(generated)) {
    const description = descriptions.get(name);
    schemas[name] = description && !rest.description ? { description, ...rest } : rest;
  }
  return { schemas, nameOf };
}

/** `POST /alerts/{alertId}/case` → `postAlertsByAlertIdCase` */
export function operationIdOf(route: Pick<RouteSpec, 'method' | 'path'>): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .flatMap((part) => (part.startsWith('{') ? ['by', part.slice(1, -1)] : part.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return route.method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

const QUERY_DESCRIPTIONS: Record<string, string> = {
  limit: `Page size, 1 to 100 (default ${req.DEFAULT_PAGE_SIZE})`,
  cursor: 'The `nextCursor` of the previous page (opaque)',
};

function parametersOf(route: RouteSpec, op: OperationSpec): Json[] {
  const parameters: Json[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchemaOf(schema);
    const required = new Set((object.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((object.properties ?? {}) as Record<string, Json>)) {
      let description = where === 'query' ? (QUERY_DESCRIPTIONS[name] ?? `Only items whose \`${name}\` is this value`) : undefined;
      if (where === 'path' && op.params === req.CaseIdOrNumberParams) description = 'A case id (`case_…`) or a case number (`CS0001001`)';
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: property,
      });
    }
  }
  if (op.ifMatch) parameters.push(ref('IfMatch', 'parameters'));
  if (route.method === 'POST' && route.permission) parameters.push(ref('IdempotencyKey', 'parameters'));
  return parameters;
}

const problemContent = (schema: Json = ref('Problem')) => ({ 'application/problem+json': { schema } });

function responsesOf(route: RouteSpec, op: OperationSpec, schemaRef: (s: Schema) => Json): Json {
  const responses: Record<string, Json> = {};
  for (const s of op.success) {
    const content = s.content
      ? { [s.content.mediaType]: { schema: s.content.schema } }
      : s.schema
        ? { 'application/json': { schema: schemaRef(s.schema) } }
        : undefined;
    responses[String(s.status)] = {
      description: s.description,
      ...(s.etag ? { headers: { ETag: ref('ETag', 'headers') } } : {}),
      ...(content ? { content } : {}),
    };
  }
  const error = (status: number, spec: string | ErrorSpec) => {
    const { description, schema } = typeof spec === 'string' ? { description: spec } : spec;
    responses[String(status)] = { description, content: problemContent(schema ? schemaRef(schema) : undefined) };
  };
  const errors = op.errors ?? {};
  if (route.ingest === 'pagerduty') {
    responses['400'] = {
      description: 'An invalid event, or an unknown or revoked `routing_key`, answered as PagerDuty does',
      content: { 'application/json': { schema: schemaRef(res.PagerDutyInvalid) } },
    };
  } else error(400, 'The request is not valid: malformed JSON, a schema violation or an unknown field or query parameter (`errors` names each one)');
  if (route.permission || route.ingest === 'alertmanager') responses['401'] = ref('Unauthorized', 'responses');
  if (route.permission) responses['403'] = ref('Forbidden', 'responses');
  if (errors[404]) error(404, errors[404]);
  const idempotent = route.method === 'POST' && route.permission;
  if (errors[409] || idempotent) {
    const spec = errors[409];
    const inProgress = 'a request with the same Idempotency-Key is still in progress';
    if (!spec) error(409, `Conflict: ${inProgress}`);
    else if (typeof spec === 'string') error(409, idempotent ? `${spec}; or ${inProgress}` : spec);
    else error(409, { ...spec, description: idempotent ? `${spec.description}; or ${inProgress}` : spec.description });
  }
  if (op.ifMatch) responses['412'] = ref('PreconditionFailed', 'responses');
  if (op.body) responses['413'] = ref('ContentTooLarge', 'responses');
  if (route.permission || route.ingest) responses['503'] = ref('ServiceUnavailable', 'responses');
  return responses;
}

const MIB = MAX_BODY_BYTES / (1024 * 1024);

const API_DESCRIPTION = `Turns monitoring and security **alerts** into **cases**: proactive cases for the customers whose install base an alert impacts, and alert conversion for security analysts.

- JSON in and out. Errors are \`application/problem+json\` (RFC 9457) with \`status\`, \`title\`, \`detail\` and, for validation, \`errors: [{ path, message }]\`.
- Malformed JSON, schema violations and unknown fields or query parameters are 400. Bodies over ${MIB} MiB are 413. A route whose body is all optional accepts an empty body.
- When the database cannot answer in time the response is 503 with \`Retry-After\`.
- Lists take \`limit\` (1 to 100, default ${req.DEFAULT_PAGE_SIZE}) and an opaque \`cursor\`, and return \`{ items, nextCursor }\`.
- Responses that carry a case or an alert send \`ETag: "<version>"\`; a change may carry \`If-Match\` (the ETag or the bare version), and a stale one is 412.
- \`Idempotency-Key\` on a POST makes a retry within 24 h return the first result.
- Authentication: a bearer JWT; roles come from its \`cognito:groups\` claim (${ROLES.map((r) => `\`${r}\``).join(', ')}). Each operation lists the roles that may call it.`;

function build(): Json {
  const { schemas, nameOf } = componentSchemas();
  const schemaRef = (schema: Schema): Json => {
    const name = nameOf.get(schema);
    return name ? ref(name) : jsonSchemaOf(schema);
  };
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ROUTES as readonly RouteSpec[]) {
    const op = OPERATIONS[routeKeyOf(route) as OperationKey];
    if (!op) throw new Error(`OpenAPI: no operation for ${routeKeyOf(route)}`);
    const roles = route.permission ? [...PERMISSIONS[route.permission]] : [];
    const access = route.permission
      ? `**Roles:** ${roles.map((r) => `\`${r}\``).join(', ')} (permission \`${route.permission}\`).`
      : route.ingest
        ? `**Integration key:** of a \`${route.ingest}\` integration (\`POST /integrations\`); no user token.`
        : '**Public:** no token needed.';
    const parameters = parametersOf(route, op);
    const documentedBody = op.bodyDoc ?? op.body;
    const bodySchema = documentedBody && jsonSchemaOf(documentedBody);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: operationIdOf(route),
      tags: [TAGS[route.fn].name],
      summary: op.summary,
      description: [op.description, access].filter(Boolean).join('\n\n'),
      security: route.permission ? [{ bearerAuth: [] }] : route.ingest === 'alertmanager' ? [{ integrationKey: [] }] : [],
      ...(route.permission ? { 'x-permission': route.permission, 'x-roles': roles } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: ((bodySchema?.required as string[] | undefined) ?? []).length > 0,
              content: { 'application/json': { schema: schemaRef(documentedBody!) } },
            },
          }
        : {}),
      responses: responsesOf(route, op, schemaRef),
    };
  }
  const problem = (description: string, headers?: Json): Json => ({ description, ...(headers ? { headers } : {}), content: problemContent() });
  return {
    openapi: '3.1.0',
    info: {
      title: 'alert-to-case',
      version: API_VERSION,
      summary: 'Alerts to cases: proactive cases, alert conversion, impact on the service map and the install base.',
      description: API_DESCRIPTION,
      license: { name: 'Proprietary: not for reuse', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    tags: (Object.keys(TAGS) as FunctionGroup[]).map((fn) => TAGS[fn]),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            `A JWT from the user directory. Roles come from its \`cognito:groups\` claim (a user may hold several): ${ROLES.map((r) => `\`${r}\``).join(', ')}. ` +
            'No token, an expired token or a bad signature is 401; a role without the right is 403. Each operation lists its roles in its description and in `x-roles`.',
        },
        integrationKey: {
          type: 'http',
          scheme: 'bearer',
          description: "An Alertmanager integration's key (`POST /integrations`), as Alertmanager's `http_config.authorization` sends it. A PagerDuty integration's key goes in the event's `routing_key`.",
        },
      },
      parameters: {
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: false,
          description: 'The ETag (`"3"`, `W/"3"`) or the bare version (`3`) the change is based on; `*` matches any. A stale version is 412.',
          schema: { type: 'string', examples: ['"3"'] },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes a retry within 24 h return the first result. The same key with another body is 400; while the first request runs, 409.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        },
      },
      headers: {
        ETag: { description: 'The version of the case or alert in the body, as `"<version>"`', schema: { type: 'string', examples: ['"3"'] } },
        RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer', examples: [RETRY_AFTER_SECONDS] } },
        WWWAuthenticate: { description: '`Bearer`', schema: { type: 'string' } },
      },
      responses: {
        Unauthorized: problem('No token (or integration key), an expired token, a bad signature, or an unknown or revoked key', { 'WWW-Authenticate': ref('WWWAuthenticate', 'headers') }),
        Forbidden: problem('None of your roles may do this'),
        PreconditionFailed: problem('If-Match names a version that is no longer current; read the record again'),
        ContentTooLarge: problem(`The body is over ${MIB} MiB`),
        ServiceUnavailable: problem('The database did not answer in time; retry after `Retry-After` seconds', { 'Retry-After': ref('RetryAfter', 'headers') }),
      },
      schemas,
    },
  };
}

let cached: Json | undefined;

/** The OpenAPI 3.1 document, built on first use. */
export function openApiDocument(): Json {
  cached ??= build();
  return cached;
}

/** The reference files public-api serves (lib/http/reference.ts), exactly as `npm run openapi` writes them. */
export function referenceFiles(): Record<string, string> {
  const document = openApiDocument();
  return { [OPENAPI_FILE]: `${JSON.stringify(document, null, 2)}\n`, [DOCS_FILE]: renderDocsPage(document) };
}
