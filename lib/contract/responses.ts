/**
 * Response shapes, one zod schema each, for the OpenAPI document only: nothing
 * validates responses at run time. They follow what the handlers in
 * functions/http return (the records of lib/domain as the stores hand them out),
 * and reuse the request schemas where a response carries the same thing.
 * `zod/mini`, like the request schemas: the public function bundles them.
 */
import * as z from 'zod/mini';
import { ALERT_STATES } from '../domain/alert.js';
import { CASE_ORIGINS, MAJOR_CASE_STATES } from '../domain/case.js';
import { ACCOUNT_TYPES } from '../domain/install-base.js';
import { PRIORITIES, SEVERITIES } from '../domain/priority.js';
import { CI_CLASSES, OPERATIONAL_STATUSES } from '../domain/service-map.js';
import { ASSIGNMENT_MODES, PRESENCES, STRATEGIES, WORK_ITEM_STATES, WORK_ITEM_STEPS } from '../domain/assignment.js';
import { RejectReasonBody, SlaBody, AccountRow, ClosedReason, Detection, InstallBaseItemRow, IntegrationMappingBody, PlaybookAction, PlaybookConditions, Severity, SoldProductRow, Stage } from './schemas.js';
import { INTEGRATION_KINDS } from '../domain/integration.js';
import { SLA_KINDS, TASK_SLA_STAGES } from '../domain/sla.js';
import { ALERT_ID_PATTERN, CASE_ID_PATTERN, INTEGRATION_ID_PATTERN, PLAYBOOK_ID_PATTERN, SLA_ID_PATTERN } from '../domain/ids.js';

const said = (description: string) => z.describe(description);

const timestamp = /* @__PURE__ */ z.lazy(() => z.iso.datetime().check(said('ISO 8601 timestamp, UTC')));
const count = /* @__PURE__ */ z.lazy(() => z.int().check(z.minimum(0)));
const version = /* @__PURE__ */ z.lazy(() => z.int().check(z.minimum(1), said('Record version; sent as the ETag and accepted in If-Match')));
const actor = /* @__PURE__ */ z.lazy(() => z.string().check(said("The user's `sub`, or `rule:proactive-case`, `playbook:<playbookId>`, `schedule`")));
const alertId = /* @__PURE__ */ z.lazy(() => z.string().check(z.regex(ALERT_ID_PATTERN)));
const caseId = /* @__PURE__ */ z.lazy(() => z.string().check(z.regex(CASE_ID_PATTERN)));
const caseNumber = /* @__PURE__ */ z.lazy(() => z.string().check(z.regex(/^CS\d{7}$/)));

export const AlertState = /* @__PURE__ */ z.lazy(() => z.enum(ALERT_STATES));
/** A case's priority as stored and returned (the input `medium` is stored as `moderate`). */
export const CasePriority = /* @__PURE__ */ z.lazy(() => z.enum(PRIORITIES));
export const CaseOrigin = /* @__PURE__ */ z.lazy(() => z.enum(CASE_ORIGINS));
export const MajorCaseState = /* @__PURE__ */ z.lazy(() => z.enum(MAJOR_CASE_STATES));
export const CiClass = /* @__PURE__ */ z.lazy(() => z.enum(CI_CLASSES));
export const AccountType = /* @__PURE__ */ z.lazy(() => z.enum(ACCOUNT_TYPES));
export const AttributeValue = /* @__PURE__ */ z.lazy(() => z.union([z.string(), z.number(), z.boolean()]));
export const Health = /* @__PURE__ */ z.lazy(() => z.enum([...SEVERITIES, 'ok']));

export const Alert = /* @__PURE__ */ z.lazy(() => z.object({
  alertId,
  source: z.string(),
  sourceAlertId: z.optional(z.string()),
  severity: Severity,
  state: AlertState,
  ciId: z.optional(z.string()),
  description: z.string(),
  type: z.optional(z.string()),
  attributes: z.record(z.string(), AttributeValue),
  detections: z.array(Detection),
  occurrences: z.int().check(z.minimum(1)),
  firstOccurredAt: timestamp,
  lastOccurredAt: timestamp,
  incidentId: z.optional(z.string()),
  caseId: z.optional(caseId),
  caseNumber: z.optional(caseNumber),
  links: z.object({ self: z.string(), case: z.optional(z.string()) }),
  createdAt: timestamp,
  updatedAt: timestamp,
  createdBy: actor,
  updatedBy: actor,
  version,
}));

