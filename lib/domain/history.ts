/**
 * History entries from record changes (SPEC §2 History). Pure: the Streams
 * handler feeds it the old and new images of a change; the entry's `changeId`
 * is derived from the change itself, so a retried batch yields the same key.
 */
import { diffRecords, type Change } from './history-diff.js';

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

type Image = Record<string, unknown>;

/** Changes of an attached alert that its case's history follows (SPEC §2 "Follow"): a repeat, an acknowledgement or other state change, a clear. */
const FOLLOWED_ALERT_ACTIONS = new Set(['repeated', 'updated', 'cleared', 'closed_with_case']);
/** Changes of a case's alerts: the alerts the write attached or detached are named (`changedAlerts`). */
const ALERT_MEMBERSHIP_ACTIONS = new Set(['alert_attached', 'alert_detached']);

/**
 * The history entries a record change makes: one on the record's owner, and
 * for a followed change of an attached alert, an `alert_updated` entry on
 * its case, named by the alert and its version.
 */
export function historyWritesFor(oldImage: Image | undefined, newImage: Image | undefined): HistoryWrite[] {
  const own = historyWriteFor(oldImage, newImage);
  if (!own) return [];
  const caseId = newImage?.caseId;
  if (own.owner.kind !== 'alert' || !caseId || oldImage?.caseId !== caseId || !FOLLOWED_ALERT_ACTIONS.has(own.action)) return [own];
  return [
    own,
    {
      owner: { kind: 'case', id: String(caseId) },
      changeId: `alert-${own.owner.id}-${own.changeId}`,
      at: own.at,
      actor: own.actor,
      action: 'alert_updated',
      alertId: own.owner.id,
      changes: own.changes,
    },
  ];
}

function historyWriteFor(oldImage: Image | undefined, newImage: Image | undefined): HistoryWrite | undefined {
  if (!newImage) return undefined; // records are never deleted through the API; removals carry no history
  const entity = newImage.entity;
  if (entity === 'note') {
    if (oldImage) return undefined; // notes are append-only
    return {
      owner: { kind: 'case', id: String(newImage.caseId) },
      changeId: `note-${String(newImage.noteId)}`,
      at: String(newImage.createdAt),
      actor: String(newImage.author),
      action: 'work_note',
      changes: [{ field: 'workNote', from: null, to: newImage.text }],
    };
  }
  if (entity !== 'alert' && entity !== 'case') return undefined;
  const version = Number(newImage.version);
  if (oldImage && Number(oldImage.version) === version) return undefined; // not a change of the record itself
  const action = String(newImage.lastAction ?? (oldImage ? 'updated' : 'created'));
  const changes = diffRecords(oldImage, newImage);
  if (entity === 'case' && ALERT_MEMBERSHIP_ACTIONS.has(action)) {
    const alerts = (newImage.changedAlerts ?? []) as string[];
    changes.unshift(action === 'alert_attached' ? { field: 'alerts', from: null, to: alerts } : { field: 'alerts', from: alerts, to: null });
  }
  return {
    owner: { kind: entity, id: String(entity === 'alert' ? newImage.alertId : newImage.caseId) },
    changeId: `v${String(version).padStart(8, '0')}`,
    at: String(newImage.updatedAt),
    actor: String(newImage.updatedBy),
    action,
    changes,
  };
}
