/**
 * Request shapes, one zod schema each: validation, the TypeScript types and
 * the OpenAPI document all come from here. `zod/mini` keeps bundles small.
 *
 * Every exported schema is `z.lazy`, and the shared pieces are functions:
 * building zod schemas costs time, and built at module init they cost every
 * cold start ~10 ms (SPEC §7, docs/performance.md). Lazily, a function builds
 * only the schemas of the requests it actually serves, on first use.
 */
import * as z from 'zod/mini';
import { ALERT_LIMITS, ALERT_STATES, ATTRIBUTE_KEY_PATTERN, IDENTIFIER_PATTERN, isStorableNumber, RESERVED_KEYS } from '../domain/alert.js';
import { CASE_INPUT_FIELDS, CASE_NUMBER_PATTERN, SHORT_DESCRIPTION_MAX } from '../domain/case.js';
import { isGroupField, MAX_ALERTS_PER_ATTACH } from '../domain/case-alerts.js';
import { CLOSED_REASONS, CLOSED_REASON_TEXT_MAX } from '../domain/closed-reason.js';
import { ACCOUNT_TYPES } from '../domain/install-base.js';
import { HISTORY_ORDERS } from '../domain/history.js';
import { ASSIGNMENT_MODES, MAX_CAPACITY, OFFER_TIMEOUT_SECONDS, PRESENCES, STRATEGIES } from '../domain/assignment.js';
import { INTEGRATION_KINDS } from '../domain/integration.js';
import { ALERT_ID_PATTERN, CASE_ID_PATTERN, INTEGRATION_ID_PATTERN, PLAYBOOK_ID_PATTERN, SLA_ID_PATTERN } from '../domain/ids.js';
import { PRIORITIES, PRIORITY_INPUTS, SEVERITIES } from '../domain/priority.js';
import { CI_CLASSES, OPERATIONAL_STATUSES } from '../domain/service-map.js';
import { STAGES, WORKING_STAGES, type Stage as CaseStage } from '../domain/stage-transitions.js';
import { fitsSchedule, isPlainDate, isTimeZone } from '../domain/business-time.js';
import { MAX_TARGET_MINUTES, SLA_KINDS } from '../domain/sla.js';

const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
/** Identifiers (IDENTIFIER_PATTERN). */
export const identifier = (max = 128) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(IDENTIFIER_PATTERN));
/** Keys of attribute maps (ATTRIBUTE_KEY_PATTERN): no `__proto__`, `constructor` or other tricks, just names. */
const attributeKey = () =>
  z.string().check(
    z.minLength(1),
    z.maxLength(ALERT_LIMITS.attributeKey),
    z.regex(ATTRIBUTE_KEY_PATTERN),
    z.refine((k) => !RESERVED_KEYS.includes(k), 'reserved name'),
  );

export const Severity = /* @__PURE__ */ z.lazy(() => z.enum(SEVERITIES));
export const Priority = /* @__PURE__ */ z.lazy(() => z.enum(PRIORITY_INPUTS));
export const Stage = /* @__PURE__ */ z.lazy(() => z.enum(STAGES));
export const ClosedReason = /* @__PURE__ */ z.lazy(() => z.enum(CLOSED_REASONS));

export const Detection = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    id: identifier(),
    name: text(1, ALERT_LIMITS.detectionName),
    tactic: z.optional(text(1, 200)),
    technique: z.optional(text(1, 200)),
    description: z.optional(text(1, ALERT_LIMITS.detectionDescription)),
  }),
);

const storableNumber = () => z.number().check(z.refine(isStorableNumber, 'a number between ±9007199254740991'));

export const MAX_ALERT_BYTES = ALERT_LIMITS.bytes;

export const RaiseAlertBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    source: identifier(),
    sourceAlertId: z.optional(text(1, ALERT_LIMITS.sourceAlertId)),
    severity: z.enum([...SEVERITIES, 'clear']),
    description: text(1, ALERT_LIMITS.text),
    ciId: z.optional(identifier(ALERT_LIMITS.ciId)),
    type: z.optional(text(1, ALERT_LIMITS.type)),
    attributes: z.optional(
      z.record(attributeKey(), z.union([z.string().check(z.maxLength(ALERT_LIMITS.text)), storableNumber(), z.boolean()])).check(
        z.refine((m) => Object.keys(m).length <= ALERT_LIMITS.attributes, `at most ${ALERT_LIMITS.attributes} attributes`),
      ),
    ),
    detections: z.optional(z.array(Detection).check(z.maxLength(ALERT_LIMITS.detections))),
  }).check(z.refine((alert) => Buffer.byteLength(JSON.stringify(alert)) <= MAX_ALERT_BYTES, `an alert is at most ${MAX_ALERT_BYTES} bytes of JSON`)),
);

