/**
 * Alerts and cases, many to one (SPEC §2 "Alerts and cases", §4): attach,
 * move, detach, list a case's alerts, convert many alerts at once (the
 * case-sync rule is case-sync.ts).
 */
import type { Alert } from '../domain/alert.js';
import { MAX_CASE_ALERTS, mostSevere, planAttach, TAKING_STAGES, type AlertResult, type ConvertOutcome } from '../domain/case-alerts.js';
import { SHORT_DESCRIPTION_MAX, type CaseInput, type StoredCase } from '../domain/case.js';
import { Conflict, NotFound, Unavailable } from '../domain/errors.js';
import { FROZEN_STAGES, STAGES, type Stage } from '../domain/stage-transitions.js';
import { mapLimit, sleep } from '../concurrency.js';
import type { Page } from '../store/pagination.js';
import { convertAlert } from './cases.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';

/** What an attach answers (SPEC §4): the case, and each alert's outcome in the order asked. */
export interface AttachAnswer {
  caseId: string;
  results: AlertResult[];
}

export interface AttachRequest {
  caseId: string;
  alertIds: string[];
  /** Take alerts from the case they are in. */
  move: boolean;
  actor: Actor;
  /**
   * The stages in which the case takes them: by hand any but closed and
   * cancelled (TAKING_STAGES); a grouping playbook's case only while it
   * gathers; a case just created by a bulk conversion whatever its stage.
   */
  stages: readonly Stage[];
}

/** What an attach came to: each alert's outcome, or why the case took none. */
export type Attachment =
  | { kind: 'done'; case: StoredCase; results: AlertResult[] }
  | { kind: 'case_not_found' }
  /** The case is in a stage that takes no alerts. */
  | { kind: 'case_closed'; case: StoredCase }
  /** The alerts would take the case past MAX_CASE_ALERTS. */
  | { kind: 'case_full'; case: StoredCase; adding: number }
  /** A move would take an alert out of a closed or cancelled case (`from`): frozen cases keep their alerts. */
  | { kind: 'source_frozen'; case: StoredCase; from: Pick<StoredCase, 'caseId' | 'number' | 'stage'> };

/** Rounds lost to a changed condition (an alert taken, detections added, the case changed) before giving up. */
const ATTACH_ATTEMPTS = 8;
/** How long rounds lost only to simultaneous transactions on the same case go on (within the API's 8 s database budget). */
const CONTENTION_BUDGET_MS = 6000;

/**
 * Attaches (and with `move`, moves) alerts to a case: one read of the case
 * and the alerts, the domain's plan, then its steps written one transaction
 * each. An alert another write took meanwhile is read again and answered as
 * it is; rounds lost only to another transaction holding the case at the
 * same moment (alerts of one group joining at once) go on while there is
 * time.
 */