export const Case = /* @__PURE__ */ z.lazy(() => z.object({
  caseId,
  number: caseNumber,
  origin: CaseOrigin,
  proactive: z.boolean(),
  shortDescription: z.string(),
  description: z.optional(z.string()),
  priority: CasePriority,
  stage: Stage,
  closedReason: z.optional(ClosedReason),
  closedReasonText: z.optional(z.string()),
  queue: z.optional(z.string()),
  assignee: z.optional(z.string()),
  accountId: z.optional(z.string()),
  alertId: z.optional(alertId.check(said('The origin alert, kept as provenance (also once detached)'))),
  alertCount: count.check(said('Alerts attached now (at most 1,000)')),
  source: z.optional(z.string().check(said('The source of the alert it was made from, kept as provenance'))),
  alertAttributes: z.optional(
    z.record(z.string(), AttributeValue).check(said("The origin alert's attributes, copied at conversion (a case without them takes its first attached alert's)")),
  ),
  detections: z.optional(z.array(Detection).check(said("The detections of the case's alerts, copied at conversion and on attach, each id once (at most 100)"))),
  majorCase: MajorCaseState,
  parentCaseId: z.optional(caseId.check(said('The major case this case is a child of'))),
  warnings: z.optional(z.array(z.string()).check(said('Only on the response to the request that caused them'))),
  createdAt: timestamp,
  updatedAt: timestamp,
  createdBy: actor,
  updatedBy: actor,
  version,
}));

export const Change = /* @__PURE__ */ z.lazy(() => z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }));
export const HistoryEntry = /* @__PURE__ */ z.lazy(() => z.object({
  at: timestamp,
  actor,
  action: z
    .string()
    .check(
      said(
        'created, created_from_alert, updated, converted_to_case, work_note, impact_refreshed, major_case_proposed, alert_attached, alert_detached, alert_updated, attached_to_case, moved_to_case, detached_from_case, priority_raised, …',
      ),
    ),
  alertId: z.optional(alertId.check(said('On a case\'s `alert_updated` entry: the attached alert that changed'))),
  changes: z.array(Change),
}));

export const WorkNote = /* @__PURE__ */ z.lazy(() => z.object({ noteId: z.string(), caseId, text: z.string(), author: z.string(), createdAt: timestamp }));

export const ImpactedCi = /* @__PURE__ */ z.lazy(() => z.object({
  ciId: z.string(),
  name: z.string(),
  class: CiClass,
  kind: z.enum(['alert_ci', 'service']),
  path: z.array(z.string()).check(said('ciIds from the alert CI up to this one, both ends included')),
}));
export const AccountGroup = /* @__PURE__ */ z.lazy(() => z.object({
  accountId: z.string(),
  accountName: z.string(),
  accountType: AccountType,
  items: z.array(z.object({ installBaseItemId: z.string(), name: z.string(), ciId: z.string(), soldProductId: z.string() })),
}));
const truncated = /* @__PURE__ */ z.lazy(() => z.boolean().check(said('The walk stopped at a bound (depth, 10,000 impacted CIs, CIs read, or its time) with CIs still to visit')));
const impactedCisCursor = /* @__PURE__ */ z.lazy(() => z
  .nullable(z.string())
  .check(said('More impacted CIs than this page: pass as `cursor` to GET /alerts/{alertId}/impacted-cis; null when these are all')));
export const ImpactRefresh = /* @__PURE__ */ z.lazy(() => z.object({
  alertId,
  refreshedAt: timestamp,
  truncated,
  impactedCis: z.array(ImpactedCi),
  nextCursor: impactedCisCursor,
  affectedInstallBase: z.array(AccountGroup),
}));
const refreshedAt = /* @__PURE__ */ z.lazy(() => z.nullable(timestamp).check(said('null until the impact was first calculated')));
export const AlertImpactedCis = /* @__PURE__ */ z.lazy(() => z.object({ alertId, refreshedAt, truncated, impactedCis: z.array(ImpactedCi), nextCursor: impactedCisCursor }));
export const AlertAffectedInstallBase = /* @__PURE__ */ z.lazy(() => z.object({ alertId, refreshedAt, affectedInstallBase: z.array(AccountGroup) }));
export const CaseAffectedInstallBase = /* @__PURE__ */ z.lazy(() => z.object({ caseId, affectedInstallBase: z.array(AccountGroup) }));
export const InstallBaseHealth = /* @__PURE__ */ z.lazy(() => z.object({
  caseId,
  accountId: z.string(),
  refreshedAt: timestamp,
  items: z.array(z.object({ installBaseItemId: z.string(), name: z.string(), ciId: z.string(), health: Health })),
}));
export const CaseDetails = /* @__PURE__ */ z.lazy(() => z.object({ soldProducts: z.array(SoldProductRow), alert: z.nullable(Alert) }));

