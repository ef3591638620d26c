/**
 * A real Prometheus Alertmanager (the Debian package; .ci/run installs it)
 * pointed at the local runtime through both of its receivers: a webhook with
 * an integration key as Bearer, and `pagerduty_configs` with our PagerDuty
 * route as its `url`. Alerts are pushed to Alertmanager's own API, re-sent by
 * it at every repeat_interval, then resolved: each is raised once, its
 * re-sends counted nowhere, and cleared, through both receivers.
 */
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { alertIdFor } from '../../lib/domain/alert.js';
import { alertmanagerConfig, startAlertmanager, type PostableAlert, type RunningAlertmanager } from '../support/alertmanager.js';
import { client, eventually } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
let alertmanager: RunningAlertmanager;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
let webhook: { integrationId: string; source: string; key: string };
let pagerduty: { integrationId: string; source: string; key: string };

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-am-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
  const create = async (name: string, kind: string) => (await api.call('POST', '/integrations', { as: admin, body: { name, kind } })).body;
  webhook = await create('prometheus-prod', 'alertmanager');
  pagerduty = await create('prometheus-prod-pd', 'pagerduty');
  expect(webhook.key).toHaveLength(32);
  // Each alert its own group; Alertmanager sends every firing alert again each 2 s, exactly as it would each repeat_interval.
  const config = alertmanagerConfig({
    webhookUrl: `${runtime.url}/integrations/alertmanager`,
    webhookKey: webhook.key,
    pagerdutyUrl: `${runtime.url}/integrations/pagerduty/v2/enqueue`,
    pagerdutyKey: pagerduty.key,
    repeatInterval: '2s',
  });
  alertmanager = await startAlertmanager({ config });
});
afterAll(async () => {
  await alertmanager?.stop();
  await runtime?.stop();
});

const alerts: PostableAlert[] = [
  { labels: { alertname: 'HighErrorRate', severity: 'critical', instance: 'api-1', team: 'payments' }, annotations: { summary: 'Error rate above 5% on checkout' } },
  { labels: { alertname: 'DiskFull', severity: 'warning', instance: 'db-2' }, annotations: { description: 'Disk 95% full' } },
];

async function webhookAlerts() {
  const res = await api.call('GET', `/alerts?source=${webhook.source}&limit=100`, { as: operator });
  return res.body.items as { alertId: string; description: string; severity: string; state: string; occurrences: number; ciId?: string; sourceAlertId: string }[];
}
async function pagerdutyAlerts() {
  const res = await api.call('GET', `/alerts?source=${pagerduty.source}&limit=100`, { as: operator });
  return res.body.items as { alertId: string; state: string; occurrences: number }[];
}
const historyCount = async (alertId: string) =>
  ((await api.call('GET', `/alerts/${alertId}/history?limit=100`, { as: operator })).body.items as unknown[]).length;

it('raises, ignores re-sends and clears alerts sent by a real Alertmanager through both receivers', async () => {
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  await alertmanager.pushAlerts(alerts.map((a) => ({ ...a, startsAt, generatorURL: 'http://prometheus.example:9090/graph' })));

  const raised = await eventually(async () => {
    const [fromWebhook, fromPagerDuty] = [await webhookAlerts(), await pagerdutyAlerts()];
    return fromWebhook.length === 2 && fromPagerDuty.length === 2 ? { fromWebhook, fromPagerDuty } : undefined;
  }, 20_000).catch((error) => {
    throw new Error(`${(error as Error).message}\nAlertmanager said:\n${alertmanager.logs()}`);
  });
  const errorRate = raised.fromWebhook.find((a) => a.description === 'Error rate above 5% on checkout')!;
  expect(errorRate).toMatchObject({ severity: 'critical', ciId: 'api-1', state: 'open', occurrences: 1 });
  expect(raised.fromWebhook.find((a) => a.description === 'Disk 95% full')).toMatchObject({ severity: 'warning', ciId: 'db-2' });
  expect(raised.fromPagerDuty.every((a) => a.state === 'open')).toBe(true);

  // Alertmanager sends each firing alert again every 2 s (its repeat_interval): the same firing, nothing new.
  await new Promise((r) => setTimeout(r, 5_000));
  for (const alert of [...(await webhookAlerts()), ...(await pagerdutyAlerts())]) expect(alert).toMatchObject({ occurrences: 1, state: 'open' });
  const entries = await eventually(async () => ((await historyCount(errorRate.alertId)) === 1 ? 1 : undefined));
  expect(entries).toBe(1);

  // Resolved: an endsAt in the past. Both receivers send the resolution (send_resolved).
  await alertmanager.pushAlerts(alerts.map((a) => ({ ...a, startsAt, endsAt: new Date(Date.now() - 1_000).toISOString() })));
  await eventually(async () => {
    const all = [...(await webhookAlerts()), ...(await pagerdutyAlerts())];
    return all.length === 4 && all.every((a) => a.state === 'closed') ? all : undefined;
  }, 20_000).catch((error) => {
    throw new Error(`${(error as Error).message}\nAlertmanager said:\n${alertmanager.logs()}`);
  });
  expect((await api.call('GET', `/alerts/${alertIdFor(webhook.source, errorRate.sourceAlertId)}`, { as: operator })).body).toMatchObject({
    state: 'closed',
    occurrences: 1,
  });
  // Created, then cleared: two entries, however often Alertmanager sent either.
  expect(await eventually(async () => ((await historyCount(errorRate.alertId)) === 2 ? 2 : undefined))).toBe(2);
}, 60_000);
