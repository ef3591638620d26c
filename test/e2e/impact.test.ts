/**
 * Impact through the local runtime: imports over HTTP, a refresh that emits
 * `Impact Refreshed` on the bus, the schedule picking up a changed service map
 * by itself, and the case's install base views.
 */
import { callsOutsideGrants, tableCalls } from '../../local/table-access.js';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client, eventually } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
const agent = ['adam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-impact-${Date.now()}`, impactIntervalSeconds: 1, log: () => undefined });
  api = client(runtime.url);
  const map = await api.call('POST', '/service-map/import', {
    as: admin,
    body: {
      cis: [
        { ciId: 'bs-web', name: 'Web', class: 'business_service' },
        { ciId: 'bs-mobile', name: 'Mobile', class: 'business_service' },
        { ciId: 'db-1', name: 'DB 1', class: 'database' },
      ],
      relationships: [{ parentId: 'bs-web', childId: 'db-1' }],
    },
  });
  expect(map).toMatchObject({ status: 200, body: { cis: 3, relationships: 1 } });
  const ib = await api.call('POST', '/install-base/import', {
    as: admin,
    body: {
      accounts: [
        { accountId: 'acme', name: 'Acme', type: 'external' },
        { accountId: 'beta', name: 'Beta', type: 'external' },
      ],
      soldProducts: [
        { soldProductId: 'sp-a', accountId: 'acme', name: 'Web' },
        { soldProductId: 'sp-b', accountId: 'beta', name: 'Mobile' },
      ],
      installBaseItems: [
        { installBaseItemId: 'ib-a', accountId: 'acme', soldProductId: 'sp-a', ciId: 'bs-web', name: 'Acme web' },
        { installBaseItemId: 'ib-b', accountId: 'beta', soldProductId: 'sp-b', ciId: 'bs-mobile', name: 'Beta mobile' },
      ],
    },
  });
  expect(ib).toMatchObject({ status: 200, body: { accounts: 2, soldProducts: 2, installBaseItems: 2 } });
});
afterAll(() => runtime?.stop());

it('refreshes impact over HTTP and publishes Impact Refreshed with the change that caused it', async () => {
  const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'nagios', sourceAlertId: 'e-1', severity: 'critical', description: 'db', ciId: 'db-1' } });
  const refreshed = await api.call('POST', `/alerts/${alert.body.alertId}/impact/refresh`, { as: operator });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.impactedCis.map((c: { ciId: string }) => c.ciId)).toEqual(['db-1', 'bs-web']);
  expect(refreshed.body.affectedInstallBase).toEqual([
    { accountId: 'acme', accountName: 'Acme', accountType: 'external', items: [{ installBaseItemId: 'ib-a', name: 'Acme web', ciId: 'bs-web', soldProductId: 'sp-a' }] },
  ]);
  const event = await eventually(async () =>
    runtime.bus.published.find((e) => e['detail-type'] === 'Impact Refreshed' && (e.detail as { alertId: string }).alertId === alert.body.alertId),
  );
  expect(event).toMatchObject({ source: 'alert-to-case', detail: { impactedCis: 2, affectedAccounts: 1, changeId: expect.stringMatching(/:v\d+$/), eventId: expect.any(String) } });
  expect((await api.call('GET', `/alerts/${alert.body.alertId}/impacted-cis`, { as: agent })).body.impactedCis).toHaveLength(2);
  expect((await api.call('POST', `/alerts/${alert.body.alertId}/impact/refresh`, { as: agent })).status).toBe(403);
});

