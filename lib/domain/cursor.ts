/**
 * Cursors, one encoding for every paged answer (the queried lists, the lists
 * read whole, the playbook dry run): a JSON object in base64url, opaque to
 * clients. A cursor the answer did not hand out is a 400 naming `cursor`
 * (`Invalid`), never a database error: each reader says what it accepts.
 */
import { Invalid } from './errors.js';

/** A cursor is base64url, at most this long (the query string limit is the caller's; this is ours). */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,2048}$/;

/** The one answer to a cursor that `what` did not hand out: a 400 naming `cursor`. */
export const invalidCursor = (what = 'list') => new Invalid(`The cursor is not one this ${what} returned.`, [{ path: 'cursor', message: 'invalid cursor' }]);

/** A cursor holding `fields`. */
export const encodeCursor = (fields: Readonly<Record<string, unknown>>): string => Buffer.from(JSON.stringify(fields)).toString('base64url');

/**
 * What a cursor holds, as `read` takes it from the cursor's fields (none when
 * it is not an object); `read` answers undefined for fields it refuses.
 * Anything refused, or not a cursor at all, is `invalidCursor(what)`.
 */
export function decodeCursor<T>(cursor: string, read: (fields: Readonly<Record<string, unknown>>) => T | undefined, what = 'list'): T {
  if (!CURSOR_PATTERN.test(cursor)) throw invalidCursor(what);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(what);
  }
  const fields = typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded) ? (decoded as Record<string, unknown>) : {};
  const value = read(fields);
  if (value === undefined) throw invalidCursor(what);
  return value;
}
