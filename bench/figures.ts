/** How the bench sections turn measurements into figures, and send what a busy database did not take. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Unavailable } from '../lib/domain/errors.js';
import { RETRY_AFTER_SECONDS } from '../lib/http/problem.js';

/** Two decimals: what results.json keeps. */
export const round = (n: number) => Math.round(n * 100) / 100;

/** The `p`th percentile of `values` (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** How long a step goes on sending again what the service or the store was too busy to take. */
const BUSY_FOR_MS = 90_000;

/**
 * Runs `step` again after a pause while the database is behind, as a sender
 * honouring Retry-After does: the store's `Unavailable` thrown, or an answer
 * `busy` says is a 503. For setup steps, and for the measured steps whose
 * 503s are counted first. Gives up (the last answer, or the error) after 90 s.
 */
export async function whenTaken<T>(step: () => Promise<T>, busy: (value: T) => boolean = () => false): Promise<T> {
  const until = Date.now() + BUSY_FOR_MS;
  for (;;) {
    try {
      const value = await step();
      if (!busy(value) || Date.now() > until) return value;
    } catch (error) {
      if (!(error instanceof Unavailable) || Date.now() > until) throw error;
    }
    await sleep(RETRY_AFTER_SECONDS * 1000 * (0.5 + Math.random()));
  }
}

/**
 * Looks every second until `check` gives a value, a look the busy database
 * did not answer in time tried again; fails naming `what` after `timeoutMs`.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch((error: Error) => (error.name === 'Unavailable' ? undefined : Promise.reject(error)));
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

/**
 * A bench's seed (thousands of items in one batch write) may retry what the
 * database did not take for this long: a store call's own budget (6 s) is
 * for one request's few items, not for a whole seed on a slow machine.
 */
export const seedWrite = () => ({ deadline: Date.now() + 180_000 });