export const ProactiveRule = /* @__PURE__ */ z.lazy(() => z.object({ enabled: z.boolean(), updatedAt: z.nullable(timestamp), updatedBy: z.nullable(z.string()) }));
export const CaseSyncRule = /* @__PURE__ */ z.lazy(() => z.object({
  raisePriorityOnEscalation: z.boolean().check(said("An attached alert whose severity maps to a higher priority raises its case's priority (never lowers it)")),
  closeAlertsWithCase: z.boolean().check(said("Resolving or closing a case closes its open alerts")),
  updatedAt: z.nullable(timestamp),
  updatedBy: z.nullable(z.string()),
}));
const alertResultFields = () => ({
  alertId,
  caseId: z.optional(caseId.check(said('The case the alert is in now (attached_elsewhere: that other case)'))),
  caseNumber: z.optional(caseNumber),
});
export const AttachResult = /* @__PURE__ */ z.lazy(() => z.object({
  caseId,
  results: z.array(z.object({ ...alertResultFields(), outcome: z.enum(['attached', 'already_attached', 'attached_elsewhere', 'moved', 'not_found']) })),
}));
export const ConvertResult = /* @__PURE__ */ z.lazy(() => z.object({
  results: z.array(z.object({ ...alertResultFields(), outcome: z.enum(['converted', 'attached_elsewhere', 'not_found']) })),
}));
export const Playbook = /* @__PURE__ */ z.lazy(() => z.object({
  playbookId: z.string().check(z.regex(PLAYBOOK_ID_PATTERN)),
  name: z.string(),
  enabled: z.boolean(),
  order: count,
  conditions: PlaybookConditions,
  action: PlaybookAction,
  createdAt: timestamp,
  updatedAt: timestamp,
  updatedBy: z.string(),
}));
export const PlaybookTestResult = /* @__PURE__ */ z.lazy(() => z.object({
  evaluated: count.check(said('Open alerts without a case that were looked at in this page')),
  matches: z.array(Alert),
  nextCursor: z.nullable(z.string()).check(said('Send as `cursor` to go on with the dry run; null when every open alert was looked at')),
}));
/** An SLA definition as stored: the body with its defaults filled in. */
export const SlaDefinition = /* @__PURE__ */ z.lazy(() =>
  z.object({
    ...SlaBody.def.getter().shape,
    slaId: z.string().check(z.regex(SLA_ID_PATTERN)),
    pauseStages: z.array(Stage),
    warnAtPercent: z.array(count),
    retroactive: z.boolean(),
    updatedAt: timestamp,
    updatedBy: z.string(),
  }),
);
/** What a list shows of a case's SLA. */
export const SlaSummary = /* @__PURE__ */ z.lazy(() =>
  z.object({
    slaId: z.string().check(z.regex(SLA_ID_PATTERN)),
    name: z.string(),
    kind: z.enum(SLA_KINDS),
    stage: z.enum(TASK_SLA_STAGES),
    breachAt: timestamp,
    warned: z.boolean().check(said('A warning threshold is behind it: fired, or already passed when it started retroactively')),
    hasBreached: z.boolean(),
  }),
);
/** A case's SLA of one definition, its clock read at the time of the answer. */
export const TaskSla = /* @__PURE__ */ z.lazy(() =>
  z.object({
    slaId: z.string().check(z.regex(SLA_ID_PATTERN)),
    name: z.string(),
    kind: z.enum(SLA_KINDS),
    targetMinutes: count,
    stage: z.enum(TASK_SLA_STAGES),
    startedAt: timestamp,
    breachAt: timestamp.check(said('When the target runs out (a pause moves it when the pause ends)')),
    elapsedSeconds: count.check(said('Business seconds counted, pauses left out')),
    elapsedPercent: z.number().check(said('Of the target, one decimal')),
    pausedSeconds: count,
    warned: z.boolean().check(said('A warning threshold is behind it: fired, or already passed when it started retroactively')),
    hasBreached: z.boolean(),
    endedAt: z.optional(timestamp),
  }),
);
export const Queue = /* @__PURE__ */ z.lazy(() =>
  z.object({
    queueId: z.string(),
    members: z.array(z.string()),
    assignment: z.enum(ASSIGNMENT_MODES),
    strategy: z.enum(STRATEGIES),
    offerTimeoutSeconds: count,
    targetWaitSeconds: z.optional(count),
    rejectReasons: z.array(RejectReasonBody),
    onTimeout: z.enum(PRESENCES),
  }),
);
const workItemStep = /* @__PURE__ */ z.lazy(() => z.object({ at: timestamp, step: z.enum(WORK_ITEM_STEPS), actor, reason: z.optional(z.string()) }));
export const WorkItem = /* @__PURE__ */ z.lazy(() =>
  z.object({
    workItemId: z.string(),
    caseId,
    queueId: z.string(),
    state: z.enum(WORK_ITEM_STATES),
    priority: CasePriority,
    offeredTo: z.nullable(z.string()),
    offeredAt: z.optional(timestamp),
    expiresAt: z.optional(timestamp),
    offerCount: count,
    queuedAt: timestamp,
    createdAt: timestamp,
    waitSeconds: count,
    exceededTargetWait: z.boolean(),
    acceptedBy: z.optional(z.string()),
    steps: z.array(workItemStep),
    version,
  }),
);
export const User = /* @__PURE__ */ z.lazy(() =>
  z.object({ sub: z.string(), presence: z.enum(PRESENCES), capacity: count, inUse: count, lastAssignedAt: z.optional(timestamp), updatedAt: z.optional(timestamp) }),
);
const caseSummary = /* @__PURE__ */ z.lazy(() => z.object({ caseId, number: caseNumber, shortDescription: z.string(), priority: CasePriority }));
export const Inbox = /* @__PURE__ */ z.lazy(() =>
  z.object({
    presence: z.enum(PRESENCES),
    capacity: count,
    inUse: count,
    offers: z.array(z.intersection(WorkItem, z.object({ case: caseSummary }))),
    assigned: z.array(z.intersection(caseSummary, z.object({ stage: Stage, createdAt: timestamp, slas: z.array(SlaSummary) }))),
  }),
);
const integrationFields = () => ({
  integrationId: z.string().check(z.regex(INTEGRATION_ID_PATTERN)),
  name: z.string(),
  kind: z.enum(INTEGRATION_KINDS),
  mapping: IntegrationMappingBody,
  source: z.string().check(said('The `source` its alerts carry')),
  createdAt: timestamp,
  createdBy: z.string(),
});
export const Integration = /* @__PURE__ */ z.lazy(() => z.object(integrationFields()));
export const IntegrationCreated = /* @__PURE__ */ z.lazy(() => z.object({
  ...integrationFields(),
  key: z.optional(
    z.string().check(
      said(
        'The key: shown this once, never again (only its hash is kept). 32 characters of [A-Za-z0-9]. Absent from the answer to a retry with the same `Idempotency-Key` (`Idempotent-Replay: key-not-kept`): revoke and create again if the first answer was lost',
      ),
    ),
  ),
}));
export const IngestSummary = /* @__PURE__ */ z.lazy(() => z.object({
  received: count.check(said('Alerts in the payload')),
  raised: count.check(said('New alerts')),
  repeated: count.check(said('New occurrences of known alerts')),
  cleared: count.check(said('Alerts the payload closed')),
  unchanged: count.check(said('Re-sent firings, resolutions of alerts already closed or unknown here: nothing written')),
}));

