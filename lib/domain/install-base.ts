/** Customers and their install base (SPEC §2), grouped views and health. */
import { SEVERITIES, severityRank, type Severity } from './priority.js';

export const ACCOUNT_TYPES = ['external', 'internal'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export interface Account {
  accountId: string;
  name: string;
  type: AccountType;
}

export interface SoldProduct {
  soldProductId: string;
  accountId: string;
  name: string;
}

export interface InstallBaseItem {
  installBaseItemId: string;
  accountId: string;
  soldProductId: string;
  ciId: string;
  name: string;
}

/** An affected item as stored with an alert or a case: the item and its account. */
export interface AffectedItem extends InstallBaseItem {
  accountName: string;
  accountType: AccountType;
}

export interface AccountGroup {
  accountId: string;
  accountName: string;
  accountType: AccountType;
  items: Omit<InstallBaseItem, 'accountId'>[];
}

/** Affected items grouped by account, accounts and items in a stable order. */
export function groupByAccount(items: readonly AffectedItem[]): AccountGroup[] {
  const groups = new Map<string, AccountGroup>();
  for (const item of [...items].sort((a, b) => a.installBaseItemId.localeCompare(b.installBaseItemId))) {
    const group = groups.get(item.accountId) ?? { accountId: item.accountId, accountName: item.accountName, accountType: item.accountType, items: [] };
    group.items.push({ installBaseItemId: item.installBaseItemId, name: item.name, ciId: item.ciId, soldProductId: item.soldProductId });
    groups.set(item.accountId, group);
  }
  return [...groups.values()].sort((a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId));
}

export type Health = Severity | 'ok';

/** The worst severity among the open alerts impacting a CI, else `ok`. */
export function healthOf(severities: readonly Severity[]): Health {
  if (severities.length === 0) return 'ok';
  return SEVERITIES[Math.min(...severities.map(severityRank))];
}
