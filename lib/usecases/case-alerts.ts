/**
 * Alerts and cases, many to one (SPEC §2 "Alerts and cases", §4): attach,
 * move, detach, list a case's alerts, convert many alerts at once (the
 * case-sync rule is case-sync.ts).
 */
import type { Alert } from '../domain/alert.js';
import { MAX_CASE_ALERTS, mostSevere, TAKING_STAGES, type AlertResult, type ConvertOutcome } from '../domain/case-alerts.js';
import type { CaseInput } from '../domain/case.js';
import { Conflict, NotFound } from '../domain/errors.js';
import { STAGES } from '../domain/stage-transitions.js';
import { mapLimit } from '../concurrency.js';
import type { Attachment } from '../store/case-alerts.js';
import type { Page } from '../store/pagination.js';
import { convertAlert } from './cases.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';

/** What an attach answers (SPEC §4): the case, and each alert's outcome in the order asked. */
export interface AttachAnswer {
  caseId: string;
  results: AlertResult[];
}

/** The outcome of an attach as the caller sees it: the results, or a 404 / 409 naming why the case took none. */
function settle(caseId: string, a: Attachment): AttachAnswer {
  if (a.kind === 'case_not_found') throw new NotFound(`Case '${caseId}' does not exist.`);
  if (a.kind === 'case_closed') {
    throw new Conflict(`Case ${a.case.number} is ${a.case.stage}: reopen it before attaching alerts to it.`, { stage: a.case.stage });
  }
  if (a.kind === 'case_full') {
    throw new Conflict(
      `Case ${a.case.number} holds ${a.case.alertCount} alerts; ${a.adding} more would pass the ${MAX_CASE_ALERTS} alerts a case may hold.`,
      { limit: MAX_CASE_ALERTS, alertCount: a.case.alertCount },
    );
  }
  if (a.kind === 'source_frozen') {
    throw new Conflict(`Case ${a.from.number} is ${a.from.stage}: reopen it before moving its alerts out.`, { caseNumber: a.from.number, stage: a.from.stage });
  }
  return { caseId, results: a.results };
}

/** Attaches alerts to a case (`move`: taking them from the case they are in); each alert answers on its own. */
export async function attachAlerts(repos: Repositories, caseId: string, alertIds: string[], move: boolean, actor: Actor): Promise<AttachAnswer> {
  return settle(caseId, await repos.caseAlerts.attach({ caseId, alertIds, move, at: now(), actor, stages: TAKING_STAGES }));
}

/** Unlinks an alert from a case: 404 when the case does not exist or the alert is not attached to it. */
export async function detachAlert(repos: Repositories, caseId: string, alertId: string, actor: Actor): Promise<void> {
  const outcome = await repos.caseAlerts.detach(caseId, alertId, { at: now(), actor });
  if (outcome === 'case_not_found') throw new NotFound(`Case '${caseId}' does not exist.`);
  if (outcome === 'not_attached') throw new NotFound(`Alert '${alertId}' is not attached to case '${caseId}'.`);
  if (outcome === 'case_frozen') {
    const c = await repos.cases.require(caseId);
    throw new Conflict(`Case ${c.number} is ${c.stage}: reopen it before detaching its alerts.`, { stage: c.stage });
  }
}

export async function listCaseAlerts(repos: Repositories, caseId: string, limit: number, cursor?: string): Promise<Page<Alert>> {
  await repos.cases.require(caseId);
  return repos.caseLists.alertsOf(caseId, limit, cursor);
}

export type ConvertMode = 'one_case' | 'case_per_alert';
export type ConvertResult = AlertResult<ConvertOutcome>;

/** Cases created at once by one bulk conversion per alert (each a read and a transaction). */
const CONVERSIONS_IN_FLIGHT = 8;

/** One alert of a bulk conversion: the case it went to, the case it was in already, or not found. */
async function convertOne(repos: Repositories, alertId: string, input: CaseInput, actor: Actor): Promise<ConvertResult> {
  try {
    const outcome = await convertAlert(repos, alertId, input, actor);
    if (outcome.kind === 'created') return { alertId, outcome: 'converted', caseId: outcome.case.caseId, caseNumber: outcome.case.number };
    if (outcome.kind === 'already_converted') return { alertId, outcome: 'attached_elsewhere', caseId: outcome.caseId, caseNumber: outcome.caseNumber };
    throw new Error(`A bulk conversion cannot be '${outcome.kind}'.`);
  } catch (error) {
    if (error instanceof NotFound) return { alertId, outcome: 'not_found' };
    throw error;
  }
}

/**
 * Converts many alerts at once (SPEC §2 "Bulk convert"): `one_case` makes one
 * case from the most severe (its priority and provenance, unless the input
 * gives a priority) and attaches the others to it; `case_per_alert` makes a
 * case of each. An alert already in a case answers `attached_elsewhere` with
 * it; an unknown one `not_found`.
 */
export async function convertAlerts(repos: Repositories, alertIds: string[], mode: ConvertMode, input: CaseInput, actor: Actor): Promise<ConvertResult[]> {
  const ids = [...new Set(alertIds)];
  const alerts = await repos.alerts.getMany(ids);
  const results = new Map<string, ConvertResult>();
  const convertible: Alert[] = [];
  ids.forEach((alertId, i) => {
    const alert = alerts[i];
    if (!alert) results.set(alertId, { alertId, outcome: 'not_found' });
    else if (alert.caseId) results.set(alertId, { alertId, outcome: 'attached_elsewhere', caseId: alert.caseId, caseNumber: alert.caseNumber });
    else convertible.push(alert);
  });
  const convert = (alert: Alert) => convertOne(repos, alert.alertId, input, actor);
  if (mode === 'case_per_alert') {
    for (const r of await mapLimit(convertible, CONVERSIONS_IN_FLIGHT, convert)) results.set(r.alertId, r);
  } else {
    // The most severe alert that a conversion takes opens the case; one another request converted meanwhile is answered as it is.
    let rest = convertible;
    while (rest.length > 0) {
      const origin = mostSevere(rest);
      rest = rest.filter((a) => a !== origin);
      const opened = await convert(origin);
      results.set(origin.alertId, opened);
      if (opened.outcome !== 'converted') continue;
      if (rest.length) {
        const attached = await repos.caseAlerts.attach({ caseId: opened.caseId!, alertIds: rest.map((a) => a.alertId), move: false, at: now(), actor, stages: STAGES });
        if (attached.kind !== 'done') throw new Conflict(`Case ${opened.caseNumber} took no more alerts.`);
        for (const r of attached.results) {
          // Attached by this request (an SDK retry of its write answers `already_attached`): converted into the new case.
          results.set(r.alertId, r.outcome === 'attached' || r.outcome === 'already_attached' ? { ...r, outcome: 'converted' } : (r as ConvertResult));
        }
      }
      break;
    }
  }
  return alertIds.map((id) => results.get(id)!);
}
