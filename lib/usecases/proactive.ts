/** The Create Proactive Case rule, run when an `Incident Created` event arrives (SPEC §2 Automation). */
import { SHORT_DESCRIPTION_MAX } from '../domain/case.js';
import { NotFound } from '../domain/errors.js';
import { proactiveCaseFor } from '../domain/proactive-rule.js';
import { convertAlert } from './cases.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';
import { refreshImpact } from './impact.js';

export const RULE_ACTOR = 'rule:proactive-case';

export type IncidentOutcome = 'unknown_alert' | 'rule_off' | 'already_has_case' | 'no_external_impact' | 'case_created';

export async function setProactiveRule(repos: Repositories, enabled: boolean, actor: Actor) {
  return repos.config.setProactiveRule(enabled, { at: now(), actor });
}

/**
 * Links the incident to its alert; with the rule on, recomputes the alert's
 * impact and opens one proactive case for the external accounts it hurts. A
 * repeated or simultaneous delivery finds the case already there: at most one
 * case per alert, by the conversion's own condition.
 */
export async function onIncidentCreated(repos: Repositories, event: { alertId: string; incidentId: string }): Promise<{ outcome: IncidentOutcome; caseId?: string }> {
  const alert = await repos.alerts.get(event.alertId);
  if (!alert) return { outcome: 'unknown_alert' };
  await repos.alerts.linkIncident(event.alertId, event.incidentId, { at: now(), actor: RULE_ACTOR });
  const rule = await repos.config.proactiveRule();
  if (!rule.enabled) return { outcome: 'rule_off' };
  if (alert.caseId) return { outcome: 'already_has_case', caseId: alert.caseId };
  // Only a real change is recorded, so a redelivered event adds no history.
  const impact = await refreshImpact(repos, event.alertId, RULE_ACTOR, { onlyIfChanged: true });
  const decision = proactiveCaseFor(impact.affected);
  if (decision.items.length === 0) return { outcome: 'no_external_impact' };
  try {
    const outcome = await convertAlert(
      repos,
      event.alertId,
      {
        shortDescription: `Proactive: ${alert.description}`.slice(0, SHORT_DESCRIPTION_MAX),
        description: `Opened by the Create Proactive Case rule for incident ${event.incidentId}: ${alert.description}`,
        ...(decision.accountId ? { accountId: decision.accountId } : {}),
      },
      RULE_ACTOR,
      { origin: 'proactive_rule', attach: decision.items },
    );
    if (outcome.kind === 'already_converted') return { outcome: 'already_has_case', caseId: outcome.caseId };
    if (outcome.kind !== 'created') throw new Error(`The proactive rule's conversion cannot be '${outcome.kind}'.`);
    return { outcome: 'case_created', caseId: outcome.case.caseId };
  } catch (error) {
    if (error instanceof NotFound) return { outcome: 'unknown_alert' };
    throw error;
  }
}
