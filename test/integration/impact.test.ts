import { Conflict, Invalid, NotFound, Unavailable } from '../../lib/domain/errors.js';
import { clock } from '../../lib/clock.js';
import { raiseAlert, changeAlertState } from '../../lib/usecases/alerts.js';
import {
  addCaseInstallBaseItem,
  caseDetails,
  caseInstallBaseView,
  refreshInstallBaseHealth,
  removeCaseInstallBaseItem,
} from '../../lib/usecases/case-install-base.js';
import { convertAlertToCase, createManualCase, updateCase } from '../../lib/usecases/cases.js';
import { affectedInstallBaseView, impactedCisView, refreshImpact, ciView, recalculateOpenAlerts, type RefreshOptions } from '../../lib/usecases/impact.js';
import { accountInstallBase, importInstallBase, importServiceMap } from '../../lib/usecases/imports.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { whenTaken } from '../support/when-taken.js';

let t: TestTable;

/**
 * A refresh with time enough on a loaded machine: these tests are about what
 * it finds, and one cut short by its deadlines finds less (those deadlines
 * are tried in impact-bounds).
 */
const refresh = (alertId: string, actor: string, options: RefreshOptions = {}) =>
  refreshImpact(t.repos, alertId, actor, { walkDeadline: Date.now() + 120_000, deadline: Date.now() + 120_000, ...options });

/**
 *  bs-shop (business_service)      bs-intranet (business_service)
 *       |                                  |
 *  svc-orders (application_service)   svc-hr (application_service, maintenance)
 *       |                                  |
 *  app-orders (application) ---------------+
 *       |
 *  db-main (database) <-- alerts land here
 */
beforeAll(async () => {
  t = await createTestTable('impact');
  await importServiceMap(t.repos, {
    cis: [
      { ciId: 'bs-shop', name: 'Web shop', class: 'business_service' },
      { ciId: 'bs-intranet', name: 'Intranet', class: 'business_service' },
      { ciId: 'svc-orders', name: 'Orders', class: 'application_service' },
      { ciId: 'svc-hr', name: 'HR', class: 'application_service', operationalStatus: 'maintenance' },
      { ciId: 'app-orders', name: 'Orders app', class: 'application' },
      { ciId: 'db-main', name: 'Main DB', class: 'database' },
    ],
    relationships: [
      { parentId: 'bs-shop', childId: 'svc-orders' },
      { parentId: 'svc-orders', childId: 'app-orders' },
      { parentId: 'bs-intranet', childId: 'svc-hr' },
      { parentId: 'svc-hr', childId: 'app-orders' },
      { parentId: 'app-orders', childId: 'db-main' },
    ],
  });
  await importInstallBase(t.repos, {
    accounts: [
      { accountId: 'acme', name: 'Acme Corp', type: 'external' },
      { accountId: 'globex', name: 'Globex', type: 'external' },
      { accountId: 'it', name: 'Internal IT', type: 'internal' },
    ],
    soldProducts: [
      { soldProductId: 'sp-acme-shop', accountId: 'acme', name: 'Shop Premium' },
      { soldProductId: 'sp-globex-shop', accountId: 'globex', name: 'Shop Basic' },
      { soldProductId: 'sp-it-intranet', accountId: 'it', name: 'Intranet' },
    ],
    installBaseItems: [
      { installBaseItemId: 'ib-acme-1', accountId: 'acme', soldProductId: 'sp-acme-shop', ciId: 'bs-shop', name: 'Acme shop' },
      { installBaseItemId: 'ib-acme-2', accountId: 'acme', soldProductId: 'sp-acme-shop', ciId: 'svc-orders', name: 'Acme orders' },
      { installBaseItemId: 'ib-globex-1', accountId: 'globex', soldProductId: 'sp-globex-shop', ciId: 'bs-shop', name: 'Globex shop' },
      { installBaseItemId: 'ib-it-1', accountId: 'it', soldProductId: 'sp-it-intranet', ciId: 'bs-intranet', name: 'IT intranet' },
    ],
  });
});
afterAll(() => t.drop());

let seq = 0;
const alertOn = async (ciId: string | undefined, severity: 'critical' | 'major' | 'minor' = 'major') =>
  (await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: `i-${++seq}`, severity, description: 'down', ciId }, 'op')).alert;

