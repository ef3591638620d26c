/** A case's affected install base: view, add, remove, health, details (SPEC §2, §4). */
import { Conflict, NotFound } from '../domain/errors.js';
import { groupByAccount, healthOf, type AffectedItem, type InstallBaseItem } from '../domain/install-base.js';
import { caseItemsOf } from '../domain/case.js';
import { FROZEN_STAGES } from '../domain/stage-transitions.js';
import type { StoredCase } from '../domain/case.js';
import { assertVersion } from './major-case.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';
import { onFreshRead } from './retry.js';


export const caseInstallBaseView = (c: StoredCase) => ({ caseId: c.caseId, affectedInstallBase: groupByAccount(caseItemsOf(c)) });

/**
 * Changes the case's items by `change` and stores it as a new version, read
 * again when another writer got there first. A closed or cancelled case takes
 * no change.
 */
async function changeItems(
  repos: Repositories,
  caseId: string,
  actor: Actor,
  action: string,
  change: (items: Record<string, AffectedItem>) => boolean,
  expectedVersion?: number,
): Promise<StoredCase> {
  return onFreshRead(expectedVersion, async () => {
    const current = await repos.cases.require(caseId);
    assertVersion(current, expectedVersion);
    if (FROZEN_STAGES.includes(current.stage)) {
      throw new Conflict(`Case ${current.number} is ${current.stage}; reopen it before changing its install base.`, { stage: current.stage });
    }
    const items = { ...current.affectedInstallBase };
    if (!change(items)) return current;
    const next: StoredCase = { ...current, affectedInstallBase: items, version: current.version + 1, updatedAt: now(), updatedBy: actor };
    if (Object.keys(items).length === 0) delete next.affectedInstallBase;
    return repos.cases.replace({ case: next, expectedVersion: current.version, action });
  });
}

export async function addCaseInstallBaseItem(repos: Repositories, caseId: string, itemId: string, actor: Actor, expectedVersion?: number) {
  const item = await repos.installBase.installBaseItem(itemId);
  if (!item) throw new NotFound(`Install base item '${itemId}' does not exist.`);
  const account = await repos.installBase.account(item.accountId);
  if (!account) throw new NotFound(`Account '${item.accountId}' of install base item '${itemId}' does not exist.`);
  const updated = await changeItems(repos, caseId, actor, 'install_base_item_added', (items) => {
    if (items[itemId]) return false; // already attached: nothing to change
    items[itemId] = { ...item, accountName: account.name, accountType: account.type };
    return true;
  }, expectedVersion);
  return caseInstallBaseView(updated);
}

export async function removeCaseInstallBaseItem(repos: Repositories, caseId: string, itemId: string, actor: Actor, expectedVersion?: number): Promise<void> {
  await changeItems(repos, caseId, actor, 'install_base_item_removed', (items) => {
    if (!items[itemId]) throw new NotFound(`Install base item '${itemId}' is not attached to case '${caseId}'.`);
    delete items[itemId];
    return true;
  }, expectedVersion);
}

/**
 * Health of the case's items — or, when it has none, of its account's items:
 * the worst severity among open alerts whose current impact includes the item's CI.
 */
export async function refreshInstallBaseHealth(repos: Repositories, caseId: string) {
  const c = await repos.cases.require(caseId);
  if (!c.accountId) throw new Conflict(`Case ${c.number} has no account; set its accountId to refresh install base health.`, { missing: 'accountId' });
  let items: InstallBaseItem[] = caseItemsOf(c);
  if (items.length === 0) items = (await repos.installBase.ofAccount(c.accountId)).installBaseItems;
  if (items.length === 0) {
    throw new Conflict(`Case ${c.number} has no affected install base items and account '${c.accountId}' has none either.`, {
      missing: 'installBaseItems',
    });
  }
  const severities = await repos.ciAlerts.openAlertSeveritiesOn([...new Set(items.map((i) => i.ciId))]);
  return {
    caseId: c.caseId,
    accountId: c.accountId,
    refreshedAt: now(),
    items: items
      .map((i) => ({ installBaseItemId: i.installBaseItemId, name: i.name, ciId: i.ciId, health: healthOf(severities.get(i.ciId) ?? []) }))
      .sort((a, b) => a.installBaseItemId.localeCompare(b.installBaseItemId)),
  };
}

/** The sold products behind the case's items (else its account's), and the alert it came from. */
export async function caseDetails(repos: Repositories, caseId: string) {
  const c = await repos.cases.require(caseId);
  const productIds = [...new Set(caseItemsOf(c).map((i) => i.soldProductId))];
  const soldProducts = productIds.length
    ? [...(await repos.installBase.soldProducts(productIds)).values()]
    : c.accountId
      ? (await repos.installBase.ofAccount(c.accountId)).soldProducts
      : [];
  const alert = c.alertId ? ((await repos.alerts.get(c.alertId)) ?? null) : null;
  return { soldProducts: soldProducts.sort((a, b) => a.soldProductId.localeCompare(b.soldProductId)), alert };
}
