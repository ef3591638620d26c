/** Major cases (SPEC §2 Automation): when a case may be proposed, accepted or rejected, and what carries to children. */
import { Conflict } from './errors.js';
import type { MajorCaseState } from './case.js';
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
