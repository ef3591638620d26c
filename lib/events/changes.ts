/**
 * The events this service publishes (SPEC §5), derived from record changes on
 * the table's stream (RecordChange). Pure: each change of an alert or case maps to its
 * events, each with a deterministic `eventId` (for consumers to de-duplicate
 * a redelivered batch) and the `changeId` of the record version behind it.
 */
import { slaHistoryWrites } from '../domain/history.js';
import type { AlertRecord, CaseRecord, RecordChange, WorkItemRecord } from '../domain/stream-image.js';

export const OUT_DETAIL_TYPES = [
  'Alert Raised',
  'Alert Converted',
  'Case Created',
  'Case Updated',
  'Impact Refreshed',
  'Major Case Proposed',
  'Major Case Accepted',
  'Alert Attached',
  'Alert Detached',
  'Case Offered',
  'Case Accepted',
  'Offer Rejected',
  'Offer Timed Out',
  'SLA Warning',
  'SLA Breached',
] as const;
export type OutDetailType = (typeof OUT_DETAIL_TYPES)[number];

export interface OutEvent {
  detailType: OutDetailType;
  detail: { eventId: string; changeId: string; at: string; actor: string } & Record<string, unknown>;
}

const slug = (type: string) => type.toLowerCase().replace(/\s+/g, '-');

export function eventsForChange(change: RecordChange): OutEvent[] {
  if (change.kind === 'workitem') return change.after ? workItemEvents(change.before, change.after) : [];
  if (change.kind === 'caseslas') return slaEvents(change);
  if ((change.kind !== 'alert' && change.kind !== 'case') || !change.after) return [];
  const { after } = change;
  const version = after.version;
  if (change.before && change.before.version === version) return [];
  const id = change.kind === 'alert' ? change.after.alertId : change.after.caseId;
  const changeId = `${id}:v${version}`;
  const action = after.lastAction ?? '';
  const event = (detailType: OutDetailType, body: Record<string, unknown>): OutEvent => ({
    detailType,
    detail: { eventId: `${changeId}:${slug(detailType)}`, changeId, at: after.updatedAt, actor: after.updatedBy, ...body },
  });
  return change.kind === 'alert' ? alertEvents(change.before, change.after, action, event) : caseEvents(change.before, change.after, action, event);
}

type EventOf = (detailType: OutDetailType, body: Record<string, unknown>) => OutEvent;

function alertEvents(before: AlertRecord | undefined, after: AlertRecord, action: string, event: EventOf): OutEvent[] {
  const id = after.alertId;
  const alert = { alertId: id, source: after.source, severity: after.severity, state: after.state, ciId: after.ciId ?? null };
  if (!before) return [event('Alert Raised', { ...alert, occurrences: after.occurrences })];
  const inCase = { alertId: id, caseId: after.caseId, caseNumber: after.caseNumber };
  const leftCase = { alertId: id, caseId: before.caseId, caseNumber: before.caseNumber };
  // Converting an alert attaches it too (SPEC §2 "Alerts and cases").
  if (action === 'converted_to_case') return [event('Alert Converted', { ...alert, caseId: after.caseId, caseNumber: after.caseNumber }), event('Alert Attached', inCase)];
  if (action === 'attached_to_case') return [event('Alert Attached', inCase)];
  if (action === 'moved_to_case') return [event('Alert Detached', leftCase), event('Alert Attached', { ...inCase, fromCaseId: before.caseId })];
  if (action === 'detached_from_case') return [event('Alert Detached', leftCase)];
  if (action === 'impact_refreshed') {
    const impact = after.impact ?? {};
    return [
      event('Impact Refreshed', {
        alertId: id,
        refreshedAt: impact.refreshedAt,
        truncated: impact.truncated,
        impactedCis: impact.impactedCis,
        affectedAccounts: impact.affectedAccounts,
        affectedItems: impact.affectedItems,
        changed: before.impact?.digest !== impact.digest,
      }),
    ];
  }
  return [];
}

function caseEvents(before: CaseRecord | undefined, after: CaseRecord, action: string, event: EventOf): OutEvent[] {
  const kase = {
    caseId: after.caseId,
    number: after.number,
    origin: after.origin,
    proactive: after.proactive,
    priority: after.priority,
    stage: after.stage,
    accountId: after.accountId ?? null,
    alertId: after.alertId ?? null,
    parentCaseId: after.parentCaseId ?? null,
  };
  if (!before) return [event('Case Created', kase)];
  const events = [event('Case Updated', { ...kase, action })];
  if (before.majorCase !== after.majorCase) {
    if (after.majorCase === 'proposed') events.push(event('Major Case Proposed', kase));
    if (after.majorCase === 'accepted') events.push(event('Major Case Accepted', kase));
  }
  return events;
}

/** The step a work item's new version took, as its event (SPEC §5): an offer, an acceptance, a rejection, a timeout. */
const WORK_ITEM_EVENTS: Partial<Record<WorkItemRecord['steps'][number]['step'], OutDetailType>> = {
  offered: 'Case Offered',
  accepted: 'Case Accepted',
  rejected: 'Offer Rejected',
  timed_out: 'Offer Timed Out',
};

function workItemEvents(before: WorkItemRecord | undefined, after: WorkItemRecord): OutEvent[] {
  if (before && before.version === after.version) return [];
  const step = after.steps.at(-1);
  const detailType = step && WORK_ITEM_EVENTS[step.step];
  if (!step || !detailType) return [];
  const changeId = `${after.workItemId}:v${after.version}`;
  const agent = step.step === 'offered' ? after.offeredTo : step.step === 'accepted' ? after.acceptedBy : before?.offeredTo;
  return [
    {
      detailType,
      detail: {
        eventId: `${changeId}:${slug(detailType)}`,
        changeId,
        at: step.at,
        actor: step.actor,
        workItemId: after.workItemId,
        caseId: after.caseId,
        queueId: after.queueId,
        agent: agent ?? null,
        offerCount: after.offerCount,
        ...(step.step === 'offered' ? { expiresAt: after.offerExpiresAt } : {}),
        ...(step.reason ? { reason: step.reason } : {}),
      },
    },
  ];
}

/** The warnings and breaches a change of a case's SLAs fired (SPEC §5), one event each, named as their history entries are. */
function slaEvents(change: RecordChange): OutEvent[] {
  return slaHistoryWrites(change).map((entry) => {
    const detailType: OutDetailType = entry.action === 'sla_breached' ? 'SLA Breached' : 'SLA Warning';
    const sla = entry.changes[0].to as { slaId: string; name: string; kind: string; percent: number; breachAt: string };
    return {
      detailType,
      detail: { eventId: `${entry.owner.id}:${entry.changeId}`, changeId: entry.changeId, at: entry.at, actor: entry.actor, caseId: entry.owner.id, ...sla },
    };
  });
}
