/** Closed-reason rules (SPEC §2): resolved and closed cases carry a reason; `other` carries text. */
import { Invalid, type FieldError } from './errors.js';
import { STAGES_NEEDING_REASON, type Stage } from './stage-transitions.js';

export const CLOSED_REASONS = [
  'already_mitigated',
  'false_positive',
  'low_risk',
  'rule_misconfiguration',
  'policy_or_setup',
  'other',
] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];

export const CLOSED_REASON_TEXT_MAX = 600;

export interface ClosingFields {
  stage: Stage;
  closedReason?: ClosedReason | null;
  closedReasonText?: string | null;
}

/** Errors for the resulting case state; empty when the state is valid. */
export function closedReasonErrors(state: ClosingFields): FieldError[] {
  if (!STAGES_NEEDING_REASON.includes(state.stage)) return [];
  if (!state.closedReason) {
    return [{ path: 'closedReason', message: `a case in stage '${state.stage}' needs a closedReason` }];
  }
  if (state.closedReason === 'other' && !state.closedReasonText) {
    return [{ path: 'closedReasonText', message: "closedReason 'other' needs closedReasonText (1-600 characters)" }];
  }
  return [];
}

export function assertClosedReason(state: ClosingFields): void {
  const errors = closedReasonErrors(state);
  if (errors.length > 0) throw new Invalid(errors[0].message, errors);
}
