/** The case stage transition table of SPEC §2, in one place. */
import { Conflict } from './errors.js';

export const STAGES = ['new', 'open', 'in_progress', 'awaiting_info', 'resolved', 'closed', 'cancelled'] as const;
export type Stage = (typeof STAGES)[number];

/** Stages in which a case is being worked: not yet resolved, closed or cancelled. */
export const WORKING_STAGES: readonly Stage[] = ['new', 'open', 'in_progress', 'awaiting_info'];
const WORKING = WORKING_STAGES;

export const STAGE_TRANSITIONS: Record<Stage, readonly Stage[]> = {
  new: [...WORKING, 'resolved', 'closed', 'cancelled'],
  open: [...WORKING, 'resolved', 'closed', 'cancelled'],
  in_progress: [...WORKING, 'resolved', 'closed', 'cancelled'],
  awaiting_info: [...WORKING, 'resolved', 'closed', 'cancelled'],
  resolved: ['closed', 'open'],
  closed: ['open'],
  cancelled: ['open'],
};

/** Stages whose cases take no change but a reopen. */
export const FROZEN_STAGES: readonly Stage[] = ['closed', 'cancelled'];

/** Stages past working: resolved, or frozen. */
export const SETTLED_STAGES: readonly Stage[] = ['resolved', ...FROZEN_STAGES];

/** Whether a case in this stage takes no change but a reopen (closed or cancelled). */
export const isFrozen = (stage: Stage) => FROZEN_STAGES.includes(stage);

/** Stages that need a closed reason. */
export const STAGES_NEEDING_REASON: readonly Stage[] = ['resolved', 'closed'];

export function canMoveStage(from: Stage, to: Stage): boolean {
  return from === to || STAGE_TRANSITIONS[from].includes(to);
}

export function assertStageTransition(from: Stage, to: Stage): void {
  if (!canMoveStage(from, to)) {
    throw new Conflict(`A case cannot move from stage '${from}' to stage '${to}'.`, { from, to });
  }
}

/**
 * A closed or cancelled case only reopens, and the reopen changes nothing else.
 * `changedFields` are the fields the request would change (stage excluded).
 */
export function assertFrozenCaseChange(from: Stage, to: Stage | undefined, changedFields: string[]): void {
  if (!FROZEN_STAGES.includes(from)) return;
  if (to !== 'open') {
    throw new Conflict(
      `A ${from} case can only be reopened (stage '${from}' to 'open'); requested stage '${to ?? from}'.`,
      { from, to: to ?? from },
    );
  }
  if (changedFields.length > 0) {
    throw new Conflict(`Reopening a ${from} case changes no other field; the request also changes: ${changedFields.join(', ')}.`, {
      from,
      to,
      fields: changedFields,
    });
  }
}