it('lets the schedule pick up a changed service map by itself', async () => {
  const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'nagios', sourceAlertId: 'e-2', severity: 'major', description: 'db', ciId: 'db-1' } });
  await api.call('POST', `/alerts/${alert.body.alertId}/impact/refresh`, { as: operator });
  await api.call('POST', '/service-map/import', { as: admin, body: { relationships: [{ parentId: 'bs-mobile', childId: 'db-1' }] } });
  const view = await eventually(async () => {
    const res = await api.call('GET', `/alerts/${alert.body.alertId}/affected-install-base`, { as: operator });
    return res.body.affectedInstallBase.length === 2 ? res.body : undefined;
  });
  expect(view.affectedInstallBase.map((g: { accountId: string }) => g.accountId)).toEqual(['acme', 'beta']);
  const history = await eventually(async () => {
    const res = await api.call('GET', `/alerts/${alert.body.alertId}/history`, { as: operator });
    return res.body.items.some((e: { actor: string }) => e.actor === 'schedule') ? res.body.items : undefined;
  });
  // Two recorded refreshes: the first is olivia's, unless the 1 s schedule computed the new alert's impact before her
  // request (hers then changes nothing and records nothing); the second, after the map changed, is the schedule's.
  const refreshedBy = history.filter((e: { action: string }) => e.action === 'impact_refreshed').map((e: { actor: string }) => e.actor);
  expect(refreshedBy).toHaveLength(2);
  expect(['olivia', 'schedule']).toContain(refreshedBy[0]);
  expect(refreshedBy[1]).toBe('schedule');
});

it('publishes Case Created, Alert Converted and Alert Attached when an alert becomes a case', async () => {
  const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'nagios', sourceAlertId: 'e-3', severity: 'minor', description: 'db', ciId: 'db-1' } });
  const created = await api.call('POST', `/alerts/${alert.body.alertId}/case`, { as: operator, body: { shortDescription: 'db' } });
  const types = await eventually(async () => {
    const mine = runtime.bus.published.filter((e) => JSON.stringify(e.detail).includes(created.body.caseId)).map((e) => e['detail-type']);
    return mine.length >= 3 ? mine.sort() : undefined;
  });
  expect(types).toEqual(['Alert Attached', 'Alert Converted', 'Case Created']);
});

it('finds accounts by the beginning of their name, in any case, A to Z, a page at a time', async () => {
  const names = ['Acme Labs', 'ACORN Foods', 'acme Retail', 'Bacme Ltd', 'Zeta Acme'];
  const imported = await api.call('POST', '/install-base/import', {
    as: admin,
    body: { accounts: names.map((name, i) => ({ accountId: `find-${i}`, name, type: 'external' })) },
  });
  expect(imported.status).toBe(200);
  const names$ = (r: { body: { items: { name: string }[] } }) => r.body.items.map((a) => a.name);
  // Every role that reads cases picks accounts.
  const ac = await api.call('GET', '/accounts?q=aC', { as: agent });
  expect(names$(ac)).toEqual(['Acme', 'Acme Labs', 'acme Retail', 'ACORN Foods']);
  expect(ac.body.items[0]).toEqual({ accountId: 'acme', name: 'Acme', type: 'external' });
  expect(names$(await api.call('GET', '/accounts?q=acme%20r', { as: operator }))).toEqual(['acme Retail']);
  // Paged: the shards merged in name order, resumed where the page stopped.
  const first = await api.call('GET', '/accounts?limit=3', { as: operator });
  const rest = await api.call('GET', `/accounts?limit=10&cursor=${first.body.nextCursor}`, { as: operator });
  expect([...names$(first), ...names$(rest)]).toEqual(['Acme', 'Acme Labs', 'acme Retail', 'ACORN Foods', 'Bacme Ltd', 'Beta', 'Zeta Acme']);
  expect(rest.body.nextCursor).toBeNull();
  // A cursor of another prefix, and a forged one, are refused naming the cursor.
  const other = await api.call('GET', `/accounts?q=ac&limit=1`, { as: operator });
  for (const cursor of [other.body.nextCursor, 'eyJmb3JnZWQiOnRydWV9']) {
    const refused = await api.call('GET', `/accounts?q=z&cursor=${cursor}`, { as: operator });
    expect({ status: refused.status, path: refused.body.errors?.[0]?.path }).toEqual({ status: 400, path: 'cursor' });
  }
  const tooLong = await api.call('GET', `/accounts?q=${'a'.repeat(101)}`, { as: operator });
  expect({ status: tooLong.status, path: tooLong.body.errors?.[0]?.path }).toEqual({ status: 400, path: 'q' });
});

it("used only the table actions and indexes each function's grant allows (lib/functions.ts)", () => {
  expect(tableCalls.size).toBeGreaterThan(0);
  expect(callsOutsideGrants()).toEqual([]);
});
