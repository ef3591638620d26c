/**
 * A change of a stored record, as the table's stream reports it: which kind of
 * record, and the record before and after the write, as the domain knows it
 * (no table keys, index keys or entity attribute; lib/store/stream-image.ts
 * decodes a stream record into one). History (history.ts) and the events this
 * service publishes (lib/events/changes.ts) are derived from these.
 */
import type { TaskSla } from './sla.js';
import type { Alert } from './alert.js';
import type { StoredCase } from './case.js';
import type { Agent, WorkItemRecord } from './assignment.js';
import type { Queue } from './queue-rules.js';

/** What an alert's `impact` holds: the summary of its current impact generation. */
export interface AlertImpactSummary {
  generation?: string;
  refreshedAt?: string;
  truncated?: boolean;
  digest?: string;
  impactedCis?: number;
  affectedAccounts?: number;
  affectedItems?: number;
  affectedItemsTruncated?: boolean;
}

/** The write behind a record version: what it did (`lastAction`), beside who and when (`updatedBy`, `updatedAt`). */
interface WriteBookkeeping {
  lastAction?: string;
}

/** An alert as stored: the alert, its impact, and the bookkeeping of the writes that made it. */
export interface AlertRecord extends Omit<Alert, 'links'>, WriteBookkeeping {
  impact?: AlertImpactSummary;
  impactAffected?: unknown;
  impactPending?: string;
  occurrence?: string;
  writeToken?: string;
}

/** A case as stored, with the bookkeeping of the writes that made it. */
export interface CaseRecord extends StoredCase, WriteBookkeeping {
  detectionIds?: Set<string>;
  /** The alerts the write that made this version attached or detached. */
  changedAlerts?: string[];
}

/** A work note on a case (append-only). */
export interface WorkNoteRecord {
  caseId: string;
  createdAt: string;
  noteId: string;
  text: string;
  author: string;
}

/**
 * One record's change: `before` is absent for a new record, `after` for a
 * removed one. `other` is every other item of the table (history entries,
 * idempotency records, counters...), which neither history nor events follow.
 */
export type RecordChange =
  | { kind: 'alert'; before?: AlertRecord; after?: AlertRecord }
  | { kind: 'case'; before?: CaseRecord; after?: CaseRecord }
  | { kind: 'note'; before?: WorkNoteRecord; after?: WorkNoteRecord }
  | { kind: 'workitem'; before?: WorkItemRecord; after?: WorkItemRecord }
  | { kind: 'agent'; before?: AgentRecord; after?: AgentRecord }
  | { kind: 'queue'; before?: QueueRecord; after?: QueueRecord }
  | { kind: 'caseslas'; before?: CaseSlasRecord; after?: CaseSlasRecord }
  | { kind: 'other' };

/** A case's task SLAs as stored (lib/store/slas.ts). */
export interface CaseSlasRecord {
  caseId: string;
  caseVersion: number;
  slas: TaskSla[];
  version: number;
  /** The case's queue, priority and source as of the version followed (absent on items written before they were copied). */
  queue?: string;
  priority?: string;
  source?: string;
}

export type { WorkItemRecord };
/** A queue as stored: settings left at their defaults may be absent (queues written before assignment). */
export type QueueRecord = Partial<Queue> & { queueId: string; updatedAt?: string; updatedBy?: string };
/** An agent as stored: what they hold is a set. */
export type AgentRecord = Omit<Agent, 'holding'> & { holding?: Set<string> };

export type RecordKind = RecordChange['kind'];
