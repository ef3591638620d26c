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
  changes: Change[];
}

export interface HistoryWrite extends HistoryEntry {
  owner: { kind: 'alert' | 'case'; id: string };
  /** Unique per change of the owner: the record version, or the work note id. */
  changeId: string;
}

type Image = Record<string, unknown>;

export function historyWriteFor(oldImage: Image | undefined, newImage: Image | undefined): HistoryWrite | undefined {
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
  return {
    owner: { kind: entity, id: String(entity === 'alert' ? newImage.alertId : newImage.caseId) },
    changeId: `v${String(version).padStart(8, '0')}`,
    at: String(newImage.updatedAt),
    actor: String(newImage.updatedBy),
    action: String(newImage.lastAction ?? (oldImage ? 'updated' : 'created')),
    changes: diffRecords(oldImage, newImage),
  };
}
