/**
 * Trying a database call again when the database did not answer in time, with
 * backoff, until a deadline: the one rule for the store's bulk and
 * transactional writes (what may be sent twice says each caller).
 */
import { clock } from '../clock.js';
import { sleep } from '../concurrency.js';
import { Unavailable } from '../domain/errors.js';

/** How long a call goes on trying by default: inside the API's 8 s for the database (SPEC §4). */
export const RETRY_BUDGET_MS = 6000;

/** Waits before try `attempt` (2, 3, …: 100 ms doubling to 2 s, with jitter), or says there is no time for it (`false`). */
export async function waitToRetry(attempt: number, deadline: number): Promise<boolean> {
  const wait = Math.min(2000, 50 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
  if (clock.now() + wait >= deadline) return false;
  await sleep(wait);
  return true;
}

/** `call`, tried again while it fails with `Unavailable` and `deadline` (epoch ms) leaves time; then its last failure. */
export async function untilDeadline<T>(deadline: number, call: () => Promise<T>): Promise<T> {
  for (let attempt = 2; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Unavailable) || !(await waitToRetry(attempt, deadline))) throw error;
    }
  }
}