export const UpdateAlertBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ state: z.enum(ALERT_STATES) }));

/** How each field a client sets on a case is validated: one entry per CASE_INPUT_FIELDS, the one list of them. */
const caseFieldSchemas = () =>
  ({
    shortDescription: text(1, SHORT_DESCRIPTION_MAX),
    description: text(0, 10_000),
    priority: Priority,
    stage: Stage,
    closedReason: ClosedReason,
    closedReasonText: text(1, CLOSED_REASON_TEXT_MAX),
    queue: identifier(64),
    assignee: identifier(128),
    accountId: identifier(),
  }) satisfies Record<(typeof CASE_INPUT_FIELDS)[number], z.ZodMiniType>;
type CaseFieldSchemas = ReturnType<typeof caseFieldSchemas>;

/** Fields every case has: a PATCH changes them but cannot remove them. */
const ALWAYS_SET = ['shortDescription', 'priority', 'stage'] as const;
type AlwaysSet = (typeof ALWAYS_SET)[number];

const caseFields = () => {
  const fields = caseFieldSchemas();
  return Object.fromEntries(
    Object.entries(fields).map(([name, schema]) => [name, name === 'shortDescription' ? schema : z.optional(schema)]),
  ) as { shortDescription: CaseFieldSchemas['shortDescription'] } & { [K in Exclude<keyof CaseFieldSchemas, 'shortDescription'>]: z.ZodMiniOptional<CaseFieldSchemas[K]> };
};

export const ConvertAlertBody = /* @__PURE__ */ z.lazy(() => z.strictObject(caseFields()));

// Alerts and cases, many to one (SPEC §2 "Alerts and cases").
const alertId = () => z.string().check(z.regex(ALERT_ID_PATTERN));
const caseId = () => z.string().check(z.regex(CASE_ID_PATTERN));
const alertIds = () =>
  z.array(alertId()).check(
    z.minLength(1),
    z.maxLength(MAX_ALERTS_PER_ATTACH),
    z.refine((ids) => new Set(ids).size === ids.length, 'each alert named once'),
  );
export const ConvertAlertsBody = /* @__PURE__ */ z.lazy(() =>
  // The short description may be left out: each case then takes its (first) alert's description.
  z.strictObject({ alertIds: alertIds(), mode: z.enum(['one_case', 'case_per_alert']), ...caseFields(), shortDescription: z.optional(caseFieldSchemas().shortDescription) }),
);
export const AttachAlertsBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ alertIds: alertIds(), move: z.optional(z.boolean()) }));
export const CaseSyncRuleBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ raisePriorityOnEscalation: z.boolean(), closeAlertsWithCase: z.boolean() }));
export const CreateCaseBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ ...caseFields(), priority: Priority }));
/** Any field of POST /cases; `null` removes an optional one. */
export const UpdateCaseBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject(
    Object.fromEntries(
      Object.entries(caseFieldSchemas()).map(([name, schema]) => [
        name,
        z.optional((ALWAYS_SET as readonly string[]).includes(name) ? schema : z.nullable(schema)),
      ]),
    ) as {
      [K in keyof CaseFieldSchemas]: z.ZodMiniOptional<K extends AlwaysSet ? CaseFieldSchemas[K] : z.ZodMiniNullable<CaseFieldSchemas[K]>>;
    },
  ),
);

export const WorkNoteBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ text: text(1, 10_000) }));

export const RejectReasonBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ code: identifier(64), label: text(1, 200), reassignable: z.boolean() }));

/** A queue's members and how it hands out its cases (SPEC §2 "Work assignment"): a PUT replaces them, what is left out takes its default. */
export const PutQueueBody = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({
      members: z.optional(
        z.array(identifier(128)).check(
          z.maxLength(500),
          z.refine((m) => new Set(m).size === m.length, 'members must be unique'),
        ),
      ),
      assignment: z.optional(z.enum(ASSIGNMENT_MODES)),
      strategy: z.optional(z.enum(STRATEGIES)),
      offerTimeoutSeconds: z.optional(z.int().check(z.minimum(OFFER_TIMEOUT_SECONDS.min), z.maximum(OFFER_TIMEOUT_SECONDS.max))),
      targetWaitSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(30 * 86_400))),
      rejectReasons: z.optional(
        z.array(RejectReasonBody).check(
          z.maxLength(20),
          z.refine((r) => new Set(r.map((x) => x.code)).size === r.length, 'reason codes must be unique'),
        ),
      ),
      onTimeout: z.optional(z.enum(PRESENCES)),
    }),
);

