/**
 * The case-sync rule (SPEC §2 "Alerts and cases"): an attached alert that
 * repeats or joins its case may raise the case's priority; a case resolved or
 * closed may close its open alerts. Used by raises, playbooks and case
 * updates alike, so it depends on none of them.
 */
import { OPEN_ALERT_STATES, type Alert } from '../domain/alert.js';
import { NotFound } from '../domain/errors.js';
import { priorityFromSeverity } from '../domain/priority.js';
import { mapLimit } from '../concurrency.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';

/**
 * The case-sync rule on an attached alert that repeated or joined its case:
 * when its severity now maps to a higher priority than the case's, the case
 * rises to it (never falls; actor `alert:<alertId>`).
 */
export async function followEscalation(repos: Repositories, alert: Pick<Alert, 'alertId' | 'severity' | 'caseId'>): Promise<void> {
  if (!alert.caseId) return;
  if (!(await repos.config.caseSyncRule()).raisePriorityOnEscalation) return;
  await repos.caseAlerts.raisePriority(alert.caseId, priorityFromSeverity(alert.severity), { at: now(), actor: `alert:${alert.alertId}` });
}

/** Alerts closed at once when their case closes. */
const CLOSES_IN_FLIGHT = 16;

/** The case-sync rule on a case resolved or closed: with `closeAlertsWithCase` on, its open alerts close too. */
export async function closeAlertsWithCase(repos: Repositories, caseId: string, actor: Actor): Promise<void> {
  if (!(await repos.config.caseSyncRule()).closeAlertsWithCase) return;
  const open = (await repos.caseLists.allAlertsOf(caseId)).filter((a) => (OPEN_ALERT_STATES as readonly string[]).includes(a.state));
  const at = now();
  await mapLimit(open, CLOSES_IN_FLIGHT, (alert) =>
    repos.alerts.transition(alert.alertId, 'closed', { at, actor, action: 'closed_with_case', from: [...OPEN_ALERT_STATES] }).catch((error) => {
      if (!(error instanceof NotFound)) throw error;
    }),
  );
}
