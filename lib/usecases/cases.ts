/** Creating (manually or from an alert), reading, changing cases and their work notes (SPEC §2 Case, §4). */
import type { AffectedItem } from '../domain/install-base.js';
import { CASE_INPUT_FIELDS, CASE_NUMBER_PATTERN, caseView, newCase, type Case, type CaseInput, type CaseOrigin, type StoredCase } from '../domain/case.js';
import { assertClosedReason } from '../domain/closed-reason.js';
import { Conflict, NotFound, PreconditionFailed, Unavailable } from '../domain/errors.js';
import { normalizePriority, type PriorityInput } from '../domain/priority.js';
import { CARRIED_FIELDS, followsMajorCase } from '../domain/major-case.js';
import { assignCase } from '../domain/queue-rules.js';
import { slaSummary } from '../domain/sla.js';
import { assertFrozenCaseChange, assertStageTransition, type Stage } from '../domain/stage-transitions.js';
import type { CaseFilters, CaseGroupClaim, CaseVersion, CreationCommit, CreationPlan, WorkNote } from '../store/cases.js';
import { closeAlertsWithCase } from './case-sync.js';
import { readHistory, type HistoryRead } from './history.js';
import type { Actor, Repositories } from './context.js';
import type { IdempotencyRequest } from '../domain/idempotency.js';
import { sleep } from '../concurrency.js';
import { now } from './context.js';
import { onFreshRead } from './retry.js';
import { metrics, MetricUnit } from '../observability.js';

export type { CaseInput };

/** A case field set to null in a PATCH is removed. */
export type CasePatch = { [K in keyof CaseInput]?: CaseInput[K] | null };

/** The fields a PATCH changes one by one (the stage follows the transition table). */
const PATCHABLE = CASE_INPUT_FIELDS.filter((f) => f !== 'stage');

function countCaseCreated(origin: CaseOrigin) {
  metrics.addMetric('CasesCreated', MetricUnit.Count, 1);
  metrics.addMetadata('origin', origin);
}

/** What a conversion came to (a value: each caller says what it means to it). */
export type ConversionOutcome =
  | { kind: 'created'; case: Case }
  /** The alert has a case already: this request's (a retry's) or the winner of a race. */
  | { kind: 'already_converted'; caseId: string; caseNumber: string }
  /** A request with the same Idempotency-Key converted it: its case. */
  | { kind: 'replayed'; case: Case }
  /** A grouping conversion: another alert of the group gave the group its case meanwhile (join that one). */
  | { kind: 'group_taken' };

export interface ConvertOptions {
  origin?: CaseOrigin;
  idempotency?: IdempotencyRequest;
  /** Items to attach instead of the alert's whole affected install base (the proactive rule: external only). */
  attach?: AffectedItem[];
  /** A grouping playbook's group: the case becomes the group's, unless another alert of the group opened it first (`group_taken`). */
  group?: CaseGroupClaim;
}

/** A creation that lost to another transaction on the same items is read and tried again this many times in all. */
const CREATION_ATTEMPTS = 5;

/** Waits a little longer after each lost attempt, with jitter, so racing creations spread out. */
const afterLosing = (attempt: number) => sleep(5 + Math.random() * 20 * attempt);

/**
 * Converts an alert into a case, the one way every caller does it (the
 * route, bulk conversion, playbooks and grouping, the proactive rule): one
 * read round trip (the alert, an idempotent retry's first result, the queue),
 * the domain makes the case, then one transaction writes it and links the
 * alert only if it has no case yet. Of simultaneous conversions one creates
 * the case; every other learns it (`already_converted`). A transaction that
 * lost to another on the same items reads again.
 */
export async function convertAlert(repos: Repositories, alertId: string, input: CaseInput, actor: Actor, options: ConvertOptions = {}): Promise<ConversionOutcome> {
  for (let attempt = 1; attempt <= CREATION_ATTEMPTS; attempt++) {
    const read = await repos.cases.readForCreation({ alertId, queueId: input.queue, idempotency: options.idempotency });
    if (read.replay) return { kind: 'replayed', case: read.replay };
    if (!read.alert) throw new NotFound(`Alert '${alertId}' does not exist.`);
    const { alert, affected } = read.alert;
    if (alert.caseId) return refused(alert.caseId, alert.caseNumber!);
    const at = now();
    const draft = newCase({ input, origin: options.origin ?? 'alert', alert, affected: options.attach ?? affected, actor, at, queue: read.queue });
    const outcome = await repos.cases.commitCreation({ draft, action: 'created_from_alert', at, actor, alertId, group: options.group, idempotency: options.idempotency });
    if (outcome.kind === 'alert_not_found') throw new NotFound(`Alert '${alertId}' does not exist.`);
    if (outcome.kind === 'already_converted') return refused(outcome.caseId, outcome.caseNumber);
    if (outcome.kind === 'created') countCaseCreated(outcome.case.origin);
    if (outcome.kind === 'child_exists') throw new Error('A conversion makes no child case.');
    if (outcome.kind !== 'contended') return outcome;
    await afterLosing(attempt);
  }
  throw new Unavailable('The alert kept changing while it was being converted; retry shortly.');
}

