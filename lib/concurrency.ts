import { Unavailable } from './domain/errors.js';

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
  private limit: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    this.limit = max;
  }

  /** Runs `call` when a slot is free: its value, or `ok: false` when the database did not answer in time. */
  async run<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    while (this.active >= this.limit) await new Promise<void>((wake) => this.waiting.push(wake));
    this.active += 1;
    try {
      const value = await call();
      this.limit = Math.min(this.max, this.limit + 1);
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      return { ok: false };
    } finally {
      this.active -= 1;
      // Wake as many as may now run; the others wait again.
      for (let free = this.limit - this.active; free > 0 && this.waiting.length > 0; free--) this.waiting.shift()!();
    }
  }
}
