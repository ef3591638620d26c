/**
 * AWS alert services on EventBridge (SPEC §2 "Alert sources"): the whole
 * event is the input, its `source` the alerts' source.
 * - CloudWatch Alarm State Change: keyed by the alarm ARN (`resources[0]`);
 *   ALARM raises, OK clears, INSUFFICIENT_DATA says nothing.
 * - GuardDuty Finding: keyed by finding id; every event raises (an update of a
 *   finding is a repeat of its alert).
 * - Security Hub Findings - Imported: one signal per finding, keyed by `Id`;
 *   RESOLVED/SUPPRESSED workflow or ARCHIVED record clears.
 */
import * as z from 'zod/mini';
import { ALERT_LIMITS, type Detection } from '../domain/alert.js';
import type { Severity } from '../domain/priority.js';
import { fieldErrors } from '../contract/validation.js';
import {
  attributeKeyFrom,
  Attributes,
  checkSignals,
  ciIdFrom,
  cut,
  firstText,
  identifierFrom,
  invalidPayload,
  isIdentifier,
  sourceAlertIdFrom,
} from './mapping.js';
import { AWS_ALERT_EVENTS } from './aws-events.js';
import type { Signal } from './signal.js';

/**
 * The EventBridge detail-types that are alerts, each with the only source that
 * sends it: lib/sources/aws-events.ts's list (the one the rule's pattern is
 * made from, without zod), as a map.
 */
export const AWS_ALERT_DETAIL_TYPES = Object.fromEntries(AWS_ALERT_EVENTS.map((e) => [e.detailType, e.source])) as {
  readonly [E in (typeof AWS_ALERT_EVENTS)[number] as E['detailType']]: E['source'];
};
export type AwsAlertDetailType = keyof typeof AWS_ALERT_DETAIL_TYPES;

export const MAX_FINDINGS_PER_EVENT = 1000;
const WHAT = 'EventBridge event';
const SECURITY_HUB_LABELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;

const nonEmpty = () => z.string().check(z.minLength(1));
const envelope = { source: z.string(), account: z.optional(z.string()), region: z.optional(z.string()) };

export const AwsEventEnvelope = /* @__PURE__ */ z.lazy(() => z.looseObject({ 'detail-type': z.string(), source: z.string(), detail: z.looseObject({}) }));

export const CloudWatchAlarmEvent = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    ...envelope,
    resources: z.array(nonEmpty()).check(z.minLength(1)),
    detail: z.looseObject({
      alarmName: nonEmpty(),
      state: z.looseObject({
        value: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
        reason: z.optional(z.string()),
        timestamp: z.optional(z.string()),
      }),
      // Composite alarms have no metrics; a metric math alarm lists expressions too.
      configuration: z.optional(
        z.looseObject({
          metrics: z.optional(
            z.array(
              z.looseObject({
                metricStat: z.optional(
                  z.looseObject({
                    metric: z.optional(
                      z.looseObject({
                        namespace: z.optional(z.string()),
                        name: z.optional(z.string()),
                        dimensions: z.optional(z.record(z.string(), z.string())),
                      }),
                    ),
                  }),
                ),
              }),
            ),
          ),
        }),
      ),
    }),
  }),
);

export const GuardDutyFindingEvent = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    ...envelope,
    detail: z.looseObject({
      id: nonEmpty(),
      type: nonEmpty(),
      severity: z.number(),
      title: z.optional(z.string()),
      description: z.optional(z.string()),
      accountId: z.optional(z.string()),
      region: z.optional(z.string()),
      updatedAt: z.optional(z.string()),
      resource: z.optional(z.looseObject({ resourceType: z.optional(z.string()) })),
      service: z.optional(z.looseObject({ count: z.optional(z.union([z.number(), z.string()])) })),
    }),
  }),
);

