/**
 * What the OpenAPI document says beyond the operations themselves: the API's
 * description and version, a tag for each function's operations, and the
 * named schemas (components.schemas, referenced with $ref wherever they appear).
 */
import type * as z from 'zod/mini';
import { MAX_BODY_BYTES, type FunctionGroup } from './operation.js';
import { ROLES } from './permissions.js';
import * as req from './schemas.js';
import * as res from './responses.js';
import { PagerDutyInvalid } from '../sources/pagerduty.js';

/** The package version (a unit test keeps it equal to package.json's). */
export const API_VERSION = '0.1.0';

export const API_SUMMARY = 'Alerts to cases: proactive cases, alert conversion, impact on the service map and the install base.';

export const API_DESCRIPTION = `Turns monitoring and security **alerts** into **cases**: proactive cases for the customers whose install base an alert impacts, and alert conversion for security analysts.

- JSON in and out. Errors are \`application/problem+json\` (RFC 9457) with \`status\`, \`title\`, \`detail\` and, for validation, \`errors: [{ path, message }]\`.
- Malformed JSON, schema violations and unknown fields or query parameters are 400. Bodies over ${MAX_BODY_BYTES / (1024 * 1024)} MiB are 413. A route whose body is all optional accepts an empty body.
- When the database cannot answer in time the response is 503 with \`Retry-After\`.
- Lists take \`limit\` (1 to 100, default ${req.DEFAULT_PAGE_SIZE}) and an opaque \`cursor\`, and return \`{ items, nextCursor }\`.
- Responses that carry a case or an alert send \`ETag: "<version>"\`; a change may carry \`If-Match\` (the ETag or the bare version), and a stale one is 412.
- \`Idempotency-Key\` on a POST makes a retry within 24 h return the first result.
- Authentication: a bearer JWT; roles come from its \`cognito:groups\` claim (${ROLES.map((r) => `\`${r}\``).join(', ')}). Each operation lists the roles that may call it.`;

export const TAGS: Record<FunctionGroup, { name: string; description: string }> = {
  'alerts-api': { name: 'Alerts', description: 'Raise, read and update alerts; convert alerts into cases, one or many at once.' },
  'cases-api': { name: 'Cases', description: 'Create, read and change cases; their alerts (attach, move, detach), work notes, history and major cases.' },
  'case-lists-api': {
    name: 'Case lists',
    description: 'Find cases: by stage, queue, assignee, account, proactive or major case; by SLA breach, earliest first. Each case with its SLAs in brief.',
  },
  'case-install-base-api': { name: 'Case install base', description: "A case's affected install base items, their health, and the case's details (sold products, source alert)." },
  'config-api': { name: 'Configuration', description: 'The Create Proactive Case rule, the case-sync rule, playbooks, queues and integrations.' },
  'catalog-api': {
    name: 'Service map & install base',
    description:
      "Import and read configuration items, accounts, sold products and install base items; an alert's impact on them (impacted CIs, affected install base).",
  },
  'assignment-api': {
    name: 'Inbox & assignment',
    description: "The agent's inbox: presence and capacity, offers to accept or reject, assigned cases; a queue's waiting work and its agents' load, for managers.",
  },
  'sla-api': {
    name: 'Service levels',
    description: "SLA definitions (response and resolution targets in business hours, pauses, warnings) and a case's task SLAs with their clocks.",
  },
  'metrics-api': {
    name: 'Team metrics',
    description: 'MTTA, MTTR, SLA compliance, backlog and conversion by source, per day: counted from every change, read from the counters alone.',
  },
  'ingest-api': {
    name: 'Alert sources',
    description: "Alerts in the formats monitoring tools already send (Alertmanager, PagerDuty Events API v2). No user token: an integration's key, which grants its own kind's route and nothing else.",
  },
  'public-api': { name: 'Service', description: 'Liveness and this reference. No token needed.' },
};

/** Named schemas: components.schemas, referenced with $ref wherever they appear. */
export const COMPONENTS: [name: string, schema: z.ZodMiniType, description?: string][] = [
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
  ['SlaDefinition', res.SlaDefinition, 'An SLA definition, its defaults filled in'],
  ['SlaSummary', res.SlaSummary, "A case's SLA in brief, as lists show it: when it breaches, and whether it has warned or breached"],
  ['TaskSla', res.TaskSla, "A case's SLA of one definition, its clock read when answered"],
  ['PlaybookConditions', req.PlaybookConditions, 'All conditions given must hold for an alert'],
  ['PlaybookAction', req.PlaybookAction, 'What the case gets'],
  ['Queue', res.Queue],
  ['ProactiveRule', res.ProactiveRule, 'The Create Proactive Case rule'],
  ['Integration', res.Integration, "A sender's own way in: its kind, its mapping and the `source` its alerts carry (never its key)"],
  ['IntegrationMapping', req.IntegrationMappingBody, "How an integration's payloads map onto alerts"],
  ['IngestSummary', res.IngestSummary, 'What a payload did, alert by alert, counted'],
  ['PagerDutyInvalid', PagerDutyInvalid, 'PagerDuty\'s answer to an event it cannot take'],
  // Responses
  ['AlertPage', res.AlertPage],
  ['MetricsSummary', res.MetricsSummary, 'Team metrics over inclusive UTC days'],
  ['CaseListItem', res.CaseListItem, 'A case as the case list shows it: with its SLAs in brief'],
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