function refused(caseId: string, caseNumber: string): ConversionOutcome {
  metrics.addMetric('ConversionsRefused', MetricUnit.Count, 1);
  return { kind: 'already_converted', caseId, caseNumber };
}

/** `POST /alerts/{alertId}/case`: the case (or, to a retry, the case the first request created), or a 409 naming the case the alert already has. */
export async function convertAlertToCase(repos: Repositories, alertId: string, input: CaseInput, actor: Actor, options: { idempotency?: IdempotencyRequest } = {}): Promise<Case> {
  const outcome = await convertAlert(repos, alertId, input, actor, options);
  if (outcome.kind === 'created' || outcome.kind === 'replayed') return outcome.case;
  if (outcome.kind === 'already_converted') {
    throw new Conflict(`Alert '${alertId}' is already converted to case ${outcome.caseNumber}.`, { caseId: outcome.caseId, caseNumber: outcome.caseNumber });
  }
  throw new Error(`A conversion without a group cannot be '${outcome.kind}'.`);
}

/** A case not tied to an alert (POST /cases): one read round trip at most (an idempotent retry's first result, the queue), one transaction. */
export async function createManualCase(repos: Repositories, input: CaseInput, actor: Actor, options: { idempotency?: IdempotencyRequest } = {}): Promise<Case> {
  const { idempotency } = options;
  const read = await repos.cases.readForCreation({ queueId: input.queue, idempotency });
  if (read.replay) return read.replay;
  const outcome = await createCase(repos, (at) => ({ draft: newCase({ input, origin: 'manual', actor, at, queue: read.queue }), action: 'created', at, actor, idempotency }));
  if (outcome.kind === 'created' || outcome.kind === 'replayed') return outcome.case;
  throw new Error(`A manual creation cannot be '${outcome.kind}'.`);
}

/**
 * Writes a case not tied to an alert, planned afresh (a new number, a new
 * time) for each attempt, until a transaction that lost to another on the
 * same items gets through.
 */
export async function createCase(repos: Repositories, plan: (at: string) => CreationPlan): Promise<Exclude<CreationCommit, { kind: 'contended' }>> {
  for (let attempt = 1; attempt <= CREATION_ATTEMPTS; attempt++) {
    const outcome = await repos.cases.commitCreation(plan(now()));
    if (outcome.kind === 'created') countCaseCreated(outcome.case.origin);
    if (outcome.kind !== 'contended') return outcome;
    await afterLosing(attempt);
  }
  throw new Unavailable('Too many simultaneous changes; retry shortly.');
}

export async function getCase(repos: Repositories, caseIdOrNumber: string): Promise<StoredCase> {
  const found = CASE_NUMBER_PATTERN.test(caseIdOrNumber)
    ? await repos.cases.getByNumber(caseIdOrNumber)
    : await repos.cases.get(caseIdOrNumber);
  if (!found) throw new NotFound(`Case '${caseIdOrNumber}' does not exist.`);
  return found;
}

/**
 * Changes a case, following the stage transition table. With `expectedVersion`
 * (If-Match) a stale read is a 412; without it a concurrent change is merged
 * by reading again.
 */
