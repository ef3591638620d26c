/**
 * Automation through the local runtime: Incident Created over the local bus
 * opens one proactive case, playbooks convert raised alerts, a major case
 * carries to its children, and the published events can be read back.
 */
import { callsOutsideGrants, tableCalls } from '../../local/table-access.js';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client, eventually } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
let events: EventBridgeClient;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
const agent = ['adam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];
const manager = ['maria', 'sn_customerservice_manager'] as [string, 'sn_customerservice_manager'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-auto-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
  events = new EventBridgeClient({ endpoint: runtime.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await api.call('POST', '/service-map/import', {
    as: admin,
    body: {
      cis: [
        { ciId: 'svc', name: 'Service', class: 'business_service' },
        { ciId: 'db', name: 'DB', class: 'database' },
      ],
      relationships: [{ parentId: 'svc', childId: 'db' }],
    },
  });
  await api.call('POST', '/install-base/import', {
    as: admin,
    body: {
      accounts: [
        { accountId: 'acme', name: 'Acme', type: 'external' },
        { accountId: 'beta', name: 'Beta', type: 'external' },
        { accountId: 'it', name: 'IT', type: 'internal' },
      ],
      soldProducts: [
        { soldProductId: 'sp-a', accountId: 'acme', name: 'A' },
        { soldProductId: 'sp-b', accountId: 'beta', name: 'B' },
        { soldProductId: 'sp-i', accountId: 'it', name: 'I' },
      ],
      installBaseItems: [
        { installBaseItemId: 'ib-a', accountId: 'acme', soldProductId: 'sp-a', ciId: 'svc', name: 'Acme svc' },
        { installBaseItemId: 'ib-b', accountId: 'beta', soldProductId: 'sp-b', ciId: 'svc', name: 'Beta svc' },
        { installBaseItemId: 'ib-i', accountId: 'it', soldProductId: 'sp-i', ciId: 'svc', name: 'IT svc' },
      ],
    },
  });
});
afterAll(async () => {
  events?.destroy();
  await runtime?.stop();
});

const put = (detailType: string, detail: unknown) =>
  events.send(new PutEventsCommand({ Entries: [{ EventBusName: 'alert-to-case', Source: 'itsm.servicenow', DetailType: detailType, Detail: JSON.stringify(detail) }] }));

it('opens one proactive case for an Incident Created delivered twice through the local bus, when the rule is on', async () => {
  expect((await api.call('GET', '/rules/proactive-case', { as: agent })).body).toEqual({ enabled: false, updatedAt: null, updatedBy: null });
  const on = await api.call('PUT', '/rules/proactive-case', { as: admin, body: { enabled: true } });
  expect(on.body).toMatchObject({ enabled: true, updatedBy: 'ada' });
  expect((await api.call('PUT', '/rules/proactive-case', { as: operator, body: { enabled: false } })).status).toBe(403);

  const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'zabbix', sourceAlertId: 'p-1', severity: 'major', description: 'db slow', ciId: 'db' } });
  await put('Incident Created', { alertId: alert.body.alertId, incidentId: 'INC0010001' });
  await put('Incident Created', { alertId: alert.body.alertId, incidentId: 'INC0010001' });
  await runtime.bus.drain();
  const cases = await api.call('GET', `/cases?alertId=${alert.body.alertId}`, { as: agent });
  expect(cases.body.items).toHaveLength(1);
  expect(cases.body.items[0]).toMatchObject({ origin: 'proactive_rule', proactive: true, priority: 'high' });
  const attached = await api.call('GET', `/cases/${cases.body.items[0].caseId}/affected-install-base`, { as: agent });
  expect(attached.body.affectedInstallBase.map((g: { accountId: string }) => g.accountId)).toEqual(['acme', 'beta']);
  expect((await api.call('GET', `/alerts/${alert.body.alertId}`, { as: agent })).body.incidentId).toBe('INC0010001');
  await api.call('PUT', '/rules/proactive-case', { as: admin, body: { enabled: false } });
});

