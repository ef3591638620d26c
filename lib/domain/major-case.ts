/** Major cases (SPEC §2 Automation): when a case may be proposed, accepted or rejected, and what carries to children. */
import { Conflict } from './errors.js';
import { caseItemsOf, newCaseId, SHORT_DESCRIPTION_MAX, type DraftCase, type MajorCaseState, type StoredCase } from './case.js';
import { SETTLED_STAGES, type Stage } from './stage-transitions.js';

export const DEFAULT_MAJOR_CASE_THRESHOLD = 2;
export const PROPOSABLE_STAGES: readonly Stage[] = ['new', 'open', 'awaiting_info'];
/** The fields of a major case its open children follow. */
export const CARRIED_FIELDS = ['priority', 'stage', 'closedReason', 'closedReasonText'] as const;

export function assertProposable(c: { number: string; stage: Stage; majorCase: MajorCaseState; parentCaseId?: string }, accounts: number, threshold: number): void {
  if (c.parentCaseId) throw new Conflict(`Case ${c.number} is a child of a major case and cannot be proposed itself.`);
  if (c.majorCase === 'proposed' || c.majorCase === 'accepted') {
    throw new Conflict(`Case ${c.number} is already ${c.majorCase === 'proposed' ? 'proposed as' : 'accepted as'} a major case.`, { majorCase: c.majorCase });
  }
  if (!PROPOSABLE_STAGES.includes(c.stage)) {
    throw new Conflict(`Case ${c.number} is in stage '${c.stage}'; only a case in ${PROPOSABLE_STAGES.join(', ')} can be proposed as a major case.`, {
      stage: c.stage,
    });
  }
  if (accounts < threshold) {
    throw new Conflict(
      `Case ${c.number}'s affected install base spans ${accounts} account(s); a major case needs at least ${threshold}.`,
      { accounts, threshold },
    );
  }
}

export function assertDecidable(c: { number: string; majorCase: MajorCaseState }, decision: 'accept' | 'reject'): void {
  if (c.majorCase === 'proposed') return;
  if (decision === 'accept' && c.majorCase === 'accepted') return; // accepting again completes missing children
  throw new Conflict(`Case ${c.number} is not proposed as a major case (it is '${c.majorCase}'); nothing to ${decision}.`, {
    majorCase: c.majorCase,
  });
}

/** A child that is resolved, closed or cancelled no longer follows its major case. */
export const followsMajorCase = (child: { stage: Stage }) => !SETTLED_STAGES.includes(child.stage);

/** The accounts a major case affects, each of which gets a child case when it is accepted. */
export const accountsOf = (c: StoredCase) => [...new Set(caseItemsOf(c).map((i) => i.accountId))].sort();

/**
 * The child case of an accepted major case for one of its accounts: the
 * account's affected items, the major case's priority, stage and closure,
 * and a description naming both.
 */
export function childCase(major: StoredCase, accountId: string, by: { at: string; actor: string }): DraftCase {
  const items = caseItemsOf(major).filter((i) => i.accountId === accountId);
  const accountName = items[0]?.accountName ?? accountId;
  return {
    caseId: newCaseId(),
    origin: major.origin,
    proactive: major.proactive,
    shortDescription: `${major.shortDescription} — ${accountName}`.slice(0, SHORT_DESCRIPTION_MAX),
    description: `Child of major case ${major.number} for account ${accountName}.`,
    priority: major.priority,
    stage: major.stage,
    ...(major.closedReason ? { closedReason: major.closedReason } : {}),
    ...(major.closedReasonText ? { closedReasonText: major.closedReasonText } : {}),
    accountId,
    alertCount: 0,
    affectedInstallBase: Object.fromEntries(items.map((i) => [i.installBaseItemId, i])),
    majorCase: 'none',
    parentCaseId: major.caseId,
    createdAt: by.at,
    updatedAt: by.at,
    createdBy: by.actor,
    updatedBy: by.actor,
    version: 1,
  };
}
