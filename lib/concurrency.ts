import { Unavailable } from './domain/errors.js';

/** Waits `ms` (the global timer: each `node:timers/promises` import is a line of its own in every bundle). */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items` with at most `limit` in flight, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * How many calls to a database may be in flight, adapting to how it copes
 * (additive increase, multiplicative decrease, as TCP does): a call it did not
 * answer in time (`Unavailable`) halves the limit, each call answered raises it
 * by one, up to `max`. A slow database then gets fewer calls at once instead
 * of more retries on top of the calls it is already failing to answer.
 */
export class Pace {
  private active = 0;

  constructor(
    private readonly max: number,
    private limit = max,
  ) {}

  /** `call` once fewer than the limit are in flight; its value or its error. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    while (this.active >= this.limit) await sleep(10);
    this.active += 1;
    try {
      const value = await call();
      this.limit = Math.min(this.max, this.limit + 1);
      return value;
    } catch (error) {
      if (error instanceof Unavailable) this.limit = Math.max(1, this.limit >> 1);
      throw error;
    } finally {
      this.active -= 1;
    }
  }
}
