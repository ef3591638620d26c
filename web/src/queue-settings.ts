/**
 * A queue's form (members and how it hands out its cases, SPEC §2 "Work
 * assignment") as the console holds it, and the body `PUT /queues/{queueId}`
 * takes. A PUT replaces every setting, so the body always carries the whole
 * form, members too. Pure: web/src/queue-form.tsx draws it.
 */
import { OFFER_TIMEOUT_SECONDS } from '../../lib/domain/assignment.js';
import type { QueueBody } from './api.js';
import type { Queue } from '../../lib/contract/types.js';

export interface QueueValues {
  /** Members as typed: user names separated by commas or spaces. */
  members: string;
  assignment: Queue['assignment'];
  strategy: Queue['strategy'];
  /** Seconds, as typed. */
  offerTimeoutSeconds: string;
  /** Seconds, as typed; empty for none. */
  targetWaitSeconds: string;
  rejectReasons: { code: string; label: string; reassignable: boolean }[];
  onTimeout: Queue['onTimeout'];
}

/** A new queue's form: the API's defaults. */
export const emptyQueueValues = (): QueueValues => ({
  members: '',
  assignment: 'manual',
  strategy: 'most_capacity',
  offerTimeoutSeconds: String(OFFER_TIMEOUT_SECONDS.default),
  targetWaitSeconds: '',
  rejectReasons: [],
  onTimeout: 'away',
});

/** The form filled from a queue as the API sent it. */
export const queueValues = (q: Queue): QueueValues => ({
  members: q.members.join(', '),
  assignment: q.assignment,
  strategy: q.strategy,
  offerTimeoutSeconds: String(q.offerTimeoutSeconds),
  targetWaitSeconds: q.targetWaitSeconds === undefined ? '' : String(q.targetWaitSeconds),
  rejectReasons: q.rejectReasons.map((r) => ({ ...r })),
  onTimeout: q.onTimeout,
});

export const splitMembers = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** A number as typed: the number when it is one (the API says what is wrong with it), else the text, for the API to refuse by name. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/**
 * The whole body of `PUT /queues/{queueId}`: every setting, so nothing falls
 * back to a default unasked. A target wait left empty is none. Reasons keep
 * their order, so an error the API names (`rejectReasons.1.code`) is the
 * form's second row.
 */
export function queueBody(v: QueueValues): QueueBody {
  const timeout = numberOf(v.offerTimeoutSeconds);
  const target = numberOf(v.targetWaitSeconds);
  return {
    members: splitMembers(v.members),
    assignment: v.assignment,
    strategy: v.strategy,
    offerTimeoutSeconds: Number.isNaN(timeout) ? OFFER_TIMEOUT_SECONDS.default : timeout,
    ...(Number.isNaN(target) ? {} : { targetWaitSeconds: target }),
    rejectReasons: v.rejectReasons.map((r) => ({ code: r.code.trim(), label: r.label.trim(), reassignable: r.reassignable })),
    onTimeout: v.onTimeout,
  };
}
