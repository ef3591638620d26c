/** What changed between two versions of a record, as history `changes` (SPEC §2 History). */
import { canonicalJson } from './canonical.js';

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * Bookkeeping fields that every write touches; history shows what the user changed.
 * An alert's affected items (`impactAffected`) are summed up by its `impact`
 * field; `impactPending` is a refresh's bookkeeping.
 */
const IGNORED = new Set([
  'pk',
  'sk',
  'version',
  'updatedAt',
  'updatedBy',
  'lastAction',
  'warnings',
  'entity',
  'impactAffected',
  'impactPending',
  'writeToken',
  'occurrence',
  // a case's bookkeeping of its detections and of the alerts a write attached or detached (named by its history entry itself)
  'detectionIds',
  'changedAlerts',
]);

function isIndexKey(field: string): boolean {
  return /^gsi\d+(pk|sk)$/.test(field);
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Maps keyed by id whose entries are reported one by one (`affectedInstallBase.<itemId>`). */
const KEYED = new Set(['affectedInstallBase']);

export function diffRecords(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, prefix = ''): Change[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Change[] = [];
  for (const field of [...fields].sort()) {
    if (!prefix && (IGNORED.has(field) || isIndexKey(field))) continue;
    const from = before?.[field] ?? null;
    const to = after?.[field] ?? null;
    if (!prefix && KEYED.has(field)) {
      changes.push(...diffRecords((from ?? {}) as Record<string, unknown>, (to ?? {}) as Record<string, unknown>, `${field}.`));
    } else if (!same(from, to)) changes.push({ field: `${prefix}${field}`, from, to });
  }
  return changes;
}
