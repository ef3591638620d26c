/** Raising, repeating, clearing, reading and updating alerts (SPEC §2 Alert, §4). */
import { alertIdFor, alertLinks, type Alert, type AlertState, type AttributeValue, type Detection } from '../domain/alert.js';
import { Invalid, NotFound } from '../domain/errors.js';
import type { Severity } from '../domain/priority.js';
import type { Actor, Repositories } from './context.js';
import { applyPlaybooks } from './playbooks.js';
import { now } from './context.js';

export interface RaiseAlertInput {
  source: string;
  sourceAlertId?: string;
  severity: Severity | 'clear';
  description: string;
  ciId?: string;
  type?: string;
  attributes?: Record<string, AttributeValue>;
  detections?: Detection[];
}

export interface RaisedAlert {
  alert: Alert;
  /** `created` for a new alert (201), `repeated` or `cleared` for a known one (200); `duplicate`: this delivery was applied before. */
  outcome: 'created' | 'repeated' | 'cleared' | 'duplicate';
}

/**
 * Raises an alert. `deliveryId` (an event id) makes a redelivery of the same
 * event a no-op: no second occurrence, no second history entry.
 */
export async function raiseAlert(repos: Repositories, input: RaiseAlertInput, actor: Actor, deliveryId?: string): Promise<RaisedAlert> {
  const raised = await raiseOnce(repos, input, actor, deliveryId);
  if (raised === 'already_delivered') return { alert: await repos.alerts.require(alertIdFor(input.source, input.sourceAlertId)), outcome: 'duplicate' };
  // A raised or repeated alert without a case goes to the playbooks.
  if (raised.outcome === 'cleared') return raised;
  return { ...raised, alert: await applyPlaybooks(repos, raised.alert) };
}

async function raiseOnce(repos: Repositories, input: RaiseAlertInput, actor: Actor, deliveryId?: string): Promise<RaisedAlert | 'already_delivered'> {
  const at = now();
  if (input.severity === 'clear') {
    if (input.sourceAlertId === undefined) {
      throw new Invalid('Clearing an alert needs the sourceAlertId it was raised with.', [
        { path: 'sourceAlertId', message: "required when severity is 'clear'" },
      ]);
    }
    const alertId = alertIdFor(input.source, input.sourceAlertId);
    try {
      const alert = await repos.alerts.setState(alertId, 'closed', { at, actor, action: 'cleared' });
      return { alert, outcome: 'cleared' };
    } catch (error) {
      if (error instanceof NotFound) {
        throw new NotFound(`No alert from source '${input.source}' with sourceAlertId '${input.sourceAlertId}' to clear.`);
      }
      throw error;
    }
  }
  const severity = input.severity;
  const alertId = alertIdFor(input.source, input.sourceAlertId);
  const alert: Omit<Alert, 'links'> = {
    alertId,
    source: input.source,
    ...(input.sourceAlertId !== undefined ? { sourceAlertId: input.sourceAlertId } : {}),
    severity,
    state: 'open',
    ...(input.ciId !== undefined ? { ciId: input.ciId } : {}),
    description: input.description,
    ...(input.type !== undefined ? { type: input.type } : {}),
    attributes: input.attributes ?? {},
    detections: input.detections ?? [],
    occurrences: 1,
    firstOccurredAt: at,
    lastOccurredAt: at,
    createdAt: at,
    updatedAt: at,
    createdBy: actor,
    updatedBy: actor,
    version: 1,
  };
  const created = await repos.alerts.create(alert, deliveryId);
  if (created === 'already_delivered') return created;
  if (created === 'created') return { alert: { ...alert, links: alertLinks(alertId) }, outcome: 'created' };
  const repeated = await repos.alerts.repeat(alertId, {
    severity,
    description: input.description,
    ciId: input.ciId,
    type: input.type,
    attributes: input.attributes,
    detections: input.detections,
    at,
    actor,
  }, deliveryId);
  return repeated === 'already_delivered' ? repeated : { alert: repeated, outcome: 'repeated' };
}

export async function changeAlertState(
  repos: Repositories,
  alertId: string,
  state: AlertState,
  actor: Actor,
  expectedVersion?: number,
): Promise<Alert> {
  return repos.alerts.setState(alertId, state, { at: now(), actor, action: 'updated', expectedVersion });
}