export const Ci = /* @__PURE__ */ z.lazy(() => z.object({
  ciId: z.string(),
  name: z.string(),
  class: CiClass,
  operationalStatus: z.enum(OPERATIONAL_STATUSES),
  parents: z.array(z.string()).check(said('CIs that depend on this one')),
  children: z.array(z.string()).check(said('CIs this one depends on')),
}));
export const ServiceMapImportResult = /* @__PURE__ */ z.lazy(() => z.object({ cis: count, relationships: count }));
export const InstallBaseImportResult = /* @__PURE__ */ z.lazy(() => z.object({ accounts: count, soldProducts: count, installBaseItems: count }));
export const AccountInstallBase = /* @__PURE__ */ z.lazy(() => z.object({
  account: AccountRow,
  soldProducts: z.array(SoldProductRow),
  installBaseItems: z.array(InstallBaseItemRow),
  nextCursor: z
    .nullable(z.string())
    .check(said('A page holds up to `limit` sold products and items, sold products first; pass as `cursor` for more, null on the last page')),
}));
export const HealthStatus = /* @__PURE__ */ z.lazy(() => z.object({ status: z.literal('ok'), service: z.literal('alert-to-case') }));

/** A page of a list: `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string().check(said('Pass as `cursor` for the next page; null on the last page'))) });
/** Lists that fit one page: `nextCursor` is always null. */
const wholeListOf = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), nextCursor: z.null() });
export const AlertPage = /* @__PURE__ */ z.lazy(() => pageOf(Alert));
/** A case as a list shows it: with its SLAs in brief. */
export const CaseListItem = /* @__PURE__ */ z.lazy(() => z.intersection(Case, z.object({ slas: z.array(SlaSummary) })));
export const CasePage = /* @__PURE__ */ z.lazy(() => pageOf(CaseListItem));
export const HistoryPage = /* @__PURE__ */ z.lazy(() => pageOf(HistoryEntry));
export const WorkNotePage = /* @__PURE__ */ z.lazy(() => pageOf(WorkNote));
export const PlaybookList = /* @__PURE__ */ z.lazy(() => wholeListOf(Playbook));
export const SlaDefinitionPage = /* @__PURE__ */ z.lazy(() => pageOf(SlaDefinition));
export const TaskSlaList = /* @__PURE__ */ z.lazy(() => z.object({ items: z.array(TaskSla) }));
export const QueueList = /* @__PURE__ */ z.lazy(() => wholeListOf(Queue));
export const WorkItemPage = /* @__PURE__ */ z.lazy(() => pageOf(WorkItem));
export const UserPage = /* @__PURE__ */ z.lazy(() => pageOf(User));
export const IntegrationPage = /* @__PURE__ */ z.lazy(() => pageOf(Integration));
export const AccountPage = /* @__PURE__ */ z.lazy(() => pageOf(AccountRow));

