/** A change of a case that lost a race to another writer, made again on a fresh read. */
import { PreconditionFailed } from '../domain/errors.js';

/** Attempts in all at a read-change-write whose write another writer got to first. */
export const FRESH_READ_ATTEMPTS = 3;

/**
 * Runs `attempt` (read the record, change it, write it) and runs it again,
 * from a fresh read, when its write finds that another writer got there first
 * (PreconditionFailed), up to FRESH_READ_ATTEMPTS in all. A client that named
 * the version it read (If-Match: `expectedVersion`) gets the 412 instead: it
 * asked to change that version, not whatever came after it.
 */
export async function onFreshRead<T>(expectedVersion: number | undefined, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof PreconditionFailed) || expectedVersion !== undefined || n >= FRESH_READ_ATTEMPTS) throw error;
    }
  }
}
