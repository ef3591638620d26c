/**
 * The events this service publishes (SPEC §5), derived from record changes on
 * the table's stream. Pure: each change of an alert or case maps to its
 * events, each with a deterministic `eventId` (for consumers to de-duplicate
 * a redelivered batch) and the `changeId` of the record version behind it.
 */
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
] as const;
export type OutDetailType = (typeof OUT_DETAIL_TYPES)[number];

export interface OutEvent {
  detailType: OutDetailType;
  detail: { eventId: string; changeId: string; at: string; actor: string } & Record<string, unknown>;
}

type Image = Record<string, unknown>;

const slug = (type: string) => type.toLowerCase().replace(/\s+/g, '-');

export function eventsForChange(oldImage: Image | undefined, newImage: Image | undefined): OutEvent[] {
  if (!newImage) return [];
  const entity = newImage.entity;
  if (entity !== 'alert' && entity !== 'case') return [];
  const version = Number(newImage.version);
  if (oldImage && Number(oldImage.version) === version) return [];
  const id = String(entity === 'alert' ? newImage.alertId : newImage.caseId);
  const changeId = `${id}:v${version}`;
  const action = String(newImage.lastAction ?? '');
  const event = (detailType: OutDetailType, body: Record<string, unknown>): OutEvent => ({
    detailType,
    detail: { eventId: `${changeId}:${slug(detailType)}`, changeId, at: String(newImage.updatedAt), actor: String(newImage.updatedBy), ...body },
  });

  if (entity === 'alert') {
    const alert = { alertId: id, source: newImage.source, severity: newImage.severity, state: newImage.state, ciId: newImage.ciId ?? null };
    if (!oldImage) return [event('Alert Raised', { ...alert, occurrences: newImage.occurrences })];
    const inCase = { alertId: id, caseId: newImage.caseId, caseNumber: newImage.caseNumber };
    const leftCase = { alertId: id, caseId: oldImage.caseId, caseNumber: oldImage.caseNumber };
    // Converting an alert attaches it too (SPEC §2 "Alerts and cases").
    if (action === 'converted_to_case') return [event('Alert Converted', { ...alert, caseId: newImage.caseId, caseNumber: newImage.caseNumber }), event('Alert Attached', inCase)];
    if (action === 'attached_to_case') return [event('Alert Attached', inCase)];
    if (action === 'moved_to_case') return [event('Alert Detached', leftCase), event('Alert Attached', { ...inCase, fromCaseId: oldImage.caseId })];
    if (action === 'detached_from_case') return [event('Alert Detached', leftCase)];
    if (action === 'impact_refreshed') {
      const impact = (newImage.impact ?? {}) as Record<string, unknown>;
      return [
        event('Impact Refreshed', {
          alertId: id,
          refreshedAt: impact.refreshedAt,
          truncated: impact.truncated,
          impactedCis: impact.impactedCis,
          affectedAccounts: impact.affectedAccounts,
          affectedItems: impact.affectedItems,
          changed: (oldImage.impact as { digest?: string } | undefined)?.digest !== impact.digest,
        }),
      ];
    }
    return [];
  }

  const kase = {
    caseId: id,
    number: newImage.number,
    origin: newImage.origin,
    proactive: newImage.proactive,
    priority: newImage.priority,
    stage: newImage.stage,
    accountId: newImage.accountId ?? null,
    alertId: newImage.alertId ?? null,
    parentCaseId: newImage.parentCaseId ?? null,
  };
  if (!oldImage) return [event('Case Created', kase)];
  const events = [event('Case Updated', { ...kase, action })];
  if (oldImage.majorCase !== newImage.majorCase) {
    if (newImage.majorCase === 'proposed') events.push(event('Major Case Proposed', kase));
    if (newImage.majorCase === 'accepted') events.push(event('Major Case Accepted', kase));
  }
  return events;
}
