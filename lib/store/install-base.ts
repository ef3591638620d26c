/** Accounts, sold products and install base items: imports and the reads the impact and case views need. */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import type { Account, InstallBaseItem, SoldProduct } from '../domain/install-base.js';
import { clock } from '../clock.js';
import { mapLimit } from '../concurrency.js';
import { batchGet, batchWrite } from './batch.js';
import { accountOfNameKey, accountsByName, installBaseOfAccount, installBaseOnCi, type Db } from './entities.js';
import { guard } from './errors.js';
import { listPage, queryWhole, withinBudget, type Page } from './pagination.js';

type Item = Record<string, unknown>;
const QUERY_CONCURRENCY = 32;
/** The most sold products, and the most items, a case's health or details read of its account. */
export const ACCOUNT_READ_LIMIT = 1000;

const withoutUpdatedAt = <T extends { updatedAt?: string }>({ updatedAt: _updatedAt, ...rest }: T): Omit<T, 'updatedAt'> => rest;

export class InstallBaseRepository {
  /** An account, sold product or install base item as read (whole, or as an index projects it), as the domain has it. */
  private readonly accountOf: (item: Item) => Account;
  private readonly soldProductOf: (item: Item) => SoldProduct;
  private readonly installBaseItemOf: (item: Item) => InstallBaseItem;

  constructor(private readonly db: Db) {
    const accounts = db.account.build(EntityFormatter);
    const products = db.soldProduct.build(EntityFormatter);
    const items = db.installBaseItem.build(EntityFormatter);
    this.accountOf = (item) => accounts.format(item, { attributes: ['accountId', 'name', 'type'] });
    this.soldProductOf = (item) => products.format(item, { attributes: ['soldProductId', 'accountId', 'name'] });
    this.installBaseItemOf = (item) => items.format(item, { attributes: ['installBaseItemId', 'accountId', 'soldProductId', 'ciId', 'name'] });
  }

  async account(accountId: string): Promise<Account | undefined> {
    const out = await guard(() => this.db.account.build(GetItemCommand).key({ accountId }).send());
    return out.Item ? withoutUpdatedAt(out.Item) : undefined;
  }

  async installBaseItem(installBaseItemId: string): Promise<InstallBaseItem | undefined> {
    const out = await guard(() => this.db.installBaseItem.build(GetItemCommand).key({ installBaseItemId }).send());
    return out.Item ? withoutUpdatedAt(out.Item) : undefined;
  }

  async accounts(ids: string[]): Promise<Map<string, Account>> {
    const found = await batchGet(this.db, ids.map((accountId) => this.db.account.build(BatchGetRequest).key({ accountId })), false);
    return new Map(ids.flatMap((id, i) => (found[i] ? [[id, this.accountOf(found[i])]] : [])));
  }

  async soldProducts(ids: string[]): Promise<Map<string, SoldProduct>> {
    const found = await batchGet(this.db, ids.map((soldProductId) => this.db.soldProduct.build(BatchGetRequest).key({ soldProductId })), false);
    return new Map(ids.flatMap((id, i) => (found[i] ? [[id, this.soldProductOf(found[i])]] : [])));
  }

  /**
   * An account's sold products and install base items, at most ACCOUNT_READ_LIMIT
   * of each (a case's health and details answer for at most that many): one
   * query of each kind on the account index.
   */
  async ofAccount(accountId: string): Promise<{ soldProducts: SoldProduct[]; installBaseItems: InstallBaseItem[] }> {
    const kind = (entity: 'soldproduct' | 'installbaseitem') => {
      const pattern = installBaseOfAccount(accountId, entity);
      return listPage(this.db, { list: `install-base:${pattern.partitions[0]}:${pattern.prefix}`, ...pattern, newestFirst: false }, ACCOUNT_READ_LIMIT, undefined);
    };
    const [products, items] = await Promise.all([kind('soldproduct'), kind('installbaseitem')]);
    return { soldProducts: products.items.map(this.soldProductOf), installBaseItems: items.items.map(this.installBaseItemOf) };
  }

  /**
   * A page of an account's sold products, then its install base items (one
   * partition of the account index, in key order), for `GET
   * /accounts/{id}/install-base`: an account may hold any number of them.
   */
  async accountPage(accountId: string, limit: number, cursor?: string): Promise<{ soldProducts: SoldProduct[]; installBaseItems: InstallBaseItem[]; nextCursor: string | null }> {
    const pattern = installBaseOfAccount(accountId);
    const page = await listPage(this.db, { list: `install-base:${pattern.partitions[0]}`, ...pattern, newestFirst: false }, limit, cursor);
    const fitted = withinBudget(page.items, page);
    return {
      soldProducts: fitted.items.filter((i) => i.entity === this.db.soldProduct.entityName).map(this.soldProductOf),
      installBaseItems: fitted.items.filter((i) => i.entity === this.db.installBaseItem.entityName).map(this.installBaseItemOf),
      nextCursor: fitted.nextCursor,
    };
  }

  /**
   * A page of accounts by name, A to Z, those whose name begins with `prefix`
   * (any case; every account when empty): one wave of queries over the name
   * index's shards, then one read of the accounts themselves.
   */
  async accountsByName(prefix: string, limit: number, cursor?: string): Promise<Page<Account>> {
    const pattern = accountsByName(prefix);
    const page = await listPage(this.db, { list: `accounts-by-name:${prefix.toLowerCase()}`, ...pattern, newestFirst: false }, limit, cursor);
    const ids = page.sortKeys.map((sortKey) => accountOfNameKey(sortKey)!);
    const found = await this.accounts(ids);
    // An account gone since the index saw it is passed over.
    return withinBudget(ids.map((id) => found.get(id)), page);
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
      i >= atLeast && clock.now() > deadline ? Promise.resolve(undefined) : this.onCi(ciId),
    );
    const lookedUp = perCi.findIndex((items) => items === undefined);
    const done = lookedUp < 0 ? perCi : perCi.slice(0, lookedUp);
    return { items: done.flatMap((items) => items ?? []), lookedUp: done.length };
  }

  /** The install base items on one CI, as the CI index projects them. */
  private async onCi(ciId: string): Promise<InstallBaseItem[]> {
    const out = await guard(() =>
      queryWhole(this.db, this.db.installBaseItem, installBaseOnCi(ciId))
        .options((options) => ({ ...options, attributes: ['installBaseItemId', 'accountId', 'soldProductId', 'ciId', 'name'] }))
        .send(),
    );
    return out.Items ?? [];
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
