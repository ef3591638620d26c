/**
 * Bulk imports of the service map and the install base. Every row is checked
 * before anything is written, so a refused import writes nothing; writes are
 * idempotent, so an import can be sent again (after a 503, say) without
 * creating anything twice.
 */
import { Invalid, NotFound, type FieldError } from '../domain/errors.js';
import type { Account, InstallBaseItem, SoldProduct } from '../domain/install-base.js';
import type { Ci, CiClass, OperationalStatus } from '../domain/service-map.js';
import type { Repositories } from './context.js';
import { now } from './context.js';

const MAX_ERRORS = 100;

/**
 * How long an import goes on writing through a slow database (calls that time
 * out are tried again, fewer at once) before it answers 503: inside the import
 * function's 29 s (lib/functions.ts), which API Gateway's 30 s bounds.
 */
export const IMPORT_BUDGET_MS = 20_000;

function refuse(errors: FieldError[]): void {
  if (errors.length === 0) return;
  throw new Invalid(`The import has ${errors.length} invalid row(s); nothing was written. First: ${errors[0].path} ${errors[0].message}.`, errors.slice(0, MAX_ERRORS));
}

/** Errors for rows whose `id` repeats an earlier row of the same list. */
function duplicates<T>(rows: T[], list: string, field: keyof T & string): FieldError[] {
  const first = new Map<unknown, number>();
  return rows.flatMap((row, i) => {
    const id = row[field];
    if (!first.has(id)) {
      first.set(id, i);
      return [];
    }
    return [{ path: `${list}.${i}.${field}`, message: `duplicate of ${list}.${first.get(id)} ('${String(id)}')` }];
  });
}

export interface ServiceMapImport {
  cis?: { ciId: string; name: string; class: CiClass; operationalStatus?: OperationalStatus }[];
  relationships?: { parentId: string; childId: string }[];
}

export async function importServiceMap(repos: Repositories, body: ServiceMapImport, deadline = Date.now() + IMPORT_BUDGET_MS) {
  const cis: Ci[] = (body.cis ?? []).map((c) => ({ ...c, operationalStatus: c.operationalStatus ?? 'operational' }));
  const relationships = body.relationships ?? [];
  const errors = duplicates(cis, 'cis', 'ciId');
  const imported = new Set(cis.map((c) => c.ciId));
  const referenced = [...new Set(relationships.flatMap((r) => [r.parentId, r.childId]))].filter((id) => !imported.has(id));
  const stored = referenced.length ? await repos.serviceMap.existing(referenced) : new Set<string>();
  const known = (id: string) => imported.has(id) || stored.has(id);
  relationships.forEach((r, i) => {
    if (r.parentId === r.childId) errors.push({ path: `relationships.${i}`, message: `a CI cannot depend on itself ('${r.parentId}')` });
    for (const end of ['parentId', 'childId'] as const) {
      if (!known(r[end])) errors.push({ path: `relationships.${i}.${end}`, message: `unknown CI '${r[end]}' (not in this import nor in the service map)` });
    }
  });
  refuse(errors);
  const { tooLarge } = await repos.serviceMapImports.importRows(cis, relationships, now(), deadline);
  // A CI that would hold more links than one item can: named at the first row that links it, and nothing written.
  refuse(
    tooLarge.map(({ ciId, bytes }) => {
      const row = relationships.findIndex((r) => r.parentId === ciId || r.childId === ciId);
      return {
        path: row >= 0 ? `relationships.${row}` : `cis.${cis.findIndex((c) => c.ciId === ciId)}`,
        message: `CI '${ciId}' would be ${Math.ceil(bytes / 1024)} KB with its links, more than the 400 KB the database stores in one item`,
      };
    }),
  );
  return { cis: cis.length, relationships: relationships.length };
}

export interface InstallBaseImport {
  accounts?: Account[];
  soldProducts?: SoldProduct[];
  installBaseItems?: InstallBaseItem[];
}

export async function importInstallBase(repos: Repositories, body: InstallBaseImport, deadline = Date.now() + IMPORT_BUDGET_MS) {
  const accounts = body.accounts ?? [];
  const soldProducts = body.soldProducts ?? [];
  const items = body.installBaseItems ?? [];
  const errors = [
    ...duplicates(accounts, 'accounts', 'accountId'),
    ...duplicates(soldProducts, 'soldProducts', 'soldProductId'),
    ...duplicates(items, 'installBaseItems', 'installBaseItemId'),
  ];
  const importedAccounts = new Set(accounts.map((a) => a.accountId));
  const importedProducts = new Map(soldProducts.map((p) => [p.soldProductId, p]));
  const [storedAccounts, storedProducts] = await Promise.all([
    repos.installBase.accounts([...new Set([...soldProducts, ...items].map((r) => r.accountId))].filter((id) => !importedAccounts.has(id))),
    repos.installBase.soldProducts([...new Set(items.map((i) => i.soldProductId))].filter((id) => !importedProducts.has(id))),
  ]);
  const accountKnown = (id: string) => importedAccounts.has(id) || storedAccounts.has(id);
  soldProducts.forEach((p, i) => {
    if (!accountKnown(p.accountId)) errors.push({ path: `soldProducts.${i}.accountId`, message: `unknown account '${p.accountId}'` });
  });
  items.forEach((item, i) => {
    if (!accountKnown(item.accountId)) errors.push({ path: `installBaseItems.${i}.accountId`, message: `unknown account '${item.accountId}'` });
    const product = importedProducts.get(item.soldProductId) ?? storedProducts.get(item.soldProductId);
    if (!product) errors.push({ path: `installBaseItems.${i}.soldProductId`, message: `unknown sold product '${item.soldProductId}'` });
    else if (product.accountId !== item.accountId) {
      errors.push({
        path: `installBaseItems.${i}.soldProductId`,
        message: `sold product '${item.soldProductId}' belongs to account '${product.accountId}', not '${item.accountId}'`,
      });
    }
  });
  refuse(errors);
  await repos.installBase.put({ accounts, soldProducts, installBaseItems: items }, now(), deadline);
  return { accounts: accounts.length, soldProducts: soldProducts.length, installBaseItems: items.length };
}

/** An account with a page of its sold products and install base items (sold products first). */
/** Accounts whose name begins with `prefix` (every account when empty), A to Z, a page at a time. */
export function findAccounts(repos: Repositories, prefix: string | undefined, limit: number, cursor?: string) {
  return repos.installBase.accountsByName(prefix ?? '', limit, cursor);
}

export async function accountInstallBase(repos: Repositories, accountId: string, limit: number, cursor?: string) {
  const [account, page] = await Promise.all([repos.installBase.account(accountId), repos.installBase.accountPage(accountId, limit, cursor)]);
  if (!account) throw new NotFound(`Account '${accountId}' does not exist.`);
  return { account, ...page };
}
