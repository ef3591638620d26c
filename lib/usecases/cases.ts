/** Creating (manually or from an alert), reading, changing cases and their work notes (SPEC §2 Case, §4). */
import type { AffectedItem } from '../domain/install-base.js';
import { CASE_INPUT_FIELDS, CASE_NUMBER_PATTERN, type Case, type CaseInput, type CaseOrigin, type StoredCase } from '../domain/case.js';
import { assertClosedReason } from '../domain/closed-reason.js';
import { Conflict, NotFound, PreconditionFailed } from '../domain/errors.js';
import { normalizePriority, type PriorityInput } from '../domain/priority.js';
import { CARRIED_FIELDS, followsMajorCase } from '../domain/major-case.js';
import { assignCase } from '../domain/queue-rules.js';
import { assertFrozenCaseChange, assertStageTransition, type Stage } from '../domain/stage-transitions.js';
import type { CaseVersion, Creation, WorkNote } from '../store/cases.js';
import { closeAlertsWithCase } from './case-sync.js';
import type { Actor, Idempotent, OrReplay, Repositories } from './context.js';
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

/** A creation's outcome as the caller sees it: the case, a replay, or a 409 naming the case the alert already has. */
function settle(alertId: string | undefined, outcome: Creation): OrReplay<Case> {
  if (outcome.kind === 'replayed') return { replay: outcome.response };
  if (outcome.kind === 'already_converted') {
    metrics.addMetric('ConversionsRefused', MetricUnit.Count, 1);
    throw new Conflict(`Alert '${alertId}' is already converted to case ${outcome.caseNumber}.`, {
      caseId: outcome.caseId,
      caseNumber: outcome.caseNumber,
    });
  }
  // Only a grouping conversion (playbooks.ts) names a group; it reads this outcome itself.
  if (outcome.kind === 'group_taken') throw new Conflict('The group already has a case.');
  countCaseCreated(outcome.case.origin);
  return { result: outcome.case };
}

/**
 * Converts an alert into a case: one read round trip, then one transaction that
 * takes a number, creates the case and links the alert only if it has no case
 * yet. Every loser of a race gets a 409 naming the case that won.
 */
export async function convertAlertToCase(
  repos: Repositories,
  alertId: string,
  input: CaseInput,
  actor: Actor,
  options: {
    origin?: CaseOrigin;
    idempotency?: Idempotent<Case>;
    /** Items to attach instead of the alert's whole affected install base (the proactive rule: external only). */
    attach?: AffectedItem[];
  } = {},
): Promise<OrReplay<Case>> {
  const outcome = await repos.cases.convertAlert({
    alertId,
    input,
    origin: options.origin ?? 'alert',
    actor,
    attach: options.attach,
    idempotency: options.idempotency,
  });
  return settle(alertId, outcome);
}

/** A case not tied to an alert (POST /cases). */
export async function createManualCase(
  repos: Repositories,
  input: CaseInput,
  actor: Actor,
  options: { idempotency?: Idempotent<Case> } = {},
): Promise<OrReplay<Case>> {
  return settle(undefined, await repos.cases.create({ input, actor, idempotency: options.idempotency }));
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
  const children = (await repos.cases.children(caseId)).filter(followsMajorCase);
  await repos.cases.addWorkNotes([note, ...children.map((child) => noteFor(child.caseId, text, actor, at))]);
  return note;
}

/**
 * The new versions of a major case's open children after the major case
 * changed `fields`: each follows its priority, stage and closed reason.
 */
async function carryToChildren(repos: Repositories, major: StoredCase, fields: readonly (typeof CARRIED_FIELDS)[number][]): Promise<CaseVersion[]> {
  const children = (await repos.cases.children(major.caseId)).filter(followsMajorCase);
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

