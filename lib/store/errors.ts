/** Turns SDK failures into domain errors, so no SDK error reaches a client. */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Invalid, Unavailable } from '../domain/errors.js';

const UNAVAILABLE = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  // A write that met a transaction on the same item, and a transaction's token sent again while the first is running.
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

type Marshalled = Parameters<typeof unmarshall>[0];

/** The item a failed condition saw (`returnValuesOnConditionFalse: 'ALL_OLD'`); SDK errors carry it unconverted. */
export function conditionFailureItem(error: unknown): Record<string, unknown> | undefined {
  const item = (error as { Item?: Marshalled }).Item;
  return item ? unmarshall(item) : undefined;
}

export const tooLarge = () =>
  new Invalid('The record would exceed the size the database stores in one item (400 KB); send less.', [
    { path: '(body)', message: 'too large to store' },
  ]);

/** Wraps a store call: throttling, timeouts and refused connections become `Unavailable` (503). */
export async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (e?.name === 'ValidationException' && /item size|exceeded the maximum/i.test(e.message ?? '')) throw tooLarge();
    if (UNAVAILABLE.has(e?.name ?? '') || UNAVAILABLE.has(e?.code ?? '') || (e?.$metadata?.httpStatusCode ?? 0) >= 500) {
      throw new Unavailable('The database did not answer in time; retry shortly.');
    }
    throw error;
  }
}