// problem+json (RFC 9457), as lib/http/problem.ts writes it.
const problemFields = () => ({
  type: z.string().check(said('`about:blank`')),
  title: z.string(),
  status: z.int().check(z.minimum(400), z.maximum(599)),
  detail: z.string(),
  errors: z.optional(
    z.array(z.object({ path: z.string().check(said('The offending field, such as `cis.12.class`, or `(body)`')), message: z.string() })).check(
      said('Validation errors, one per offending field'),
    ),
  ),
});
export const Problem = /* @__PURE__ */ z.lazy(() => z.looseObject(problemFields()));
export const AlreadyConverted = /* @__PURE__ */ z.lazy(() => z.looseObject({ ...problemFields(), caseId, caseNumber }));

const dayTotals = () => ({ casesCreated: count, casesResolved: count, casesClosed: count, alertsRaised: count, alertsConverted: count });
const durationFigures = () =>
  z.object({
    count,
    meanSeconds: z.nullable(z.number()).check(said('None when nothing was counted')),
    p50Seconds: z.nullable(z.number()).check(said('Read from fixed buckets (1, 5, 15, 30 min, 1, 2, 4, 8 h, 1, 3, 7 days), within the bucket')),
  });
const slaFigures = () => z.object({ achieved: count, breached: count, percent: z.nullable(z.number()).check(said('Achieved of those that ended, 0-100; none when none did')) });
/** Team metrics over inclusive UTC days (SPEC §4 `GET /metrics/summary`). */
export const MetricsSummary = /* @__PURE__ */ z.lazy(() =>
  z.object({
    from: z.string(),
    to: z.string(),
    totals: z.object(dayTotals()),
    byDay: z.array(
      z.object({
        date: z.string(),
        ...dayTotals(),
        mttaMeanSeconds: z.nullable(z.number()).check(said("MTTA of the day's first assignments; none when there were none")),
        mttrMeanSeconds: z.nullable(z.number()).check(said("MTTR of the cases resolved or closed that day; none when there were none")),
        slaAchieved: count,
        slaBreached: count,
        slaPercent: z.nullable(z.number()).check(said('Achieved of the SLAs (both kinds) that ended that day, 0-100; none when none did')),
      }),
    ),
    mtta: durationFigures().check(said('Creation to first assignee, counted on the day of the assignment')),
    mttr: durationFigures().check(said('Creation to first resolved or closed (once per case), counted on that day')),
    sla: z.object({ response: slaFigures(), resolution: slaFigures() }),
    backlog: z.array(z.object({ queue: z.string(), priority: z.string(), stage: Stage, count })).check(said('Open cases now (new, in progress, awaiting info); `queue` is empty for none')),
    conversion: z.array(
      z.object({ source: z.string(), raised: count, converted: count, rate: z.nullable(z.number()).check(said("Converted (made a case or attached to one) of the day's raised alerts, 0-1")) }),
    ),
  }),
);
