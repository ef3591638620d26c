/**
 * Trying a database call again when the database did not answer in time, with
 * backoff, until a deadline: the one rule for the store's bulk and
 * transactional writes (what may be sent twice says each caller).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Unavailable } from '../domain/errors.js';

/** How long a call goes on trying by default: inside the API's 8 s for the database (SPEC §4). */
export const RETRY_BUDGET_MS = 6000;

/** Backoff before try `attempt` (1, 2, …): exponential from 100 ms, at most 2 s, with jitter. */
export const backoff = (attempt: number) => Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);

/** Waits before try `attempt`, or says there is no time for it (`false`). */
export async function waitToRetry(attempt: number, deadline: number): Promise<boolean> {
  const wait = backoff(attempt);
  if (Date.now() + wait >= deadline) return false;
  await sleep(wait);
  return true;
}

/** `call`, tried again while it fails with `Unavailable` and `deadline` (epoch ms) leaves time; then its last failure. */
export async function untilDeadline<T>(deadline: number, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Unavailable) || !(await waitToRetry(attempt, deadline))) throw error;
    }
  }
}