export async function attach(repos: Repositories, r: AttachRequest): Promise<Attachment> {
  const ids = [...new Set(r.alertIds)];
  const decided = new Map<string, AlertResult>();
  let kase: StoredCase | undefined;
  const started = Date.now();
  // Calls the database does not answer in time are tried again until then (SPEC §4: 8 s for the database).
  const deadline = started + CONTENTION_BUDGET_MS;
  let changed = 0;
  // Part of the request may be in the case already (an earlier step), then the case (or one an alert leaves) changed: say both.
  const refuse = (refusal: Exclude<Attachment, { kind: 'done' | 'case_not_found' }>): Attachment => {
    const attached = [...decided.values()].filter((d) => d.outcome === 'attached' || d.outcome === 'moved').map((d) => d.alertId);
    if (attached.length) {
      const why = refusal.kind === 'source_frozen' ? `case ${refusal.from.number} is ${refusal.from.stage}` : refusal.kind === 'case_full' ? 'full' : refusal.case.stage;
      throw new Conflict(`Case ${refusal.case.number} took ${attached.length} of the alerts, then stopped taking them (${why}).`, { attached });
    }
    return refusal;
  };
  for (let round = 0; decided.size < ids.length && changed < ATTACH_ATTEMPTS && Date.now() - started < CONTENTION_BUDGET_MS; round++) {
    if (round > 0) await sleep(Math.min(200, 5 * round) + Math.random() * 25 * Math.min(round, 8));
    const pending = ids.filter((id) => !decided.has(id));
    const read = await repos.caseAlerts.readForAttach(r.caseId, pending, deadline);
    if (!read.case) return { kind: 'case_not_found' };
    kase = read.case;
    const plan = planAttach(kase, pending.map((alertId, i) => ({ alertId, alert: read.alerts[i] })), r);
    for (const d of plan.decided) decided.set(d.alertId, d);
    if (plan.refusal) return refuse(plan.refusal === 'closed' ? { kind: 'case_closed', case: kase } : { kind: 'case_full', case: kase, adding: plan.adding });
    const at = now();
    for (const step of plan.steps) {
      const outcome = await repos.caseAlerts.commitAttachStep(kase, step, { at, actor: r.actor, stages: r.stages }, deadline);
      if (outcome.kind === 'source_frozen') return refuse({ kind: 'source_frozen', case: kase, from: outcome.from });
      // Changed since read: read again (counted). Only held at the same moment: read again (not counted).
      if (outcome.kind === 'changed') changed++;
      if (outcome.kind !== 'committed') break;
      for (const p of step.alerts) decided.set(p.alert.alertId, { alertId: p.alert.alertId, outcome: p.outcome, caseId: kase.caseId, caseNumber: kase.number });
    }
  }
  // The same request again finishes it: what is attached answers `already_attached`.
  if (decided.size < ids.length) throw new Unavailable('The alerts kept changing while they were being attached; retry shortly.');
  return { kind: 'done', case: kase!, results: r.alertIds.map((id) => decided.get(id)!) };
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
  return settle(caseId, await attach(repos, { caseId, alertIds, move, actor, stages: TAKING_STAGES }));
}

/** A detach that lost to another write on the case or the alert reads again, this many times in all. */
const DETACH_ATTEMPTS = 8;

/** Unlinks an alert from a case: 404 when the case does not exist or the alert is not attached to it. */
export async function detachAlert(repos: Repositories, caseId: string, alertId: string, actor: Actor): Promise<void> {
  for (let attempt = 1; attempt <= DETACH_ATTEMPTS; attempt++) {
    if (attempt > 1) await sleep(5 * attempt + Math.random() * 15 * attempt);
    const read = await repos.caseAlerts.readForDetach(caseId, alertId);
    if (!read.case) throw new NotFound(`Case '${caseId}' does not exist.`);
    if (read.alert?.caseId !== caseId) throw new NotFound(`Alert '${alertId}' is not attached to case '${caseId}'.`);
    // A closed or cancelled case keeps its alerts (the write's condition says so again, should it close meanwhile).
    if (FROZEN_STAGES.includes(read.case.stage)) {
      throw new Conflict(`Case ${read.case.number} is ${read.case.stage}: reopen it before detaching its alerts.`, { stage: read.case.stage });
    }
    if ((await repos.caseAlerts.commitDetach(caseId, alertId, { at: now(), actor })) === 'detached') return;
  }
  throw new Unavailable('The alert kept changing while it was being detached; retry shortly.');
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
export async function convertAlerts(
  repos: Repositories,
  alertIds: string[],
  mode: ConvertMode,
  input: Omit<CaseInput, 'shortDescription'> & { shortDescription?: string },
  actor: Actor,
): Promise<ConvertResult[]> {
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
  // Without a short description, each case takes its alert's description (as the conversion form offers it).
  const convert = (alert: Alert) => convertOne(repos, alert.alertId, { ...input, shortDescription: input.shortDescription ?? alert.description.slice(0, SHORT_DESCRIPTION_MAX) }, actor);
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
        const attached = await attach(repos, { caseId: opened.caseId!, alertIds: rest.map((a) => a.alertId), move: false, actor, stages: STAGES });
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