export async function updateCase(
  repos: Repositories,
  caseId: string,
  patch: CasePatch,
  actor: Actor,
  expectedVersion?: number,
): Promise<Case> {
  return onFreshRead(expectedVersion, async () => {
    const current = await repos.cases.require(caseId);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new PreconditionFailed(`Case '${caseId}' is at version ${current.version}, not ${expectedVersion}.`);
    }
    const next: Record<string, unknown> = { ...current };
    const changed: string[] = [];
    for (const field of PATCHABLE) {
      if (!(field in patch)) continue;
      const raw = patch[field];
      const value = field === 'priority' && raw ? normalizePriority(raw as PriorityInput) : raw;
      if ((current[field] ?? null) === (value ?? null)) continue;
      changed.push(field);
      if (value === null || value === undefined) delete next[field];
      else next[field] = value;
    }
    const toStage = patch.stage ?? current.stage;
    if (changed.length === 0 && toStage === current.stage) return { ...current, warnings: [] };
    if (toStage !== current.stage) assertStageTransition(current.stage, toStage);
    assertFrozenCaseChange(current.stage, patch.stage ?? undefined, changed);
    next.stage = toStage;
    let warnings: string[] = [];
    if (changed.includes('queue') || changed.includes('assignee')) {
      const queueId = next.queue as string | undefined;
      const assignment = assignCase(
        { queue: queueId, assignee: next.assignee as string | undefined },
        queueId ? await repos.queues.get(queueId) : undefined,
      );
      warnings = assignment.warnings;
      if (assignment.assignee == null) delete next.assignee;
    }
    assertClosedReason(next as unknown as StoredCase);
    const updated = { ...(next as unknown as StoredCase), version: current.version + 1, updatedAt: now(), updatedBy: actor };
    const carried = CARRIED_FIELDS.filter((f) => (current[f] ?? null) !== (updated[f] ?? null));
    const change: CaseVersion = { case: updated, expectedVersion: current.version, action: 'updated' };
    if (current.majorCase === 'accepted' && carried.length > 0) {
      await repos.cases.replaceWithCarried(change, { children: await carryToChildren(repos, updated, carried) });
    } else {
      await repos.cases.replace(change);
    }
    if (updated.stage !== current.stage && (updated.stage === 'resolved' || updated.stage === 'closed')) await closeAlertsWithCase(repos, caseId, actor);
    return { ...updated, warnings };
  });
}

export const noteFor = (caseId: string, text: string, author: Actor, createdAt: string): WorkNote => ({
  noteId: `note_${crypto.randomUUID().replace(/-/g, '')}`,
  caseId,
  text,
  author,
  createdAt,
});

/** Adds a work note; a note on an accepted major case is written on its open children too, in the same transaction. */
export async function addWorkNote(repos: Repositories, caseId: string, text: string, actor: Actor): Promise<WorkNote> {
  const c = await repos.cases.require(caseId);
  const at = now();
  const note = noteFor(caseId, text, actor, at);
  if (c.majorCase !== 'accepted') return repos.cases.addWorkNote(note);
  const children = (await repos.caseLists.children(caseId)).filter(followsMajorCase);
  await repos.cases.addWorkNotes([note, ...children.map((child) => noteFor(child.caseId, text, actor, at))]);
  return note;
}

/**
 * The new versions of a major case's open children after the major case
 * changed `fields`: each follows its priority, stage and closed reason.
 */
async function carryToChildren(repos: Repositories, major: StoredCase, fields: readonly (typeof CARRIED_FIELDS)[number][]): Promise<CaseVersion[]> {
  const children = (await repos.caseLists.children(major.caseId)).filter(followsMajorCase);
  return children.map((child) => {
    const next: Record<string, unknown> = { ...child, version: child.version + 1, updatedAt: major.updatedAt, updatedBy: major.updatedBy };
    for (const field of fields) {
      if (major[field] === undefined) delete next[field];
      else next[field] = major[field];
    }
    if (next.stage !== child.stage) assertStageTransition(child.stage, next.stage as Stage);
    return { case: next as unknown as StoredCase, expectedVersion: child.version, action: 'carried_from_major_case' };
  });
}


/**
 * A page of cases (SPEC §4), newest first by at most one filter's index, or
 * by their SLAs' breach, earliest first, when an SLA filter is given; each
 * with its SLAs in brief (the chips of the case list).
 */
export async function listCases(repos: Repositories, filters: CaseFilters, limit: number, cursor?: string) {
  const page = await repos.caseLists.list(filters, limit, cursor, now());
  const slas = await repos.caseSlas.getMany(page.items.map((c) => c.caseId));
  return { ...page, items: page.items.map((c, i) => ({ ...caseView(c), slas: (slas[i]?.slas ?? []).map(slaSummary) })) };
}

/** A case's work notes, a page at a time; 404 for a case that does not exist. */
export async function listWorkNotes(repos: Repositories, caseId: string, limit: number, cursor?: string) {
  await repos.cases.require(caseId);
  return repos.cases.listWorkNotes(caseId, limit, cursor);
}

/** A case's history (lib/usecases/history.ts); 404 for a case that does not exist. */
export const caseHistory = (repos: Repositories, caseId: string, read: HistoryRead) => readHistory(repos, { kind: 'case', id: caseId }, read, () => repos.cases.require(caseId));
