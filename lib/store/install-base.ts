/** Accounts, sold products and install base items: imports and the reads the impact and case views need. */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import type { Account, InstallBaseItem, SoldProduct } from '../domain/install-base.js';
import { clock } from '../clock.js';
import { mapLimit } from '../concurrency.js';
import { batchGet, batchWrite } from './batch.js';
import { ACCOUNT_PARTITION, CI_INSTALL_BASE_PARTITION, type Db } from './entities.js';
import { guard } from './errors.js';
import { listPage, queryAll, withinBudget } from './pagination.js';

type Item = Record<string, unknown>;
const QUERY_CONCURRENCY = 32;
/** The most sold products, and the most items, a case's health or details read of its account. */
export const ACCOUNT_READ_LIMIT = 1000;

const withoutUpdatedAt = <T>({ updatedAt: _updatedAt, ...rest }: T & { updatedAt?: string }) => rest as T;
const soldProductOf = (i: Item): SoldProduct => ({ soldProductId: String(i.soldProductId), accountId: String(i.accountId), name: String(i.name) });
const installBaseItemOf = (i: Item): InstallBaseItem => ({
  installBaseItemId: String(i.installBaseItemId),
  accountId: String(i.accountId),
  soldProductId: String(i.soldProductId),
  ciId: String(i.ciId),
  name: String(i.name),
});

export class InstallBaseRepository {
  constructor(private readonly db: Db) {}

  async account(accountId: string): Promise<Account | undefined> {
    const out = await guard(() => this.db.account.build(GetItemCommand).key({ accountId }).send());
    return out.Item ? withoutUpdatedAt(out.Item as Account & { updatedAt: string }) : undefined;
  }

  async installBaseItem(installBaseItemId: string): Promise<InstallBaseItem | undefined> {
    const out = await guard(() => this.db.installBaseItem.build(GetItemCommand).key({ installBaseItemId }).send());
    return out.Item ? installBaseItemOf(out.Item) : undefined;
  }

  async accounts(ids: string[]): Promise<Map<string, Account>> {
    const found = await batchGet(this.db, ids.map((accountId) => this.db.account.build(BatchGetRequest).key({ accountId })), false);
    return new Map(ids.flatMap((id, i) => (found[i] ? [[id, withoutUpdatedAt(found[i] as unknown as Account & { updatedAt: string })]] : [])));
  }

  async soldProducts(ids: string[]): Promise<Map<string, SoldProduct>> {
    const found = await batchGet(this.db, ids.map((soldProductId) => this.db.soldProduct.build(BatchGetRequest).key({ soldProductId })), false);
    return new Map(ids.flatMap((id, i) => (found[i] ? [[id, soldProductOf(found[i])]] : [])));
  }

  /**
   * An account's sold products and install base items, at most ACCOUNT_READ_LIMIT
   * of each (a case's health and details answer for at most that many): one
   * query of each kind on the account index.
   */
  async ofAccount(accountId: string): Promise<{ soldProducts: SoldProduct[]; installBaseItems: InstallBaseItem[] }> {
    const partition = ACCOUNT_PARTITION(accountId);
    const kind = (prefix: string) =>
      listPage(
        this.db,
        { list: `install-base:${partition}:${prefix}`, index: 'gsi5', partitions: [partition], prefix, newestFirst: false, tableKeyOf: () => undefined },
        ACCOUNT_READ_LIMIT,
        undefined,
      );
    const [products, items] = await Promise.all([kind('SOLDPRODUCT#'), kind('INSTALLBASEITEM#')]);
    return { soldProducts: products.items.map(soldProductOf), installBaseItems: items.items.map(installBaseItemOf) };
  }

  /**
   * A page of an account's sold products, then its install base items (one
   * partition of the account index, in key order), for `GET
   * /accounts/{id}/install-base`: an account may hold any number of them.
   */
  async accountPage(accountId: string, limit: number, cursor?: string): Promise<{ soldProducts: SoldProduct[]; installBaseItems: InstallBaseItem[]; nextCursor: string | null }> {
    const partition = ACCOUNT_PARTITION(accountId);
    const page = await listPage(
      this.db,
      {
        list: `install-base:${partition}`,
        index: 'gsi5',
        partitions: [partition],
        newestFirst: false,
        tableKeyOf: (sk) => {
          const m = /^(SOLDPRODUCT|INSTALLBASEITEM)#(.+)$/.exec(sk);
          return m ? { pk: `${m[1]}#${m[2]}`, sk: m[1] } : undefined;
        },
      },
      limit,
      cursor,
    );
    const fitted = withinBudget(page.items, page);
    return {
      soldProducts: fitted.items.filter((i) => i.entity === 'soldproduct').map(soldProductOf),
      installBaseItems: fitted.items.filter((i) => i.entity === 'installbaseitem').map(installBaseItemOf),
      nextCursor: fitted.nextCursor,
    };
  }

  /**
   * Install base items running on these CIs: one query per CI, in order, many
   * in flight, none started once `deadline` (epoch ms, by `clock`) has passed
   * but for the first `atLeast`. `lookedUp` CIs were looked up (the first
   * ones: all of them when there was time), and the items are those on them.
   */
  async onCis(ciIds: string[], bounds: { deadline?: number; atLeast?: number } = {}): Promise<{ items: InstallBaseItem[]; lookedUp: number }> {
    const { deadline = Infinity, atLeast = 0 } = bounds;
    const perCi = await mapLimit(ciIds.map((ciId, i) => ({ ciId, i })), QUERY_CONCURRENCY, ({ ciId, i }) =>
      i >= atLeast && clock.now() > deadline ? Promise.resolve(undefined) : queryAll(this.db, { index: 'gsi6', partition: CI_INSTALL_BASE_PARTITION(ciId) }),
    );
    const lookedUp = perCi.findIndex((items) => items === undefined);
    const done = lookedUp < 0 ? perCi : perCi.slice(0, lookedUp);
    return { items: done.flatMap((items) => items!.map(installBaseItemOf)), lookedUp: done.length };
  }

  /** Writes the rows, trying calls the database did not answer in time again until `deadline` (epoch ms). */
  async put(rows: { accounts: Account[]; soldProducts: SoldProduct[]; installBaseItems: InstallBaseItem[] }, at: string, deadline?: number): Promise<void> {
    await batchWrite(this.db, [
      ...rows.accounts.map((a) => this.db.account.build(BatchPutRequest).item({ ...a, updatedAt: at })),
      ...rows.soldProducts.map((p) => this.db.soldProduct.build(BatchPutRequest).item({ ...p, updatedAt: at })),
      ...rows.installBaseItems.map((i) => this.db.installBaseItem.build(BatchPutRequest).item({ ...i, updatedAt: at })),
    ], { deadline });
  }
}
