/** Raising, repeating, clearing, reading and updating alerts (SPEC §2 Alert, §4). */
import { alertIdFor, alertLinks, awaitsPlaybooks, type Alert, type AlertState, type AttributeValue, type Detection } from '../domain/alert.js';
import { Conflict, Invalid, NotFound } from '../domain/errors.js';
import type { Severity } from '../domain/priority.js';
import type { AlertWriteOptions } from '../store/alerts.js';
import type { Actor, Repositories } from './context.js';
import { followEscalation } from './case-sync.js';
import { applyPlaybooks } from './playbooks.js';
import { readHistory, type HistoryRead } from './history.js';
import { mapLimit } from '../concurrency.js';
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
  /**
   * `created` for a new alert (201), `repeated` or `cleared` for a known one
   * (200); `duplicate`: this delivery was applied before; `unchanged`: the
   * sender's occurrence was seen before (a re-sent notification).
   */
  outcome: 'created' | 'repeated' | 'cleared' | 'duplicate' | 'unchanged';
}

/** How a raise happens once, and (`exists`) whether the alert is known to exist already. */
export type RaiseOptions = AlertWriteOptions & { exists?: boolean };

/**
 * Raises an alert. `once.deliveryId` (an event id) makes a redelivery of the
 * same event a no-op: no second occurrence, no second history entry;
 * `once.occurrence` (the sender's own name for this firing) does the same for
 * a re-sent notification.
 */
export async function raiseAlert(repos: Repositories, input: RaiseAlertInput, actor: Actor, once: RaiseOptions = {}): Promise<RaisedAlert> {
  const raised = await raiseOnce(repos, input, actor, once);
  if (raised === 'already_delivered') {
    // A redelivery changes nothing, but the delivery before it may have failed while converting: the playbooks again.
    const alert = await repos.alerts.require(alertIdFor(input.source, input.sourceAlertId));
    return { alert: awaitsPlaybooks(alert) ? await applyPlaybooks(repos, alert) : alert, outcome: 'duplicate' };
  }
  if (raised.outcome === 'cleared') return raised;
  if (raised.outcome === 'unchanged') return awaitsPlaybooks(raised.alert) ? { ...raised, alert: await applyPlaybooks(repos, raised.alert) } : raised;
  // A repeat of an attached alert may raise its case's priority (the case-sync rule).
  if (raised.alert.caseId) {
    if (raised.outcome === 'repeated') await followEscalation(repos, raised.alert);
    return raised;
  }
  // A raised or repeated alert without a case goes to the playbooks.
  return { ...raised, alert: await applyPlaybooks(repos, raised.alert) };
}

/**
 * Raises an alert sent through POST /alerts or `Alert Raised`, whose source
 * must not be a live integration's (SPEC §2 Alert sources): that
 * integration's alerts arrive through it. A source no integration holds
 * becomes such alerts' own when an alert is raised with it.
 */
export async function raiseApiAlert(repos: Repositories, input: RaiseAlertInput, actor: Actor, once: RaiseOptions = {}): Promise<RaisedAlert> {
  // A clear takes no source (it creates nothing); a raise takes a free one for such alerts.
  const held = input.severity === 'clear' ? await repos.sources.owner(input.source) : await repos.sources.claimForAlerts(input.source);
  if (held?.owner === 'integration') {
    throw new Conflict(`Source '${input.source}' belongs to a live integration: its alerts arrive through that integration's route.`, { field: 'source' });
  }
  return raiseAlert(repos, input, actor, once);
}

/**
 * Closes the alert a sender names as resolved. With `occurrence`, a resolution
 * of an earlier firing leaves a newer one open. Undefined when no such alert
 * exists.
 */
export async function clearAlert(
  repos: Repositories,
  key: { source: string; sourceAlertId: string },
  actor: Actor,
  occurrence?: string,
): Promise<{ alert: Alert; changed: boolean } | undefined> {
  try {
    return await repos.alerts.transition(alertIdFor(key.source, key.sourceAlertId), 'closed', { at: now(), actor, action: 'cleared', occurrence });
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}

/** Acknowledges the open alert a sender names; a closed one stays closed. Undefined when no such alert exists. */
export async function acknowledgeAlert(
  repos: Repositories,
  key: { source: string; sourceAlertId: string },
  actor: Actor,
): Promise<{ alert: Alert; changed: boolean } | undefined> {
  try {
    return await repos.alerts.transition(alertIdFor(key.source, key.sourceAlertId), 'acknowledged', { at: now(), actor, action: 'updated', from: ['open'] });
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}

/** A new alert as first raised. */
function newAlert(input: RaiseAlertInput & { severity: Severity }, actor: Actor, at: string): Omit<Alert, 'links'> {
  return {
    alertId: alertIdFor(input.source, input.sourceAlertId),
    source: input.source,
    ...(input.sourceAlertId !== undefined ? { sourceAlertId: input.sourceAlertId } : {}),
    severity: input.severity,
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
}

/**
 * Raises many alerts none of which existed when read, many to a write; each
 * created one goes to the playbooks. `exists` for one created meanwhile by
 * another request: raise it again (it is then a repeat).
 */
export async function raiseNewAlerts(
  repos: Repositories,
  inputs: { input: RaiseAlertInput & { severity: Severity }; occurrence?: string }[],
  actor: Actor,
): Promise<('created' | 'exists')[]> {
  const at = now();
  const alerts = inputs.map(({ input, occurrence }) => ({ alert: newAlert(input, actor, at), occurrence }));
  const outcomes = await repos.alertBatches.createMany(alerts);
  await mapLimit(
    alerts.filter((_, i) => outcomes[i] === 'created'),
    PLAYBOOKS_IN_FLIGHT,
    ({ alert }) => applyPlaybooks(repos, { ...alert, links: alertLinks(alert.alertId) }),
  );
  return outcomes;
}

/** Alerts of one payload evaluated by the playbooks at once (each may convert: a read and a transaction). */
const PLAYBOOKS_IN_FLIGHT = 16;

async function raiseOnce(repos: Repositories, input: RaiseAlertInput, actor: Actor, { exists, ...once }: RaiseOptions): Promise<RaisedAlert | 'already_delivered'> {
  const at = now();
  if (input.severity === 'clear') {
    if (input.sourceAlertId === undefined) {
      throw new Invalid('Clearing an alert needs the sourceAlertId it was raised with.', [
        { path: 'sourceAlertId', message: "required when severity is 'clear'" },
      ]);
    }
    const cleared = await clearAlert(repos, { source: input.source, sourceAlertId: input.sourceAlertId }, actor, once.occurrence);
    if (!cleared) throw new NotFound(`No alert from source '${input.source}' with sourceAlertId '${input.sourceAlertId}' to clear.`);
    return { alert: cleared.alert, outcome: 'cleared' };
  }
  const severity = input.severity;
  const alert = newAlert({ ...input, severity }, actor, at);
  const alertId = alert.alertId;
  // Known to exist (just read): straight to the repeat, without a create bound to fail.
  const created = exists ? 'exists' : await repos.alerts.create(alert, once);
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
  }, once);
  if (repeated === 'already_delivered') return repeated;
  return 'unchanged' in repeated ? { alert: repeated.unchanged, outcome: 'unchanged' } : { alert: repeated, outcome: 'repeated' };
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

/** An alert's history (lib/usecases/history.ts); 404 for an alert that does not exist. */
export const alertHistory = (repos: Repositories, alertId: string, read: HistoryRead) => readHistory(repos, { kind: 'alert', id: alertId }, read, () => repos.alerts.require(alertId));
