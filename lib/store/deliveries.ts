/**
 * Recording a delivery: EventBridge delivers an event at least once, so a write
 * caused by an event goes in one transaction with a marker for the event's
 * id. A delivery seen before changes nothing and records nothing.
 */
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { IDEMPOTENCY_TTL_SECONDS } from '../domain/idempotency.js';
import type { Db } from './entities.js';
import { commitUnlessRefused, conditionFailed, type Transaction } from './transactions.js';
import { absentOrExpired } from './idempotency.js';

export type DeliveryOutcome = 'applied' | 'condition_failed' | 'already_delivered';

/** Applies `write` unless this delivery was applied before; a write whose own condition fails writes nothing. */
export async function applyOnce(db: Db, write: Transaction, deliveryId: string): Promise<DeliveryOutcome> {
  const now = Date.now();
  const marker = db.delivery
    .build(PutTransaction)
    .item({ deliveryId, expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS })
    .options({ condition: absentOrExpired('deliveryId', now) });
  const outcomes = await commitUnlessRefused([write, marker], 5);
  if (!outcomes) return 'applied';
  return conditionFailed(outcomes[1]) ? 'already_delivered' : 'condition_failed';
}
