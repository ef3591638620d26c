/** Proposing, accepting and rejecting major cases (SPEC §2 Automation). */
import type { StoredCase } from '../domain/case.js';
import { accountsOf, assertDecidable, assertProposable, childCase, DEFAULT_MAJOR_CASE_THRESHOLD } from '../domain/major-case.js';
import { PreconditionFailed } from '../domain/errors.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';
import { onFreshRead } from './retry.js';
import { createCase, noteFor } from './cases.js';

export const thresholdFromEnv = () => Number(process.env.MAJOR_CASE_ACCOUNT_THRESHOLD) || DEFAULT_MAJOR_CASE_THRESHOLD;

/** Moves the case to a major-case state, with a work note when there is something to say. */
async function decide(repos: Repositories, c: StoredCase, state: StoredCase['majorCase'], action: string, actor: Actor, noteText?: string) {
  const at = now();
  const next: StoredCase = { ...c, majorCase: state, version: c.version + 1, updatedAt: at, updatedBy: actor };
  await repos.cases.replaceWithCarried(
    { case: next, expectedVersion: c.version, action },
    { notes: noteText ? [noteFor(c.caseId, noteText, actor, at)] : [] },
  );
  return next;
}

/** If-Match: the case must still be at the version the client read. */
export function assertVersion(c: { caseId: string; version: number }, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && c.version !== expectedVersion) {
    throw new PreconditionFailed(`Case '${c.caseId}' is at version ${c.version}, not ${expectedVersion}.`);
  }
}

export async function proposeMajorCase(
  repos: Repositories,
  caseId: string,
  reason: string | undefined,
  actor: Actor,
  expectedVersion?: number,
  threshold = thresholdFromEnv(),
) {
  const c = await repos.cases.require(caseId);
  assertVersion(c, expectedVersion);
  assertProposable(c, accountsOf(c).length, threshold);
  return decide(repos, c, 'proposed', 'major_case_proposed', actor, reason ? `Proposed as a major case: ${reason}` : undefined);
}

export async function rejectMajorCase(repos: Repositories, caseId: string, reason: string, actor: Actor, expectedVersion?: number) {
  const c = await repos.cases.require(caseId);
  assertVersion(c, expectedVersion);
  assertDecidable(c, 'reject');
  return decide(repos, c, 'rejected', 'major_case_rejected', actor, `Major case rejected: ${reason}`);
}

/**
 * Accepts the major case and opens one child case per affected account. A
 * guard item per (major case, account) makes each child exist once: accepting
 * again (after a failure half-way) creates only the missing ones.
 */
export async function acceptMajorCase(repos: Repositories, caseId: string, actor: Actor, expectedVersion?: number) {
  const read = await repos.cases.require(caseId);
  assertVersion(read, expectedVersion);
  // If-Match holds the first read alone. Someone else may change the case after it (perhaps accepting it too): read it again and go on from there.
  const c = await onFreshRead(undefined, async (attempt) => {
    const current = attempt === 1 ? read : await repos.cases.require(caseId);
    if (current.majorCase === 'accepted') return current;
    assertDecidable(current, 'accept');
    return decide(repos, current, 'accepted', 'major_case_accepted', actor);
  });
  for (const accountId of accountsOf(c)) await createChild(repos, c, accountId, actor);
  return c;
}

/** Opens the child of a major case for one account, once: a second accept (or one after a failure half-way) finds it there. */
async function createChild(repos: Repositories, major: StoredCase, accountId: string, actor: Actor): Promise<void> {
  await createCase(repos, (at) => ({ draft: childCase(major, accountId, { at, actor }), action: 'created_from_major_case', at, actor, childOf: { majorCaseId: major.caseId, accountId } }));
}
