/**
 * Recording a delivery: EventBridge delivers an event at least once, so a write
 * caused by an event goes in one transaction with a marker for the event's
 * id. A delivery seen before changes nothing and records nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { IDEMPOTENCY_TTL_SECONDS } from '../domain/idempotency.js';
import { Unavailable } from '../domain/errors.js';
import type { Db } from './entities.js';
import { cancellation, commit, conditionFailed, type Transaction } from './transactions.js';
import { absentOrExpired } from './idempotency.js';

export type DeliveryOutcome = 'applied' | 'condition_failed' | 'already_delivered';

/** Applies `write` unless this delivery was applied before; a write whose own condition fails writes nothing. */
export async function applyOnce(db: Db, write: Transaction, deliveryId: string): Promise<DeliveryOutcome> {
  const now = Date.now();
  const marker = db.delivery
    .build(PutTransaction)
    .item({ deliveryId, expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS })
    .options({ condition: absentOrExpired('deliveryId', now) });
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      await commit([write, marker]);
      return 'applied';
    } catch (error) {
      const outcomes = cancellation(error, [write, marker]);
      if (!outcomes) throw error;
      if (conditionFailed(outcomes[1])) return 'already_delivered';
      if (conditionFailed(outcomes[0])) return 'condition_failed';
      // Another transaction held one of the items (a simultaneous delivery): try again.
      await sleep(10 * attempt + Math.random() * 20);
    }
  }
  throw new Unavailable('The write kept conflicting with others; retry shortly.');
}