const securityHubFinding = () =>
  z.looseObject({
    Id: nonEmpty(),
    Title: z.optional(z.string()),
    Description: z.optional(z.string()),
    ProductArn: z.optional(z.string()),
    ProductName: z.optional(z.string()),
    GeneratorId: z.optional(z.string()),
    AwsAccountId: z.optional(z.string()),
    Region: z.optional(z.string()),
    Types: z.optional(z.array(z.string())),
    UpdatedAt: z.optional(z.string()),
    // Label is what Security Hub sets now; findings of old integrations may carry only Normalized (0-100).
    Severity: z
      .looseObject({ Label: z.optional(z.enum(SECURITY_HUB_LABELS)), Normalized: z.optional(z.number().check(z.gte(0), z.lte(100))) })
      .check(z.refine((s) => s.Label !== undefined || s.Normalized !== undefined, `needs a Label (${SECURITY_HUB_LABELS.join(', ')})`)),
    Workflow: z.optional(z.looseObject({ Status: z.optional(z.string()) })),
    RecordState: z.optional(z.string()),
    Compliance: z.optional(z.looseObject({ Status: z.optional(z.string()), SecurityControlId: z.optional(z.string()) })),
    Resources: z.optional(z.array(z.looseObject({ Type: z.optional(z.string()), Id: z.optional(z.string()) }))),
  });

export const SecurityHubFindingsEvent = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    ...envelope,
    detail: z.looseObject({ findings: z.array(securityHubFinding()).check(z.maxLength(MAX_FINDINGS_PER_EVENT)) }),
  }),
);

function parse<S extends z.ZodMiniType>(schema: S, event: unknown): z.infer<S> {
  const result = schema.safeParse(event, { reportInput: true });
  if (!result.success) throw invalidPayload(WHAT, fieldErrors(result.error.issues));
  return result.data;
}

/** The signals of one EventBridge event; a bad one (or one of another detail-type) throws `Invalid` naming the field. */
export function awsSignals(event: unknown): Signal[] {
  const { 'detail-type': detailType, source } = parse(AwsEventEnvelope, event);
  if (!Object.hasOwn(AWS_ALERT_DETAIL_TYPES, detailType)) {
    throw invalidPayload(WHAT, [{ path: 'detail-type', message: `not an alert event (one of: ${Object.keys(AWS_ALERT_DETAIL_TYPES).join(', ')})` }]);
  }
  const expected = AWS_ALERT_DETAIL_TYPES[detailType as AwsAlertDetailType];
  if (source !== expected) throw invalidPayload(WHAT, [{ path: 'source', message: `a ${detailType} event comes from ${expected}` }]);
  const signals =
    detailType === 'CloudWatch Alarm State Change'
      ? cloudWatchSignals(parse(CloudWatchAlarmEvent, event))
      : detailType === 'GuardDuty Finding'
        ? [guardDutySignal(parse(GuardDutyFindingEvent, event))]
        : securityHubSignals(parse(SecurityHubFindingsEvent, event));
  return checkSignals(signals, WHAT);
}

// ---- CloudWatch ----

function cloudWatchSignals(event: z.infer<typeof CloudWatchAlarmEvent>): Signal[] {
  const { alarmName, state } = event.detail;
  if (state.value === 'INSUFFICIENT_DATA') return [];
  // The metric a math alarm's expression reads is the first entry that names one.
  const metric = event.detail.configuration?.metrics?.find((m) => m.metricStat?.metric)?.metricStat?.metric;
  const dimensions = Object.entries(metric?.dimensions ?? {});

  const attributes = new Attributes();
  attributes.set('alarmName', alarmName);
  attributes.set('region', event.region);
  attributes.set('account', event.account);
  attributes.set('namespace', metric?.namespace);
  attributes.set('metricName', metric?.name);
  for (const [name, value] of dimensions) attributes.set(attributeKeyFrom('dimensions.', name), value);
  attributes.set('state.reason', state.reason);

  const ciId = ciIdFrom(dimensions[0]?.[1]);
  const raise = state.value === 'ALARM';
  return [
    {
      action: raise ? 'raise' : 'clear',
      at: '',
      alert: {
        source: event.source,
        sourceAlertId: sourceAlertIdFrom(event.resources[0]),
        // An alarm event carries no severity; an alarm someone set up is worth a look.
        severity: 'major',
        description: cut(state.reason ? `${alarmName}: ${state.reason}` : alarmName),
        ...(ciId ? { ciId } : {}),
        attributes: attributes.values,
      },
      // The same state change delivered twice (EventBridge delivers at least once) is one occurrence.
      // A clear names none: its timestamp is its own, not the ALARM's it ends.
      ...(raise && state.timestamp ? { occurrence: state.timestamp } : {}),
    },
  ];
}

