/** Accounts, sold products and install base items: imports and the reads the impact and case views need. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Account, InstallBaseItem, SoldProduct } from '../domain/install-base.js';
import { batchGet, batchWrite, lookup, mapLimit } from './batch.js';
import { guard } from './errors.js';
import { queryAll } from './pagination.js';
import { keys } from './keys.js';
import { stripStorage, type Store } from './store.js';

type Item = Record<string, unknown>;
const QUERY_CONCURRENCY = 32;

export const accountItem = (a: Account, at: string) => ({ ...keys.account(a.accountId), entity: 'account', gsi1pk: 'ACCOUNT', gsi1sk: a.accountId, ...a, updatedAt: at });
export const soldProductItem = (p: SoldProduct, at: string) => ({
  ...keys.soldProduct(p.soldProductId),
  entity: 'soldproduct',
  gsi5pk: `ACCOUNT#${p.accountId}`,
  gsi5sk: `SOLDPRODUCT#${p.soldProductId}`,
  ...p,
  updatedAt: at,
});
export const installBaseItemItem = (i: InstallBaseItem, at: string) => ({
  ...keys.installBaseItem(i.installBaseItemId),
  entity: 'installbaseitem',
  gsi5pk: `ACCOUNT#${i.accountId}`,
  gsi5sk: `INSTALLBASEITEM#${i.installBaseItemId}`,
  gsi6pk: `INSTALLBASE#CI#${i.ciId}`,
  gsi6sk: `${i.accountId}#${i.installBaseItemId}`,
  ...i,
  updatedAt: at,
});

const clean = <T>(item: Item) => {
  const { updatedAt: _updatedAt, ...rest } = stripStorage<T & { updatedAt?: string }>(item);
  return rest as T;
};

export class InstallBaseRepository {
  constructor(private readonly store: Store) {}

  async account(accountId: string): Promise<Account | undefined> {
    const out = await guard(() => this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.account(accountId) })));
    return out.Item ? clean<Account>(out.Item) : undefined;
  }

  async installBaseItem(itemId: string): Promise<InstallBaseItem | undefined> {
    const out = await guard(() => this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.installBaseItem(itemId) })));
    return out.Item ? clean<InstallBaseItem>(out.Item) : undefined;
  }

  async accounts(ids: string[]): Promise<Map<string, Account>> {
    const found = await batchGet(this.store, ids.map(keys.account), false);
    return new Map(ids.flatMap((id) => (lookup(found, keys.account(id)) ? [[id, clean<Account>(lookup(found, keys.account(id))!)]] : [])));
  }

  async soldProducts(ids: string[]): Promise<Map<string, SoldProduct>> {
    const found = await batchGet(this.store, ids.map(keys.soldProduct), false);
    return new Map(ids.flatMap((id) => (lookup(found, keys.soldProduct(id)) ? [[id, clean<SoldProduct>(lookup(found, keys.soldProduct(id))!)]] : [])));
  }

  /** An account's sold products and install base items: one partition of the account index. */
  async ofAccount(accountId: string): Promise<{ soldProducts: SoldProduct[]; installBaseItems: InstallBaseItem[] }> {
    const items = await this.queryIndex('gsi5', `ACCOUNT#${accountId}`);
    return {
      soldProducts: items.filter((i) => i.entity === 'soldproduct').map((i) => clean<SoldProduct>(i)),
      installBaseItems: items.filter((i) => i.entity === 'installbaseitem').map((i) => clean<InstallBaseItem>(i)),
    };
  }

  /** Install base items running on any of these CIs: one query per CI, all in parallel (bounded). */
  async onCis(ciIds: string[]): Promise<InstallBaseItem[]> {
    const perCi = await mapLimit(ciIds, QUERY_CONCURRENCY, (ciId) => this.queryIndex('gsi6', `INSTALLBASE#CI#${ciId}`));
    return perCi.flat().map((i) => clean<InstallBaseItem>(i));
  }

  async put(rows: { accounts: Account[]; soldProducts: SoldProduct[]; installBaseItems: InstallBaseItem[] }, at: string): Promise<void> {
    await batchWrite(this.store, [
      ...rows.accounts.map((a) => accountItem(a, at)),
      ...rows.soldProducts.map((p) => soldProductItem(p, at)),
      ...rows.installBaseItems.map((i) => installBaseItemItem(i, at)),
    ]);
  }

  private queryIndex(index: string, partition: string): Promise<Item[]> {
    return queryAll(this.store, {
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${index}pk` },
      ExpressionAttributeValues: { ':pk': partition },
    });
  }
}
