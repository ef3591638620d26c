/**
 * History entries from record changes (SPEC §2 History). Pure: the Streams
 * handler feeds it each record's change (RecordChange); the entry's `changeId`
 * is derived from the change itself, so a retried batch yields the same key.
 */
import { diffRecords, type Change } from './history-diff.js';
import { BREACH_PERCENT, newFirings } from './sla.js';
import type { RecordChange } from './stream-image.js';

/** The orders a history is read in. */
export const HISTORY_ORDERS = ['oldest', 'newest'] as const;
export type HistoryOrder = (typeof HISTORY_ORDERS)[number];

export interface HistoryEntry {
  at: string;
  actor: string;
  action: string;
  /** On a case's `alert_updated` entry: the attached alert that changed. */
  alertId?: string;
  changes: Change[];
}

export interface HistoryWrite extends HistoryEntry {
  owner: { kind: 'alert' | 'case'; id: string };
  /** Unique per change of the owner: the record version, or the work note id. */
  changeId: string;
}

/** Changes of an attached alert that its case's history follows (SPEC §2 "Follow"): a repeat, an acknowledgement or other state change, a clear. */
const FOLLOWED_ALERT_ACTIONS = new Set(['repeated', 'updated', 'cleared', 'closed_with_case']);
/** Changes of a case's alerts: the alerts the write attached or detached are named (`changedAlerts`). */
const ALERT_MEMBERSHIP_ACTIONS = new Set(['alert_attached', 'alert_detached']);

/**
 * The history entries a record change makes: one on the record's owner, and
 * for a followed change of an attached alert, an `alert_updated` entry on
 * its case, named by the alert and its version.
 */
export function historyWritesFor(change: RecordChange): HistoryWrite[] {
  if (change.kind === 'caseslas') return slaHistoryWrites(change);
  const own = historyWriteFor(change);
  if (!own) return [];
  if (change.kind !== 'alert') return [own];
  const caseId = change.after?.caseId;
  if (!caseId || change.before?.caseId !== caseId || !FOLLOWED_ALERT_ACTIONS.has(own.action)) return [own];
  return [
    own,
    {
      owner: { kind: 'case', id: caseId },
      changeId: `alert-${own.owner.id}-${own.changeId}`,
      at: own.at,
      actor: own.actor,
      action: 'alert_updated',
      alertId: own.owner.id,
      changes: own.changes,
    },
  ];
}

/**
 * The warnings and breaches a change of a case's SLAs fired, one entry each
 * on the case (actor `schedule`), keyed by the SLA's run and threshold.
 */
export function slaHistoryWrites(change: RecordChange): HistoryWrite[] {
  if (change.kind !== 'caseslas' || !change.after) return [];
  return newFirings(change.before?.slas ?? [], change.after.slas).map(({ task, firing }) => ({
    owner: { kind: 'case', id: change.after!.caseId },
    changeId: `sla-${task.slaId}-${task.startedAt}-${firing.percent}`,
    at: firing.at,
    actor: 'schedule',
    action: firing.percent === BREACH_PERCENT ? 'sla_breached' : 'sla_warning',
    changes: [{ field: 'sla', from: null, to: { slaId: task.slaId, name: task.name, kind: task.kind, percent: firing.percent, breachAt: task.breachAt } }],
  }));
}

function historyWriteFor(change: RecordChange): HistoryWrite | undefined {
  // Records are never deleted through the API (removals carry no history); work items, agents and queues keep none here.
  if ((change.kind !== 'alert' && change.kind !== 'case' && change.kind !== 'note') || !change.after) return undefined;
  if (change.kind === 'note') {
    if (change.before) return undefined; // notes are append-only
    const note = change.after;
    return {
      owner: { kind: 'case', id: note.caseId },
      changeId: `note-${note.noteId}`,
      at: note.createdAt,
      actor: note.author,
      action: 'work_note',
      changes: [{ field: 'workNote', from: null, to: note.text }],
    };
  }
  const { before, after } = change;
  const version = after.version;
  if (before && before.version === version) return undefined; // not a change of the record itself
  const action = after.lastAction ?? (before ? 'updated' : 'created');
  const changes = diffRecords(before, after);
  if (change.kind === 'case' && ALERT_MEMBERSHIP_ACTIONS.has(action)) {
    const alerts = change.after.changedAlerts ?? [];
    changes.unshift(action === 'alert_attached' ? { field: 'alerts', from: null, to: alerts } : { field: 'alerts', from: alerts, to: null });
  }
  return {
    owner: { kind: change.kind, id: change.kind === 'alert' ? change.after.alertId : change.after.caseId },
    changeId: `v${String(version).padStart(8, '0')}`,
    at: after.updatedAt,
    actor: after.updatedBy,
    action,
    changes,
  };
}
