/**
 * The timer sweep (SPEC §7 "Assignment and timers"): what is due on the
 * timer index fires, offers and SLAs alike. Each firing is a write over the
 * version read, so sweeps at once fire each timer once; a timer the index
 * still lists after it moved on is passed over.
 */
import { expireOffers } from './assignment.js';
import type { Repositories } from './context.js';
import { now } from './context.js';
import { fireDueSlas } from './slas.js';

/** Offers timed out and cases whose SLAs fired, in one sweep. */
export interface Swept {
  offers: number;
  slas: number;
}

/** Fires what is due at `at`: the earliest `perShard` of each timer shard. */
export async function sweepTimers(repos: Repositories, at = now(), perShard = 50): Promise<Swept> {
  const due = await repos.timers.due(at, perShard);
  const [offers, slas] = await Promise.all([expireOffers(repos, due.offers, at), fireDueSlas(repos, due.slas, at)]);
  return { offers, slas };
}