export const SubParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ sub: identifier(128) }));
/** Presence by the user or a manager; capacity by a manager. */
export const PutUserBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ presence: z.optional(z.enum(PRESENCES)), capacity: z.optional(z.int().check(z.minimum(0), z.maximum(MAX_CAPACITY))) }),
);
export const UserListQuery = /* @__PURE__ */ z.lazy(() => z.strictObject({ limit: limit(), cursor: cursor(), queue: z.optional(identifier(64)) }));
export const WorkItemIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ workItemId: z.string().check(z.regex(/^wi_[0-9a-f]{32}_\d{1,9}$/)) }));
export const WorkItemListQuery = /* @__PURE__ */ z.lazy(() => z.strictObject({ limit: limit(), cursor: cursor(), state: z.optional(z.enum(['queued', 'offered'])) }));
export const RejectBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ reason: identifier(64) }));

// Imports (SPEC §4): rows are validated one by one; an error's path names its row, such as `cis.12.class`.
export const MAX_IMPORT_ROWS = 10_000;
const rowCount = (body: Record<string, unknown[] | undefined>) => Object.values(body).reduce((n, rows) => n + (rows?.length ?? 0), 0);
const atMostRows = () => z.refine((body: unknown) => rowCount(body as Record<string, unknown[] | undefined>) <= MAX_IMPORT_ROWS, `at most ${MAX_IMPORT_ROWS} rows in one import`);

export const CiRow = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    ciId: identifier(256),
    name: text(1, 256),
    class: z.enum(CI_CLASSES),
    operationalStatus: z.optional(z.enum(OPERATIONAL_STATUSES)),
  }),
);
export const RelationshipRow = /* @__PURE__ */ z.lazy(() => z.strictObject({ parentId: identifier(256), childId: identifier(256) }));
export const ServiceMapImportBody = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({ cis: z.optional(z.array(CiRow)), relationships: z.optional(z.array(RelationshipRow)) })
    .check(atMostRows()),
);

export const AccountRow = /* @__PURE__ */ z.lazy(() => z.strictObject({ accountId: identifier(), name: text(1, 256), type: z.enum(ACCOUNT_TYPES) }));
export const SoldProductRow = /* @__PURE__ */ z.lazy(() => z.strictObject({ soldProductId: identifier(), accountId: identifier(), name: text(1, 256) }));
export const InstallBaseItemRow = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    installBaseItemId: identifier(),
    accountId: identifier(),
    soldProductId: identifier(),
    ciId: identifier(256),
    name: text(1, 256),
  }),
);
export const InstallBaseImportBody = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({
      accounts: z.optional(z.array(AccountRow)),
      soldProducts: z.optional(z.array(SoldProductRow)),
      installBaseItems: z.optional(z.array(InstallBaseItemRow)),
    })
    .check(atMostRows()),
);

