/** What changed between two versions of a record, as history `changes` (SPEC §2 History). */
import { canonicalJson } from './canonical.js';

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * Bookkeeping fields that every write touches; history shows what the user changed.
 * Records come as the domain knows them, without the table's keys (RecordChange).
 * An alert's affected items (`impactAffected`) are summed up by its `impact`
 * field; `impactPending` is a refresh's bookkeeping.
 */
const IGNORED = new Set([
  'version',
  'updatedAt',
  'updatedBy',
  'lastAction',
  'warnings',
  'impactAffected',
  'impactPending',
  'writeToken',
  'occurrence',
  // a case's bookkeeping of its detections and of the alerts a write attached or detached (named by its history entry itself)
  'detectionIds',
  'changedAlerts',
]);

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Maps keyed by id whose entries are reported one by one (`affectedInstallBase.<itemId>`). */
const KEYED = new Set(['affectedInstallBase']);

type Fields = Record<string, unknown>;

/** The fields that differ between two versions of a record (either absent: every field from or to null). */
export function diffRecords(before: object | undefined, after: object | undefined, prefix = ''): Change[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Change[] = [];
  for (const field of [...fields].sort()) {
    if (!prefix && IGNORED.has(field)) continue;
    const from = (before as Fields | undefined)?.[field] ?? null;
    const to = (after as Fields | undefined)?.[field] ?? null;
    if (!prefix && KEYED.has(field)) {
      changes.push(...diffRecords((from ?? {}) as Fields, (to ?? {}) as Fields, `${field}.`));
    } else if (!same(from, to)) changes.push({ field: `${prefix}${field}`, from, to });
  }
  return changes;
}
