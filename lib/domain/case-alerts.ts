/**
 * Alerts and cases, many to one (SPEC §2 "Alerts and cases"): what attaching,
 * moving and detaching an alert comes to, what a case copies from the alerts
 * it gains, how a grouping playbook names a group, and when an attached
 * alert raises its case's priority. Pure rules, no database.
 */
import { ALERT_LIMITS, ATTRIBUTE_KEY_PATTERN, type Alert, type Detection } from './alert.js';
import { PRIORITIES, priorityFromSeverity, type Priority, type Severity } from './priority.js';
import { FROZEN_STAGES, STAGES, WORKING_STAGES, type Stage } from './stage-transitions.js';

/** A case holds at most this many alerts (SPEC §2). */
export const MAX_CASE_ALERTS = 1000;
/** One attach or bulk convert names at most this many alerts (SPEC §4). */
export const MAX_ALERTS_PER_ATTACH = 100;
/**
 * A case copies at most this many detections (as many as one alert may
 * carry): a case gaining alerts beyond that keeps the ones it has, so its
 * item stays within DynamoDB's 400 KB whatever it gains.
 */
export const MAX_CASE_DETECTIONS = 100;

/** What one alert of an attach, move or bulk convert came to (SPEC §4). */
export type AttachOutcome = 'attached' | 'already_attached' | 'attached_elsewhere' | 'moved' | 'not_found';
export type ConvertOutcome = 'converted' | 'attached_elsewhere' | 'not_found';

export interface AlertResult<O extends string = AttachOutcome> {
  alertId: string;
  outcome: O;
  /** The case the alert is in (attached_elsewhere: that other case; converted: its new case). */
  caseId?: string;
  caseNumber?: string;
}

/** Where an alert stands now, as far as attaching it to `caseId` goes. */
export interface AlertPlacement {
  alertId: string;
  caseId?: string;
  caseNumber?: string;
}

/**
 * What attaching an alert to a case would do, from where the alert is:
 * nothing (not found, already there, in another case without `move`), or a
 * write (attach it, or move it from the case it is in).
 */
export function attachOutcome(alert: AlertPlacement | undefined, alertId: string, caseId: string, move: boolean): AlertResult {
  if (!alert) return { alertId, outcome: 'not_found' };
  if (alert.caseId === caseId) return { alertId, outcome: 'already_attached', caseId, caseNumber: alert.caseNumber };
  if (alert.caseId && !move) return { alertId, outcome: 'attached_elsewhere', caseId: alert.caseId, caseNumber: alert.caseNumber };
  return { alertId, outcome: alert.caseId ? 'moved' : 'attached' };
}

/** An alert an attach will write: attached to the case, or moved from the case it is in. */
export interface PlannedAlert {
  alert: Alert;
  outcome: 'attached' | 'moved';
}

/**
 * One atomic step of an attach: the case gains these alerts (and the cases
 * they leave lose them) together or not at all. It changes at most
 * RECORDS_PER_STEP records: the case, each alert, each case alerts leave.
 */
export interface AttachStep {
  alerts: PlannedAlert[];
  /** The detections the case gains with this step, onto the `known` it had before it. */
  detections: Detection[];
  known: number;
  /** A case with no alert attributes (a manual case) takes its first alert's, as a conversion does. */
  firstAttributes?: Alert['attributes'];
}

/** The most records one step changes at once (DynamoDB's TransactWriteItems takes 100). */
export const RECORDS_PER_STEP = 100;

/** The case as an attach reads it. */
export interface AttachingCase {
  caseId: string;
  number: string;
  stage: Stage;
  alertCount: number;
  alertAttributes?: Alert['attributes'];
  detections?: readonly Pick<Detection, 'id'>[];
}

/** What attaching some alerts to a case comes to, as read: each alert's answer where nothing is written, then a refusal or the steps to write. */
export type AttachPlan = {
  decided: AlertResult[];
} & (
  | { refusal?: undefined; steps: AttachStep[] }
  /** The case takes no alerts in its stage (`closed`), or these would take it past MAX_CASE_ALERTS (`full`). */
  | { refusal: 'closed' | 'full'; adding: number }
);

const uniqueById = <D extends { id: string }>(list: readonly D[]) => [...new Map(list.map((d) => [d.id, d])).values()];

/**
 * Plans an attach of `alerts` (as read, undefined where there is none) to a
 * case: which need no write, whether the case takes the rest in `stages`,
 * and the steps that write them, each copying the detections its alerts
 * bring that the case (and the steps before) do not have.
 */