// Automation (SPEC §2, §4).
export const ProactiveRuleBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ enabled: z.boolean() }));
export const PlaybookConditions = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    severityAtLeast: z.optional(Severity),
    sources: z.optional(z.array(identifier()).check(z.minLength(1), z.maxLength(50))),
    ciClasses: z.optional(z.array(z.enum(CI_CLASSES)).check(z.minLength(1))),
    attributeEquals: z.optional(
      z.record(attributeKey(), z.union([z.string().check(z.maxLength(4000)), storableNumber(), z.boolean()])).check(
        z.refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 20, 'from 1 to 20 attributes'),
      ),
    ),
  }),
);
export const PlaybookAction = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    queue: z.optional(identifier(64)),
    assignee: z.optional(identifier(128)),
    priority: z.optional(Priority),
    stage: z.optional(Stage),
    closedReason: z.optional(ClosedReason),
    closedReasonText: z.optional(text(1, CLOSED_REASON_TEXT_MAX)),
    group: z.optional(
      z.strictObject({
        by: z.array(z.string().check(z.refine(isGroupField, 'ciId, source, type or attributes.<name>'))).check(
          z.minLength(1),
          z.maxLength(5),
          z.refine((by) => new Set(by).size === by.length, 'each field named once'),
        ),
        windowMinutes: z.number().check(z.refine((n) => Number.isInteger(n) && n >= 1 && n <= 10_080, 'a whole number of minutes from 1 to 10080 (a week)')),
      }),
    ),
  }),
);
export const PlaybookBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    name: text(1, 120),
    enabled: z.optional(z.boolean()),
    order: z.optional(z.number().check(z.refine((n) => Number.isInteger(n) && n >= 0 && n <= 1_000_000, 'a whole number from 0 to 1000000'))),
    conditions: PlaybookConditions,
    action: PlaybookAction,
  }),
);
// Integrations (SPEC §2 "Alert sources").
export const IntegrationMappingBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    ciField: z.optional(z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/))),
    severityMap: z.optional(
      z.record(z.string().check(z.minLength(1), z.maxLength(64)), Severity).check(
        z.refine((m) => Object.keys(m).length <= 50, 'at most 50 entries'),
        z.refine((m) => Object.keys(m).every((k) => !RESERVED_KEYS.includes(k)), 'reserved name'),
      ),
    ),
    source: z.optional(identifier(100)),
  }),
);
export const IntegrationBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ name: identifier(100), kind: z.enum(INTEGRATION_KINDS), mapping: z.optional(IntegrationMappingBody) }),
);
export const IntegrationIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ integrationId: z.string().check(z.regex(INTEGRATION_ID_PATTERN)) }));
/** An ingest route takes its sender's payload as it comes: the key is checked first, then the payload by its format's module (lib/sources). */
export const SenderPayload = /* @__PURE__ */ z.lazy(() => z.unknown());

export const ProposeMajorCaseBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ reason: z.optional(text(1, 2000)) }));
export const RejectMajorCaseBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ reason: text(1, 2000) }));

export const AddInstallBaseItemBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ installBaseItemId: identifier() }));

// Path parameters and query strings.
export const AlertIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ alertId: alertId() }));
export const CaseIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ caseId: caseId() }));
/** GET /cases/{caseId} also takes a case number (API Gateway allows one variable name per path level). */
export const CaseIdOrNumberParams = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    caseId: z
      .string()
      .check(z.refine((v) => CASE_ID_PATTERN.test(v) || CASE_NUMBER_PATTERN.test(v), 'a case id or a CS number'), z.describe('A case id (`case_…`) or a case number (`CS0001001`)')),
  }),
);
export const CiIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ ciId: identifier(256) }));
/** Accounts by name: `q` is the beginning of the name, in any case (none: every account, A to Z). */
export const AccountListQuery = /* @__PURE__ */ z.lazy(() => z.strictObject({ limit: limit(), cursor: cursor(), q: z.optional(z.string().check(z.minLength(1), z.maxLength(100))) }));
export const AccountIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ accountId: identifier() }));
export const CaseAlertParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ caseId: caseId(), alertId: alertId() }));
export const CaseItemParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ caseId: caseId(), installBaseItemId: identifier() }));
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Working hours of an SLA's schedule: the zone and dates are checked against the runtime's calendar; the day must end after it starts. */
const BusinessHoursBody = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({
      weekdays: z.array(z.int().check(z.minimum(1), z.maximum(7))).check(
        z.minLength(1, 'a working week has at least one day'),
        z.maxLength(7),
        z.refine((days) => new Set(days).size === days.length, 'weekdays must be unique'),
      ),
      start: z.string().check(z.regex(CLOCK_TIME, 'a time of day, HH:MM')),
      end: z.string().check(z.regex(CLOCK_TIME, 'a time of day, HH:MM')),
      timeZone: z.string().check(z.maxLength(64), z.refine(isTimeZone, 'an IANA time zone such as Europe/Berlin')),
      holidays: z.optional(z.array(z.string().check(z.refine(isPlainDate, 'a date, YYYY-MM-DD'))).check(z.maxLength(366))),
    })
    // HH:MM strings order as the times do.
    .check(z.refine((h) => h.end > h.start, { message: 'end must be after start', path: ['end'] })),
);

