/**
 * A step of a test that talks to the store directly, sent again while the
 * database answers it with `Unavailable` (a machine busy with another job),
 * as a client honouring a 503's Retry-After would: the test asserts on what
 * the store did, not on every attempt being answered in time.
 */
export async function whenTaken<T>(step: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if ((error as Error).name !== 'Unavailable' || attempt >= attempts) throw error;
      await new Promise((done) => setTimeout(done, 1000 + Math.random() * 1000));
    }
  }
}