it('converts a raised alert by an enabled playbook, after a dry run that converted nothing', async () => {
  const raised = await api.call('POST', '/alerts', { as: operator, body: { source: 'crowdstrike', sourceAlertId: 'c-1', severity: 'critical', description: 'malware' } });
  const created = await api.call('POST', '/playbooks', { as: admin, body: { name: 'EDR criticals', conditions: { sources: ['crowdstrike'], severityAtLeast: 'critical' }, action: { queue: 'tier2', priority: 'critical' } } });
  expect(created).toMatchObject({ status: 201, body: { enabled: false, order: 100 } });
  const dry = await api.call('POST', `/playbooks/${created.body.playbookId}/test`, { as: admin });
  expect(dry.body.matches.map((a: { alertId: string }) => a.alertId)).toEqual([raised.body.alertId]);
  expect((await api.call('GET', `/alerts/${raised.body.alertId}`, { as: operator })).body.caseId).toBeUndefined();

  const withReadOnly = await api.call('PUT', `/playbooks/${created.body.playbookId}`, { as: admin, body: { ...created.body, enabled: true } });
  expect(withReadOnly.status).toBe(400); // playbookId, createdAt… are not part of a playbook's body
  const enabled = await api.call('PUT', `/playbooks/${created.body.playbookId}`, { as: admin, body: { name: 'EDR criticals', enabled: true, conditions: created.body.conditions, action: created.body.action } });
  expect(enabled.body.enabled).toBe(true);
  const next = await api.call('POST', '/alerts', { as: operator, body: { source: 'crowdstrike', sourceAlertId: 'c-2', severity: 'critical', description: 'ransomware' } });
  expect(next.body.caseNumber).toMatch(/^CS\d{7}$/);
  const kase = await api.call('GET', `/cases/${next.body.caseNumber}`, { as: agent });
  expect(kase.body).toMatchObject({ origin: 'playbook', queue: 'tier2', priority: 'critical', createdBy: `playbook:${created.body.playbookId}` });
  const history = await eventually(async () => {
    const res = await api.call('GET', `/cases/${kase.body.caseId}/history`, { as: agent });
    return res.body.items.length ? res.body.items : undefined;
  });
  expect(history[0]).toMatchObject({ action: 'created_from_alert', actor: `playbook:${created.body.playbookId}` });
  expect((await api.call('DELETE', `/playbooks/${created.body.playbookId}`, { as: admin })).status).toBe(204);
  expect((await api.call('GET', `/playbooks/${created.body.playbookId}`, { as: admin })).status).toBe(404);
});

it('runs a major case over HTTP, and publishes Major Case Proposed and Accepted, readable back locally', async () => {
  const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'zabbix', sourceAlertId: 'm-1', severity: 'critical', description: 'db down', ciId: 'db' } });
  await api.call('POST', `/alerts/${alert.body.alertId}/impact/refresh`, { as: operator });
  const major = await api.call('POST', `/alerts/${alert.body.alertId}/case`, { as: operator, body: { shortDescription: 'DB down' } });
  expect((await api.call('POST', `/cases/${major.body.caseId}/major-case/accept`, { as: manager })).status).toBe(409);
  const stale = await api.call('POST', `/cases/${major.body.caseId}/major-case/propose`, { as: agent, body: {}, headers: { 'if-match': '"99"' } });
  expect(stale.status).toBe(412);
  const proposed = await api.call('POST', `/cases/${major.body.caseId}/major-case/propose`, {
    as: agent,
    body: { reason: 'three customers' },
    headers: { 'if-match': major.headers.get('etag')! },
  });
  expect(proposed).toMatchObject({ status: 200, body: { majorCase: 'proposed' } });
  expect((await api.call('POST', `/cases/${major.body.caseId}/major-case/accept`, { as: agent })).status).toBe(403);
  const accepted = await api.call('POST', `/cases/${major.body.caseId}/major-case/accept`, { as: manager });
  expect(accepted.body.majorCase).toBe('accepted');
  const children = await api.call('GET', `/cases?parentCaseId=${major.body.caseId}`, { as: agent });
  expect(children.body.items.map((c: { accountId: string }) => c.accountId).sort()).toEqual(['acme', 'beta', 'it']);
  await api.call('PATCH', `/cases/${major.body.caseId}`, { as: agent, body: { stage: 'closed', closedReason: 'already_mitigated' } });
  const after = await api.call('GET', `/cases?parentCaseId=${major.body.caseId}&stage=closed`, { as: agent });
  expect(after.body.items).toHaveLength(3);

  const published = await eventually(async () => {
    const res = await fetch(`${runtime.url}/_local/events`).then((r) => r.json() as Promise<{ items: { 'detail-type': string; detail: { caseId?: string } }[] }>);
    const mine = res.items.filter((e) => e.detail.caseId === major.body.caseId).map((e) => e['detail-type']);
    return mine.includes('Major Case Accepted') ? mine : undefined;
  });
  expect(published).toEqual(expect.arrayContaining(['Case Created', 'Case Updated', 'Major Case Proposed', 'Major Case Accepted']));
});

it("used only the table actions and indexes each function's grant allows (lib/functions.ts)", () => {
  expect(tableCalls.size).toBeGreaterThan(0);
  expect(callsOutsideGrants()).toEqual([]);
});