export function planAttach(
  kase: AttachingCase,
  alerts: readonly { alertId: string; alert: Alert | undefined }[],
  r: { move: boolean; stages: readonly Stage[] },
): AttachPlan {
  const decided: AlertResult[] = [];
  const planned: PlannedAlert[] = [];
  for (const { alertId, alert } of alerts) {
    const result = attachOutcome(alert, alertId, kase.caseId, r.move);
    if (result.outcome === 'attached' || result.outcome === 'moved') planned.push({ alert: alert!, outcome: result.outcome });
    else decided.push(result);
  }
  if (planned.length === 0) return { decided, steps: [] };
  if (!r.stages.includes(kase.stage)) return { decided, refusal: 'closed', adding: planned.length };
  if (kase.alertCount + planned.length > MAX_CASE_ALERTS) return { decided, refusal: 'full', adding: planned.length };
  let have: Pick<Detection, 'id'>[] = uniqueById(kase.detections ?? []);
  const steps = inSteps(planned).map((chunk, k) => {
    const detections = detectionsToCopy(have, chunk.map((p) => p.alert));
    const step: AttachStep = { alerts: chunk, detections, known: have.length };
    have = [...have, ...detections];
    const first = chunk[0].alert.attributes;
    return k === 0 && kase.alertAttributes === undefined && first && Object.keys(first).length ? { ...step, firstAttributes: first } : step;
  });
  return { decided, steps };
}

/** Planned alerts in steps of at most RECORDS_PER_STEP records: the case, then per alert itself and (a move) the case it leaves, once per step. */
function inSteps(planned: PlannedAlert[]): PlannedAlert[][] {
  const out: PlannedAlert[][] = [];
  let current: PlannedAlert[] = [];
  let sources = new Set<string>();
  for (const p of planned) {
    const source = p.outcome === 'moved' ? p.alert.caseId! : undefined;
    const grows = 1 + (source && !sources.has(source) ? 1 : 0);
    if (current.length > 0 && 1 + current.length + sources.size + grows > RECORDS_PER_STEP) {
      out.push(current);
      current = [];
      sources = new Set();
    }
    current.push(p);
    if (source) sources.add(source);
  }
  if (current.length) out.push(current);
  return out;
}

/** Stages in which a grouping playbook's case still gathers its group: while it is worked (not resolved, closed or cancelled). */
export const GATHERING_STAGES: readonly Stage[] = WORKING_STAGES;

/** Stages in which a case takes alerts by hand, and gives them up: any but closed and cancelled (frozen cases keep their alerts). */
export const TAKING_STAGES: readonly Stage[] = STAGES.filter((s) => !FROZEN_STAGES.includes(s));

/**
 * The detections a case gains from alerts: those whose id it does not have
 * yet (nor an earlier alert of the same write), while it has fewer than
 * MAX_CASE_DETECTIONS.
 */
export function detectionsToCopy(have: readonly Pick<Detection, 'id'>[], alerts: readonly Pick<Alert, 'detections'>[]): Detection[] {
  const seen = new Set(have.map((d) => d.id));
  const added: Detection[] = [];
  for (const alert of alerts) {
    for (const detection of alert.detections ?? []) {
      if (seen.size >= MAX_CASE_DETECTIONS) return added;
      if (seen.has(detection.id)) continue;
      seen.add(detection.id);
      added.push(detection);
    }
  }
  return added;
}

const priorityRank = (p: Priority) => PRIORITIES.indexOf(p);

/** The priority a case should rise to for an attached alert at this severity, if it is higher than the case's; never lower. */
export function escalatedPriority(casePriority: Priority, severity: Severity): Priority | undefined {
  const wanted = priorityFromSeverity(severity);
  return priorityRank(wanted) < priorityRank(casePriority) ? wanted : undefined;
}

/** The priorities below `priority` (a case at one of these is raised to it). */
export const prioritiesBelow = (priority: Priority): Priority[] => PRIORITIES.slice(priorityRank(priority) + 1);

/** The most severe of some alerts (the first of equals): a bulk conversion's one case takes its priority and provenance from it. */
export function mostSevere<A extends Pick<Alert, 'severity'>>(alerts: readonly A[]): A {
  const order: Severity[] = ['critical', 'major', 'minor', 'warning', 'info'];
  return alerts.reduce((worst, a) => (order.indexOf(a.severity) < order.indexOf(worst.severity) ? a : worst));
}

/** Whether a grouping playbook may group by this field (SPEC §2): `ciId`, `source`, `type`, or `attributes.<name>`. */
export function isGroupField(field: string): boolean {
  if (field === 'ciId' || field === 'source' || field === 'type') return true;
  const name = field.startsWith('attributes.') ? field.slice('attributes.'.length) : '';
  return name.length > 0 && name.length <= ALERT_LIMITS.attributeKey && ATTRIBUTE_KEY_PATTERN.test(name);
}

export interface Grouping {
  by: string[];
  windowMinutes: number;
}

/**
 * The group an alert belongs to under a grouping: its values of the `by`
 * fields, in order (a field the alert lacks counts as empty, so alerts that
 * all lack it group together).
 */
export function groupKeyOf(alert: Pick<Alert, 'ciId' | 'source' | 'type' | 'attributes'>, grouping: Pick<Grouping, 'by'>): string {
  const values = grouping.by.map((field) => {
    if (field === 'ciId') return alert.ciId ?? null;
    if (field === 'source') return alert.source;
    if (field === 'type') return alert.type ?? null;
    const value = alert.attributes?.[field.slice('attributes.'.length)];
    return value === undefined ? null : value;
  });
  return JSON.stringify(values);
}

/** Whether a group's case, opened at `openedAt`, still gathers alerts at `at`. */
export const withinWindow = (openedAt: string, windowMinutes: number, at: string) => Date.parse(at) < Date.parse(openedAt) + windowMinutes * 60_000;
