/**
 * Counted collections (playbooks, integrations, SLA definitions): each
 * creation and deletion moves its collection's counter in the same
 * transaction, and a creation is refused at the most there may be, however
 * many are made at once.
 */
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add } from 'dynamodb-toolbox/entity/actions/update';
import type { Db } from './entities.js';
import { commitUnlessRefused, conditionFailed, type Transaction } from './transactions.js';

/** The item of a creation's transaction that counts it in: refused when there are `max` already. */
export const countIn = (db: Db, counter: string, max: number) =>
  db.counter
    .build(UpdateTransaction)
    .item({ counter, value: $add(1) })
    .options({ condition: { or: [{ attr: 'value', exists: false }, { attr: 'value', lt: max }] } });

/** The item of a deletion's transaction that counts it out. */
export const countOut = (db: Db, counter: string) => db.counter.build(UpdateTransaction).item({ counter, value: $add(-1) });

/** Puts a new item (its put conditioned on not existing) and counts it in; `limit_reached` at `max`. */
export async function createCounted(db: Db, put: Transaction, counter: string, max: number): Promise<'created' | 'limit_reached'> {
  const outcomes = await commitUnlessRefused([put, countIn(db, counter, max)]);
  if (outcomes && conditionFailed(outcomes[1])) return 'limit_reached';
  if (outcomes) throw new Error(`a new ${counter} item's id was drawn twice`);
  return 'created';
}

/** Deletes an item (its delete conditioned on existing) and counts it out; false when there was none. */
export async function deleteCounted(db: Db, remove: Transaction, counter: string): Promise<boolean> {
  return (await commitUnlessRefused([remove, countOut(db, counter)])) === undefined;
}