// ---- GuardDuty ----

/** GuardDuty's severity bands, 9.0+ being its critical band. */
export function guardDutySeverity(severity: number): Severity {
  if (severity >= 9) return 'critical';
  if (severity >= 7) return 'major';
  if (severity >= 4) return 'minor';
  return 'warning';
}

/** The MITRE ATT&CK tactic of a GuardDuty threat purpose (the finding type's prefix), where one fits. */
const TACTIC_OF_PURPOSE: Readonly<Record<string, string>> = {
  Backdoor: 'Command and Control',
  CredentialAccess: 'Credential Access',
  CryptoCurrency: 'Impact',
  DefenseEvasion: 'Defense Evasion',
  Discovery: 'Discovery',
  Execution: 'Execution',
  Exfiltration: 'Exfiltration',
  Impact: 'Impact',
  InitialAccess: 'Initial Access',
  Persistence: 'Persistence',
  PrivilegeEscalation: 'Privilege Escalation',
  Recon: 'Reconnaissance',
  Stealth: 'Defense Evasion',
  Trojan: 'Command and Control',
  UnauthorizedAccess: 'Initial Access',
};

/** Where a finding names its resource, most specific first; the access key (often the actor) last. */
const GUARDDUTY_RESOURCE_IDS = [
  ['instanceDetails', 'instanceId'],
  ['s3BucketDetails', 0, 'name'],
  ['eksClusterDetails', 'name'],
  ['ecsClusterDetails', 'name'],
  ['lambdaDetails', 'functionName'],
  ['rdsDbInstanceDetails', 'dbInstanceIdentifier'],
  ['accessKeyDetails', 'accessKeyId'],
] as const;

function guardDutySignal(event: z.infer<typeof GuardDutyFindingEvent>): Signal {
  const { detail } = event;
  const purpose = detail.type.split(':')[0];
  const tactic = Object.hasOwn(TACTIC_OF_PURPOSE, purpose) ? TACTIC_OF_PURPOSE[purpose] : undefined;
  const detectionId = identifierFrom(detail.type);
  const description = firstText(detail.description);
  const detections: Detection[] = detectionId
    ? [
        {
          id: detectionId,
          name: cut(detail.type, ALERT_LIMITS.detectionName),
          ...(tactic ? { tactic } : {}),
          ...(description ? { description: cut(description, ALERT_LIMITS.detectionDescription) } : {}),
        },
      ]
    : [];

  const count = detail.service?.count;
  const attributes = new Attributes();
  attributes.set('accountId', detail.accountId ?? event.account);
  attributes.set('region', detail.region ?? event.region);
  attributes.set('resourceType', detail.resource?.resourceType);
  attributes.set('severity', detail.severity);
  attributes.set('count', typeof count === 'string' && /^\d{1,15}$/.test(count) ? Number(count) : count);
  attributes.set('type', detail.type);

  const ciId = GUARDDUTY_RESOURCE_IDS.map((path) => ciIdFrom(at(detail.resource, path))).find(Boolean);
  return {
    action: 'raise',
    at: '',
    alert: {
      source: event.source,
      sourceAlertId: sourceAlertIdFrom(detail.id),
      severity: guardDutySeverity(detail.severity),
      description: cut(firstText(detail.title, detail.description) ?? detail.type),
      ...(ciId ? { ciId } : {}),
      type: cut(detail.type, ALERT_LIMITS.type),
      attributes: attributes.values,
      ...(detections.length > 0 ? { detections } : {}),
    },
    // An update of the finding (new updatedAt) repeats the alert; the same event delivered twice does not.
    ...(detail.updatedAt ? { occurrence: detail.updatedAt } : {}),
  };
}

