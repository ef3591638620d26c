/**
 * A single write that happens at most once per delivery: with a delivery id
 * (an EventBridge event id), the write and a marker for that id go in one
 * transaction, so a duplicate delivery changes nothing and records nothing.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type PutCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Unavailable } from '../domain/errors.js';
import type { TransactItem } from './cases.js';
import { cancellationReasons, guard, tooLarge } from './errors.js';
import { IDEMPOTENCY_TTL_SECONDS } from './idempotency.js';
import { keys } from './keys.js';
import type { Store } from './store.js';

export type SingleWrite = { Put: PutCommandInput } | { Update: UpdateCommandInput };

/** The delivery was seen before: the write it carried has already been applied. */
export class DuplicateDelivery extends Error {}

function conditionFailed(): Error {
  const error = new Error('The conditional request failed');
  error.name = 'ConditionalCheckFailedException';
  return error;
}

/** Applies the write; returns the item as written (Put) or as updated (Update). */
export async function writeOnce(store: Store, write: SingleWrite, deliveryId?: string): Promise<Record<string, unknown>> {
  if (!deliveryId) {
    if ('Put' in write) {
      await guard(() => store.doc.send(new PutCommand(write.Put)));
      return write.Put.Item as Record<string, unknown>;
    }
    const out = await guard(() => store.doc.send(new UpdateCommand({ ...write.Update, ReturnValues: 'ALL_NEW' })));
    return out.Attributes!;
  }
  const now = Math.floor(Date.now() / 1000);
  const marker = {
    Put: {
      TableName: store.tableName,
      Item: {
        ...keys.idempotency(createHash('sha256').update(`delivery\u0000${deliveryId}`).digest('hex')),
        entity: 'idempotency',
        status: 'COMPLETED',
        deliveryId,
        expiresAt: now + IDEMPOTENCY_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': now },
    },
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      await guard(() => store.doc.send(new TransactWriteCommand({ TransactItems: [write as TransactItem, marker] })));
      break;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons.some((r) => r.code === 'ValidationError')) throw tooLarge();
      if (reasons[1]?.code === 'ConditionalCheckFailed') throw new DuplicateDelivery(`Delivery ${deliveryId} was already applied.`);
      if (reasons[0]?.code === 'ConditionalCheckFailed') throw conditionFailed();
      if (attempt === 5) throw new Unavailable('The write kept conflicting with others; retry shortly.');
      await sleep(10 * attempt + Math.random() * 20);
    }
  }
  const key = 'Put' in write ? { pk: write.Put.Item!.pk, sk: write.Put.Item!.sk } : write.Update.Key!;
  const out = await guard(() => store.doc.send(new GetCommand({ TableName: store.tableName, Key: key, ConsistentRead: true })));
  return out.Item!;
}
