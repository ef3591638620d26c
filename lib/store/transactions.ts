/** Committing toolbox transactions, and reading why one was cancelled, item by item. */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  execute,
  isTransactionCancelled,
  type ExecuteTransactWriteInput,
  type ExecuteTransactWriteOptions,
} from 'dynamodb-toolbox/entity/actions/transactWrite';
import { sleep } from '../concurrency.js';
import { Unavailable } from '../domain/errors.js';
import { guard, tooLarge } from './errors.js';
import { untilDeadline } from './retry.js';

/** A PutTransaction, UpdateTransaction, DeleteTransaction or ConditionCheck of any entity. */
export type Transaction = Exclude<ExecuteTransactWriteInput[number], ExecuteTransactWriteOptions>;

/** Why each item of a cancelled transaction failed, in the order of its items, with the item as it was (formatted by its entity). */
export interface ItemOutcome {
  code: string;
  item?: Record<string, unknown>;
}

/**
 * Writes all of `transactions` or none (one TransactWriteItems, at most 100
 * items). With `requestToken`, an SDK retry of a transaction that did commit
 * (its answer lost) is answered as committed instead of refused.
 */
export async function commit(transactions: Transaction[], requestToken?: string): Promise<void> {
  await guard(() => (requestToken ? execute({ clientRequestToken: requestToken }, ...transactions) : execute(...transactions)));
}

/**
 * Commits under one client request token, sending it again while the database
 * does not answer in time and `deadline` (epoch ms) leaves time: a repeat of
 * a transaction that did commit is answered as committed (for 10 minutes), so
 * it is never written twice. A cancellation is thrown at once, as by `commit`.
 */
export async function commitOnce(transactions: Transaction[], deadline: number): Promise<void> {
  const token = crypto.randomUUID();
  await untilDeadline(deadline, () => commit(transactions, token));
}

type Marshalled = Parameters<typeof unmarshall>[0];

/** A cancelled transaction's per-item outcomes; undefined for any other error. An item too large to store is a 400 at once. */
export function cancellation(error: unknown, transactions: Transaction[]): ItemOutcome[] | undefined {
  if (!isTransactionCancelled(error, ...transactions)) return undefined;
  const reasons = (error.CancellationReasons ?? []) as { Code?: string; Item?: Marshalled; FormattedItem?: Record<string, unknown> }[];
  if (reasons.some((r) => r.Code === 'ValidationError')) throw tooLarge();
  return reasons.map((r) => ({ code: r.Code ?? 'None', item: r.FormattedItem ?? (r.Item ? unmarshall(r.Item) : undefined) }));
}

export const conditionFailed = (outcome: ItemOutcome | undefined) => outcome?.code === 'ConditionalCheckFailed';

/**
 * Commits, trying again (with jitter) while a cancellation names no failed
 * condition, only another transaction holding one of the items (writes racing
 * on a counter); undefined once committed, else the outcomes whose conditions
 * failed, for the caller to read.
 */
export async function commitUnlessRefused(transactions: Transaction[], attempts = 6): Promise<ItemOutcome[] | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await commit(transactions);
      return undefined;
    } catch (error) {
      const outcomes = cancellation(error, transactions);
      if (!outcomes) throw error;
      if (outcomes.some(conditionFailed)) return outcomes;
      if (attempt >= attempts) throw new Unavailable('The write kept conflicting with others; retry shortly.');
      await sleep(10 * attempt + Math.random() * 20 * attempt);
    }
  }
}