describe('imports', () => {
  it('reads a CI back with its parents and children', async () => {
    expect(await ciView(t.repos, 'app-orders')).toEqual({
      ciId: 'app-orders',
      name: 'Orders app',
      class: 'application',
      operationalStatus: 'operational',
      parents: ['svc-hr', 'svc-orders'],
      children: ['db-main'],
    });
    await expect(ciView(t.repos, 'nope')).rejects.toThrow(NotFound);
  });

  it('re-imports without duplicates and updates what changed', async () => {
    const again = await importServiceMap(t.repos, {
      cis: [{ ciId: 'db-replica', name: 'Replica', class: 'database', operationalStatus: 'retired' }],
      relationships: [{ parentId: 'app-orders', childId: 'db-main' }, { parentId: 'app-orders', childId: 'db-replica' }],
    });
    expect(again).toEqual({ cis: 1, relationships: 2 });
    expect((await ciView(t.repos, 'app-orders')).children).toEqual(['db-main', 'db-replica']);
    expect((await ciView(t.repos, 'db-main')).parents).toEqual(['app-orders']);
  });

  it('refuses rows naming unknown CIs, self links and duplicates, naming each row, and writes nothing', async () => {
    const error = await importServiceMap(t.repos, {
      cis: [
        { ciId: 'new-1', name: 'New', class: 'server' },
        { ciId: 'new-1', name: 'Again', class: 'server' },
      ],
      relationships: [
        { parentId: 'new-1', childId: 'ghost' },
        { parentId: 'db-main', childId: 'db-main' },
      ],
    }).catch((e) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect(error.errors.map((e: { path: string }) => e.path)).toEqual(['cis.1.ciId', 'relationships.0.childId', 'relationships.1']);
    await expect(ciView(t.repos, 'new-1')).rejects.toThrow(NotFound);
  });

  it('refuses, before writing anything, an import that would make one CI larger than an item may be', async () => {
    // 1,800 children of ~250-character ids: about 450 KB of parent links on the hub.
    const children = Array.from({ length: 1800 }, (_, i) => ({ ciId: `${'leaf-'.repeat(49)}${i}`, name: `leaf ${i}`, class: 'server' as const }));
    const error = await whenTaken(() =>
      importServiceMap(t.repos, {
        cis: [{ ciId: 'hub-huge', name: 'Hub', class: 'application_service' }, ...children],
        relationships: children.map((c) => ({ parentId: 'hub-huge', childId: c.ciId })),
      }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect(error.errors).toEqual([{ path: 'relationships.0', message: expect.stringMatching(/CI 'hub-huge' would be \d+ KB/) }]);
    // Nothing of it was written: not the hub, not one child, not one side of a link.
    await expect(ciView(t.repos, 'hub-huge')).rejects.toThrow(NotFound);
    expect(await t.repos.serviceMap.existing(children.slice(0, 100).map((c) => c.ciId))).toEqual(new Set());
    // A read of thousands of CIs, sent again while a loaded machine's database answers 503s: minutes at worst, not a hang.
  }, 150_000);

  it('refuses an import while another one runs, and takes over a lock its holder left behind', async () => {
    const { PutItemCommand } = await import('dynamodb-toolbox/entity/actions/put');
    // Another import's lock, as it writes it.
    const lock = (expiresAt: number) => t.store.db.lock.build(PutItemCommand).item({ lockId: 'service-map-import', since: 'another import', expiresAt }).send();
    await lock(Math.floor(Date.now() / 1000) + 60);
    await expect(importServiceMap(t.repos, { cis: [{ ciId: 'locked', name: 'L', class: 'server' }] })).rejects.toThrow(Conflict);
    await lock(Math.floor(Date.now() / 1000) - 1);
    expect(await importServiceMap(t.repos, { cis: [{ ciId: 'locked', name: 'L', class: 'server' }] })).toEqual({ cis: 1, relationships: 0 });
  });

  it('refuses install base rows whose account or sold product is unknown or mismatched', async () => {
    const error = await importInstallBase(t.repos, {
      soldProducts: [{ soldProductId: 'sp-x', accountId: 'nobody', name: 'X' }],
      installBaseItems: [
        { installBaseItemId: 'ib-x', accountId: 'globex', soldProductId: 'sp-acme-shop', ciId: 'bs-shop', name: 'x' },
        { installBaseItemId: 'ib-y', accountId: 'acme', soldProductId: 'sp-none', ciId: 'bs-shop', name: 'y' },
      ],
    }).catch((e) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect(error.errors.map((e: { path: string }) => e.path)).toEqual([
      'soldProducts.0.accountId',
      'installBaseItems.0.soldProductId',
      'installBaseItems.1.soldProductId',
    ]);
  });

  it("reads an account's install base", async () => {
    const view = await accountInstallBase(t.repos, 'acme', 25);
    expect(view.account).toEqual({ accountId: 'acme', name: 'Acme Corp', type: 'external' });
    expect(view.soldProducts.map((p) => p.soldProductId)).toEqual(['sp-acme-shop']);
    expect(view.installBaseItems.map((i) => i.installBaseItemId).sort()).toEqual(['ib-acme-1', 'ib-acme-2']);
    expect(view.nextCursor).toBeNull();
    // A page at a time: sold products first, then items, each once.
    const first = await accountInstallBase(t.repos, 'acme', 2);
    const rest = await accountInstallBase(t.repos, 'acme', 2, first.nextCursor!);
    expect([...first.soldProducts, ...rest.soldProducts].map((p) => p.soldProductId)).toEqual(['sp-acme-shop']);
    expect([...first.installBaseItems, ...rest.installBaseItems].map((i) => i.installBaseItemId).sort()).toEqual(['ib-acme-1', 'ib-acme-2']);
    expect(rest.nextCursor).toBeNull();
    await expect(accountInstallBase(t.repos, 'nobody', 25)).rejects.toThrow(NotFound);
  });
});

describe('refreshing impact', () => {
  it('finds the services over the alert CI and the install base on them, grouped by account', async () => {
    const alert = await alertOn('db-main');
    const view = await refresh(alert.alertId, 'op');
    expect(view.impactedCis).toEqual([
      { ciId: 'db-main', name: 'Main DB', class: 'database', kind: 'alert_ci', path: ['db-main'] },
      { ciId: 'svc-orders', name: 'Orders', class: 'application_service', kind: 'service', path: ['db-main', 'app-orders', 'svc-orders'] },
      { ciId: 'bs-shop', name: 'Web shop', class: 'business_service', kind: 'service', path: ['db-main', 'app-orders', 'svc-orders', 'bs-shop'] },
    ]);
    expect(view.truncated).toBe(false);
    expect(view.affectedInstallBase.map((g) => [g.accountId, g.accountType, g.items.map((i) => i.installBaseItemId)])).toEqual([
      ['acme', 'external', ['ib-acme-1', 'ib-acme-2']],
      ['globex', 'external', ['ib-globex-1']],
    ]);
    // Stored and readable.
    expect((await impactedCisView(t.repos, alert.alertId, 100)).impactedCis).toEqual(view.impactedCis);
    expect((await affectedInstallBaseView(t.repos, alert.alertId)).affectedInstallBase).toEqual(view.affectedInstallBase);
  });

  it('replaces the stored impact when the map changes, leaving no stale rows', async () => {
    const alert = await alertOn('db-main');
    await refresh(alert.alertId, 'op');
    await importServiceMap(t.repos, { cis: [{ ciId: 'svc-orders', name: 'Orders', class: 'application_service', operationalStatus: 'maintenance' }] });
    try {
      const view = await refresh(alert.alertId, 'op');
      expect(view.impactedCis.map((c) => c.ciId)).toEqual(['db-main']);
      expect((await impactedCisView(t.repos, alert.alertId, 100)).impactedCis.map((c) => c.ciId)).toEqual(['db-main']);
      expect((await affectedInstallBaseView(t.repos, alert.alertId)).affectedInstallBase).toEqual([]);
      const { Items } = await t.store.doc.send(
        new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({
          TableName: t.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `ALERT#${alert.alertId}`, ':p': 'IMPACT#' },
        }),
      );
      expect(Items).toHaveLength(1);
    } finally {
      await importServiceMap(t.repos, { cis: [{ ciId: 'svc-orders', name: 'Orders', class: 'application_service' }] });
    }
  });

  it('records only real changes when asked to (the schedule)', async () => {
    const alert = await alertOn('db-main');
    const first = await refresh(alert.alertId, 'schedule', { onlyIfChanged: true });
    expect(first.changed).toBe(true);
    const version = (await t.repos.alerts.require(alert.alertId)).version;
    const second = await refresh(alert.alertId, 'schedule', { onlyIfChanged: true });
    expect(second.changed).toBe(false);
    expect((await t.repos.alerts.require(alert.alertId)).version).toBe(version);
  });

  it('has no impacted CIs for an alert on an unknown CI, and says when the depth bound cut the walk', async () => {
    const ghost = await alertOn('not-in-map');
    expect((await refresh(ghost.alertId, 'op')).impactedCis).toEqual([]);
    const alert = await alertOn('db-main');
    const cut = await refresh(alert.alertId, 'op', { maxDepth: 1 });
    expect(cut.truncated).toBe(true);
    expect(cut.impactedCis.map((c) => c.ciId)).toEqual(['db-main']);
  });

  it('recalculates open alerts on schedule, going on past an alert that fails and stopping when out of time', async () => {
    const good = await alertOn('db-main');
    const bad = await alertOn('svc-orders');
    const failing = { ...t.repos, serviceMap: Object.create(t.repos.serviceMap) };
    failing.serviceMap.nodes = async (ids: string[]) => {
      if (ids.length === 1 && ids[0] === 'svc-orders') throw new Error('boom'); // the failing alert's own CI only
      return t.repos.serviceMap.nodes(ids);
    };
    const failures: string[] = [];
    const outcome = await recalculateOpenAlerts(failing, { onFailure: (alertId) => failures.push(alertId) });
    expect(failures).toContain(bad.alertId);
    expect(outcome.failed).toBe(failures.length);
    expect(outcome.evaluated).toBeGreaterThan(outcome.failed);
    expect((await impactedCisView(t.repos, good.alertId, 25)).refreshedAt).not.toBeNull();
    expect(await recalculateOpenAlerts(t.repos, { timeLeft: () => 0 })).toEqual({ evaluated: 0, changed: 0, failed: 0, stoppedEarly: true });
  });

  it('lets a walk given longer than a store call read on while the database is slow; a read on its own gives up after its budget', async () => {
    const alert = await alertOn('db-main');
    // The database throttles the next 4 batch reads, each after 2.5 s (on the store's clock): 10 s, past a store call's 6 s.
    let throttled = 0;
    let offset = 0;
    t.store.doc.middlewareStack.add(
      (next) => async (args) => {
        const asked = Object.values((args.input as { RequestItems?: Record<string, object> }).RequestItems ?? {})[0];
        // A BatchGetItem names its keys; a BatchWriteItem lists its writes.
        if (asked && 'Keys' in asked && throttled < 4) {
          throttled++;
          offset += 2500;
          throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'slowReads' },
    );
    clock.now = () => Date.now() + offset;
    try {
      // A read on its own gives up after its budget: 503.
      await expect(t.repos.serviceMap.nodes(['db-main'])).rejects.toThrow(Unavailable);
      [throttled, offset] = [0, 0];
      // A walk with a minute to go reads on, and finds the whole impact.
      const view = await refreshImpact(t.repos, alert.alertId, 'op', { walkDeadline: clock.now() + 60_000, deadline: clock.now() + 60_000 });
      expect(throttled).toBe(4);
      expect([view.truncated, view.impactedCis.map((c) => c.ciId)]).toEqual([false, ['db-main', 'svc-orders', 'bs-shop']]);
    } finally {
      clock.now = () => Date.now();
      t.store.doc.middlewareStack.remove('slowReads');
    }
  });

  it('answers 404 for an unknown alert', async () => {
    await expect(refresh('alr_000000000000000000000000', 'op')).rejects.toThrow(NotFound);
  });
});

describe('the affected install base on a case', () => {
  it('attaches the alert’s affected install base at conversion; agents add and remove items', async () => {
    const alert = await alertOn('db-main');
    await refresh(alert.alertId, 'op');
    const c = await convertAlertToCase(t.repos, alert.alertId, { shortDescription: 'DB down', accountId: 'acme' }, 'op');
    const attached = caseInstallBaseView(await t.repos.cases.require(c!.caseId));
    expect(attached.affectedInstallBase.map((g) => g.accountId)).toEqual(['acme', 'globex']);

    const added = await addCaseInstallBaseItem(t.repos, c!.caseId, 'ib-it-1', 'agent');
    expect(added.affectedInstallBase.map((g) => g.accountId)).toEqual(['acme', 'globex', 'it']);
    const again = await addCaseInstallBaseItem(t.repos, c!.caseId, 'ib-it-1', 'agent');
    expect(again).toEqual(added);
    await removeCaseInstallBaseItem(t.repos, c!.caseId, 'ib-globex-1', 'agent');
    expect(caseInstallBaseView(await t.repos.cases.require(c!.caseId)).affectedInstallBase.map((g) => g.accountId)).toEqual(['acme', 'it']);
    await expect(removeCaseInstallBaseItem(t.repos, c!.caseId, 'ib-globex-1', 'agent')).rejects.toThrow(NotFound);
    await expect(addCaseInstallBaseItem(t.repos, c!.caseId, 'ib-none', 'agent')).rejects.toThrow(NotFound);

    await updateCase(t.repos, c!.caseId, { stage: 'closed', closedReason: 'low_risk' }, 'agent');
    await expect(addCaseInstallBaseItem(t.repos, c!.caseId, 'ib-globex-1', 'agent')).rejects.toThrow(Conflict);
  });

  it('refreshes install base health: worst open alert impacting each item, else ok', async () => {
    const critical = await alertOn('app-orders', 'critical');
    await refresh(critical.alertId, 'op'); // impacts svc-orders and bs-shop
    const minor = await alertOn('bs-intranet', 'minor');
    await refresh(minor.alertId, 'op');
    const c = await createManualCase(t.repos, { shortDescription: 'Check health', priority: 'low', accountId: 'acme' }, 'agent');
    await addCaseInstallBaseItem(t.repos, c!.caseId, 'ib-acme-2', 'agent');
    await addCaseInstallBaseItem(t.repos, c!.caseId, 'ib-it-1', 'agent');
    const health = await refreshInstallBaseHealth(t.repos, c!.caseId);
    expect(health).toMatchObject({ caseId: c!.caseId, accountId: 'acme', refreshedAt: expect.any(String) });
    expect(Object.fromEntries(health.items.map((i) => [i.installBaseItemId, i.health]))).toEqual({ 'ib-acme-2': 'critical', 'ib-it-1': 'minor' });

    // A closed alert no longer counts.
    await changeAlertState(t.repos, critical.alertId, 'closed', 'op');
    const after = await refreshInstallBaseHealth(t.repos, c!.caseId);
    expect(after.items.find((i) => i.installBaseItemId === 'ib-acme-2')?.health).not.toBe('critical');
    await changeAlertState(t.repos, minor.alertId, 'closed', 'op');
  });

  it("falls back to the account's items, and answers 409 naming what is missing", async () => {
    const withAccount = await createManualCase(t.repos, { shortDescription: 'x', priority: 'low', accountId: 'globex' }, 'agent');
    expect((await refreshInstallBaseHealth(t.repos, withAccount!.caseId)).items.map((i) => i.installBaseItemId)).toEqual(['ib-globex-1']);
    const noAccount = await createManualCase(t.repos, { shortDescription: 'x', priority: 'low' }, 'agent');
    const missingAccount = await refreshInstallBaseHealth(t.repos, noAccount!.caseId).catch((e) => e);
    expect(missingAccount).toBeInstanceOf(Conflict);
    expect(missingAccount.extra).toEqual({ missing: 'accountId' });
    await importInstallBase(t.repos, { accounts: [{ accountId: 'empty', name: 'Empty Co', type: 'external' }] });
    const emptyAccount = await createManualCase(t.repos, { shortDescription: 'x', priority: 'low', accountId: 'empty' }, 'agent');
    const missingItems = await refreshInstallBaseHealth(t.repos, emptyAccount!.caseId).catch((e) => e);
    expect(missingItems.extra).toEqual({ missing: 'installBaseItems' });
  });

  it('shows the sold products and the source alert in the case details', async () => {
    const alert = await alertOn('db-main');
    await refresh(alert.alertId, 'op');
    const c = await convertAlertToCase(t.repos, alert.alertId, { shortDescription: 'details' }, 'op');
    const details = await caseDetails(t.repos, c!.caseId);
    expect(details.soldProducts.map((p) => p.soldProductId)).toEqual(['sp-acme-shop', 'sp-globex-shop']);
    expect(details.alert).toMatchObject({ alertId: alert.alertId, caseId: c!.caseId });
    const manual = await createManualCase(t.repos, { shortDescription: 'x', priority: 'low' }, 'agent');
    expect(await caseDetails(t.repos, manual!.caseId)).toEqual({ soldProducts: [], alert: null });
  });
});
