/** What changed between two versions of a record, as history `changes` (SPEC §2 History). */
import { canonicalJson } from './canonical.js';

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

/** Bookkeeping fields that every write touches; history shows what the user changed. */
const IGNORED = new Set(['pk', 'sk', 'version', 'updatedAt', 'updatedBy', 'lastAction', 'lastActor', 'warnings', 'entity']);

function isIndexKey(field: string): boolean {
  return /^gsi\d+(pk|sk)$/.test(field);
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function diffRecords(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Change[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Change[] = [];
  for (const field of [...fields].sort()) {
    if (IGNORED.has(field) || isIndexKey(field)) continue;
    const from = before?.[field] ?? null;
    const to = after?.[field] ?? null;
    if (!same(from, to)) changes.push({ field, from, to });
  }
  return changes;
}