/** The value at `path` in a parsed JSON value, own properties only. */
function at(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

// ---- Security Hub ----

const SECURITY_HUB_SEVERITIES: Record<(typeof SECURITY_HUB_LABELS)[number], Severity> = {
  CRITICAL: 'critical',
  HIGH: 'major',
  MEDIUM: 'minor',
  LOW: 'warning',
  INFORMATIONAL: 'info',
};

type Finding = z.infer<ReturnType<typeof securityHubFinding>>;

/** ASFF's own mapping of Normalized to Label. */
function labelOf(severity: Finding['Severity']): (typeof SECURITY_HUB_LABELS)[number] {
  if (severity.Label) return severity.Label;
  const n = severity.Normalized ?? 0;
  return n >= 90 ? 'CRITICAL' : n >= 70 ? 'HIGH' : n >= 40 ? 'MEDIUM' : n >= 1 ? 'LOW' : 'INFORMATIONAL';
}

function securityHubSignals(event: z.infer<typeof SecurityHubFindingsEvent>): Signal[] {
  // One alert per finding Id; should an event list one twice, its last entry is kept.
  const byId = new Map<string, Signal>();
  event.detail.findings.forEach((finding, index) => {
    byId.delete(finding.Id);
    byId.set(finding.Id, findingSignal(finding, `detail.findings.${index}`, event));
  });
  return [...byId.values()];
}

function findingSignal(finding: Finding, where: string, event: z.infer<typeof SecurityHubFindingsEvent>): Signal {
  const workflow = finding.Workflow?.Status;
  const clears = workflow === 'RESOLVED' || workflow === 'SUPPRESSED' || finding.RecordState === 'ARCHIVED';
  const resource = finding.Resources?.[0];
  const type = firstText(...(finding.Types ?? []).slice(0, 1));

  const attributes = new Attributes();
  attributes.set('ProductName', finding.ProductName);
  attributes.set('ProductArn', finding.ProductArn);
  attributes.set('AwsAccountId', finding.AwsAccountId ?? event.account);
  attributes.set('Region', finding.Region ?? event.region);
  attributes.set('ResourceType', resource?.Type);
  attributes.set('ResourceId', resource?.Id);
  attributes.set('Compliance.Status', finding.Compliance?.Status);
  attributes.set('Workflow.Status', workflow);
  attributes.set('RecordState', finding.RecordState);

  const ciId = resource?.Id ? ciIdFrom(resource.Id) ?? ciIdFrom(resource.Id.slice(resource.Id.lastIndexOf('/') + 1)) : undefined;
  const detection = findingDetection(finding);
  return {
    action: clears ? 'clear' : 'raise',
    at: where,
    alert: {
      source: event.source,
      sourceAlertId: sourceAlertIdFrom(finding.Id),
      severity: SECURITY_HUB_SEVERITIES[labelOf(finding.Severity)],
      description: cut(firstText(finding.Title, finding.Description) ?? finding.Id),
      ...(ciId ? { ciId } : {}),
      ...(type ? { type: cut(type, ALERT_LIMITS.type) } : {}),
      attributes: attributes.values,
      ...(detection ? { detections: [detection] } : {}),
    },
    ...(!clears && finding.UpdatedAt ? { occurrence: finding.UpdatedAt } : {}),
  };
}

/**
 * The one detection a finding names, when it names one usefully: its security
 * control (`EC2.19`), else its generator when that is a rule rather than an
 * ARN of a detector, else the technique of a `TTPs/<tactic>/<technique>` type
 * (GuardDuty's findings in Security Hub). The tactic comes from that type.
 */
function findingDetection(finding: Finding): Detection | undefined {
  const ttp = (finding.Types ?? []).find((t) => t.startsWith('TTPs/'))?.split('/');
  const tactic = firstText(ttp?.[1]);
  const control = finding.Compliance?.SecurityControlId;
  const generator = finding.GeneratorId && !finding.GeneratorId.startsWith('arn:') ? finding.GeneratorId : undefined;
  const technique = firstText(ttp?.[2]);

  let id: string | undefined;
  let name: string | undefined;
  if (control && isIdentifier(control)) [id, name] = [control, firstText(finding.Title) ?? control];
  else if (generator && identifierFrom(generator)) [id, name] = [identifierFrom(generator), firstText(finding.Title) ?? generator];
  else if (technique && identifierFrom(technique)) [id, name] = [identifierFrom(technique), technique];
  if (!id || !name) return undefined;

  const description = firstText(finding.Description);
  return {
    id,
    name: cut(name, ALERT_LIMITS.detectionName),
    ...(tactic ? { tactic: cut(tactic, ALERT_LIMITS.detectionName) } : {}),
    ...(description ? { description: cut(description, ALERT_LIMITS.detectionDescription) } : {}),
  };
}