/** An SLA definition (SPEC §2 "Service levels"); a POST or PUT leaves out what takes its default. */
export const SlaBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    name: text(1, 120),
    kind: z.enum(SLA_KINDS),
    priorities: z.array(z.enum(PRIORITIES)).check(z.minLength(1), z.refine((p) => new Set(p).size === p.length, 'priorities must be unique')),
    queues: z.optional(z.array(identifier(64)).check(z.minLength(1), z.maxLength(100))),
    proactive: z.optional(z.boolean()),
    targetMinutes: z.int().check(z.minimum(1), z.maximum(MAX_TARGET_MINUTES)),
    schedule: z.union([z.literal('24x7'), BusinessHoursBody]),
    pauseStages: z.optional(z.array(z.enum(WORKING_STAGES as [CaseStage, ...CaseStage[]])).check(z.maxLength(WORKING_STAGES.length))),
    warnAtPercent: z.optional(z.array(z.int().check(z.minimum(1), z.maximum(99))).check(z.maxLength(5))),
    retroactive: z.optional(z.boolean()),
  }).check(
    // A target longer than a year of the schedule's working time would run out years ahead, past where a clock is kept.
    z.refine((d) => fitsSchedule(d.targetMinutes, d.schedule), {
      message: "at most a year (52 weeks) of the schedule's working time",
      path: ['targetMinutes'],
      // Only of a definition otherwise valid: a schedule with a problem of its own is not read.
      when: (payload) => payload.issues.length === 0,
    }),
  ),
);
export const SlaIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ slaId: z.string().check(z.regex(SLA_ID_PATTERN)) }));

export const PlaybookIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ playbookId: z.string().check(z.regex(PLAYBOOK_ID_PATTERN)) }));
export const QueueIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ queueId: z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)) }));

const limit = () =>
  z.optional(z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number)).check(z.refine((n: number) => n >= 1 && n <= 100, 'between 1 and 100')));
const cursor = () => z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));
export const PageQuery = /* @__PURE__ */ z.lazy(() => z.strictObject({ limit: limit(), cursor: cursor() }));
/** A history page: oldest first unless `order=newest` (the console reads it newest first). */
export const HistoryQuery = /* @__PURE__ */ z.lazy(() => z.strictObject({ limit: limit(), cursor: cursor(), order: z.optional(z.enum(HISTORY_ORDERS)) }));
export const AlertListQuery = /* @__PURE__ */ z.lazy(() => z.strictObject({ limit: limit(), cursor: cursor(), state: z.optional(z.enum(ALERT_STATES)), severity: z.optional(Severity), source: z.optional(identifier()) }));
export const CaseListQuery = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    limit: limit(),
    cursor: cursor(),
    stage: z.optional(Stage),
    queue: z.optional(identifier(64)),
    assignee: z.optional(identifier(128)),
    accountId: z.optional(identifier()),
    proactive: z.optional(z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true'))),
    alertId: z.optional(alertId()),
    parentCaseId: z.optional(caseId()),
    slaBreached: z.optional(z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true'))),
    slaDueBefore: z.optional(
      z.pipe(
        z.iso.datetime({ offset: true, error: 'a date and time (ISO 8601), such as 2026-12-03T17:00:00Z' }),
        z.pipe(z.transform((v: string) => new Date(v).toISOString()), z.string().check(z.regex(/^\d{4}-/, 'a time within the years 0000 to 9999 (UTC)'))),
      ),
    ),
  }).check(
    z.refine((q) => q.alertId === undefined || (q.slaBreached === undefined && q.slaDueBefore === undefined), {
      message: "alertId lists the one case of an alert: it takes no SLA filter",
      path: ['alertId'],
    }),
  ),
);

/** At most this many days in one summary (from and to included). */
export const MAX_SUMMARY_DAYS = 366;
const summaryDay = () => z.string().check(z.refine(isPlainDate, 'a date, YYYY-MM-DD'));
const daysSpanned = (q: { from: string; to: string }) => (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 + 1;
/** `GET /metrics/summary`: inclusive UTC days, and the optional filters. */
export const MetricsSummaryQuery = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({ from: summaryDay(), to: summaryDay(), queue: z.optional(identifier(64)), priority: z.optional(z.enum(PRIORITIES)), source: z.optional(identifier()) })
    .check(
      z.refine((q) => daysSpanned(q) >= 1, { message: 'to must not be before from', path: ['to'], when: (payload) => payload.issues.length === 0 }),
      z.refine((q) => daysSpanned(q) <= MAX_SUMMARY_DAYS, { message: `at most ${MAX_SUMMARY_DAYS} days from from`, path: ['to'], when: (payload) => payload.issues.length === 0 }),
    ),
);

export const DEFAULT_PAGE_SIZE = 25;
