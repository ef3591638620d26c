/**
 * Alert sources through the local runtime (SPEC §2 "Alert sources"):
 * integration keys from creation to revocation, the Alertmanager webhook and
 * PagerDuty Events v2 routes with payloads as those tools send them, the AWS
 * events on the default bus, bad payloads that write nothing, and many
 * payloads at once.
 */
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { callsOutsideGrants, tableCalls } from '../../local/table-access.js';
import { alertIdFor } from '../../lib/domain/alert.js';
import { mapLimit } from '../../lib/concurrency.js';
import { client, eventually } from '../support/http.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
let events: EventBridgeClient;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));

beforeAll(async () => {
  runtime = await startRuntime({ tableName: `e2e-sources-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
  events = new EventBridgeClient({ endpoint: runtime.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  events?.destroy();
  await runtime?.stop();
});

let seq = 0;
async function integration(kind: 'alertmanager' | 'pagerduty', mapping?: Record<string, unknown>) {
  const res = await api.call('POST', '/integrations', { as: admin, body: { name: `${kind}-${++seq}`, kind, ...(mapping ? { mapping } : {}) } });
  expect(res.status).toBe(201);
  return res.body as { integrationId: string; name: string; source: string; key: string };
}

/** A webhook as Alertmanager sends it: sent again after a 503 (the client does that for the ingest routes). */
const webhook = (key: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', '/integrations/alertmanager', { body, headers: { ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}), ...headers } });
const enqueue = (body: unknown) => api.call('POST', '/integrations/pagerduty/v2/enqueue', { body });

interface AmAlert {
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  fingerprint: string;
}
/** A webhook payload as Alertmanager sends it (version 4), with these alerts. */
function amPayload(alerts: AmAlert[]) {
  const base = fixture('alertmanager/webhook-firing.json');
  return {
    ...base,
    alerts: alerts.map((a) => ({
      ...base.alerts[0],
      status: a.status ?? 'firing',
      labels: a.labels ?? { alertname: 'DiskFull', severity: 'warning', instance: `host-${a.fingerprint}` },
      annotations: a.annotations ?? { summary: `Disk full on ${a.fingerprint}` },
      startsAt: a.startsAt ?? '2026-11-30T06:00:00Z',
      fingerprint: a.fingerprint,
    })),
  };
}
/** Every alert of a source, page by page. */
async function allAlerts(source: string) {
  const items: { occurrences: number; state: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('GET', `/alerts?source=${source}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { as: operator });
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
const alertOf = async (source: string, sourceAlertId: string) => (await api.call('GET', `/alerts/${alertIdFor(source, sourceAlertId)}`, { as: operator })).body;
const historyOf = async (source: string, sourceAlertId: string) =>
  (await api.call('GET', `/alerts/${alertIdFor(source, sourceAlertId)}/history?limit=100`, { as: operator })).body.items as { action: string; actor: string }[];

describe('integrations and their keys', () => {
  it('shows the key once, lists integrations without it, and only an admin manages them', async () => {
    const created = await integration('alertmanager', { ciField: 'service' });
    expect(created.key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(created.source).toBe(created.name);
    const listed = await api.call('GET', '/integrations?limit=100', { as: admin });
    const mine = listed.body.items.find((i: { integrationId: string }) => i.integrationId === created.integrationId);
    expect(mine).toMatchObject({ name: created.name, kind: 'alertmanager', mapping: { ciField: 'service' } });
    expect(JSON.stringify(listed.body)).not.toContain(created.key);
    expect(Object.keys(mine)).not.toContain('key');
    for (const [method, path] of [['GET', '/integrations'], ['POST', '/integrations'], ['DELETE', `/integrations/${created.integrationId}`]]) {
      const refused = await api.call(method, path, { as: operator, body: method === 'POST' ? { name: 'x', kind: 'pagerduty' } : undefined });
      expect([path, refused.status]).toEqual([path, 403]);
    }
  });

  it('takes a new key at once, refuses it once revoked, and refuses wrong keys, user tokens and other kinds', async () => {
    const am = await integration('alertmanager');
    const pd = await integration('pagerduty');
    const payload = amPayload([{ fingerprint: 'lifecycle-1' }]);
    expect((await webhook(am.key, payload)).status).toBe(200);

    const wrong = am.key.slice(0, 31) + (am.key.endsWith('a') ? 'b' : 'a');
    const userToken = await api.tokenFor('ada', ['evt_mgmt_admin']);
    for (const [what, key] of [['a wrong key', wrong], ['no key', undefined], ['a user token', userToken], ["a PagerDuty integration's key", pd.key]] as const) {
      const res = await webhook(key, payload);
      expect([what, res.status, res.headers.get('content-type')]).toEqual([what, 401, 'application/problem+json']);
    }
    // The key grants ingest on its own route and nothing else.
    expect((await api.call('GET', '/alerts', { token: am.key })).status).toBe(401);
    expect((await api.call('POST', '/alerts', { token: am.key, body: { source: 'x', severity: 'info', description: 'x' } })).status).toBe(401);
    const amKeyOnPd = await enqueue({ routing_key: am.key, event_action: 'trigger', payload: { summary: 's', source: 'h', severity: 'info' } });
    expect(amKeyOnPd.status).toBe(400);
    expect(amKeyOnPd.body).toMatchObject({ status: 'invalid event', errors: [expect.stringContaining('routing_key')] });

    expect((await api.call('DELETE', `/integrations/${am.integrationId}`, { as: admin })).status).toBe(204);
    expect((await webhook(am.key, payload)).status).toBe(401);
    expect((await api.call('DELETE', `/integrations/${am.integrationId}`, { as: admin })).status).toBe(404);
    const listed = await api.call('GET', '/integrations?limit=100', { as: admin });
    expect(listed.body.items.map((i: { integrationId: string }) => i.integrationId)).not.toContain(am.integrationId);
  });
});

describe('the Alertmanager webhook', () => {
  it('raises, ignores a re-sent firing, counts a new firing, and clears; each change in history once', async () => {
    const am = await integration('alertmanager');
    const firing = fixture('alertmanager/webhook-firing.json');
    const [sent] = firing.alerts;
    const first = await webhook(am.key, firing);
    expect(first.body).toEqual({ received: firing.alerts.length, raised: firing.alerts.length, repeated: 0, cleared: 0, unchanged: 0 });
    const raised = await alertOf(am.source, sent.fingerprint);
    expect(raised).toMatchObject({
      source: am.source,
      sourceAlertId: sent.fingerprint,
      severity: 'critical',
      state: 'open',
      description: sent.annotations.summary,
      ciId: sent.labels.instance,
      occurrences: 1,
      createdBy: `integration:${am.integrationId}`,
      attributes: { 'labels.alertname': sent.labels.alertname, generatorURL: sent.generatorURL },
    });

    // Alertmanager sends the same firing again at every repeat_interval: nothing changes, nothing is recorded.
    // (An Idempotency-Key, which no sender sends, is not looked at on these routes, however odd.)
    expect((await webhook(am.key, firing, { 'idempotency-key': 'k'.repeat(300) })).body).toMatchObject({ raised: 0, repeated: 0, unchanged: firing.alerts.length });
    expect(await alertOf(am.source, sent.fingerprint)).toMatchObject({ occurrences: 1, version: raised.version });

    const again = { ...firing, alerts: [{ ...sent, startsAt: new Date(Date.parse(sent.startsAt) + 60_000).toISOString() }] };
    expect((await webhook(am.key, again)).body).toMatchObject({ repeated: 1 });
    expect(await alertOf(am.source, sent.fingerprint)).toMatchObject({ occurrences: 2 });

    // A resolution of the earlier firing leaves the newer one open.
    const staleResolved = { ...firing, status: 'resolved', alerts: [{ ...sent, status: 'resolved', endsAt: new Date().toISOString() }] };
    expect((await webhook(am.key, staleResolved)).body).toMatchObject({ cleared: 0, unchanged: 1 });
    const resolved = { ...again, status: 'resolved', alerts: [{ ...again.alerts[0], status: 'resolved', endsAt: new Date().toISOString() }] };
    expect((await webhook(am.key, resolved)).body).toMatchObject({ cleared: 1 });
    expect((await webhook(am.key, resolved)).body).toMatchObject({ cleared: 0, unchanged: 1 });
    expect(await alertOf(am.source, sent.fingerprint)).toMatchObject({ state: 'closed', occurrences: 2 });

    const history = await eventually(async () => {
      const entries = await historyOf(am.source, sent.fingerprint);
      return entries.length >= 3 ? entries : undefined;
    });
    expect(history.map((h) => h.action)).toEqual(['created', 'repeated', 'cleared']);
    expect(new Set(history.map((h) => h.actor))).toEqual(new Set([`integration:${am.integrationId}`]));
  });

  it("clears an alert on the resolution of a later firing whose own notification never came, and takes Alertmanager's nanosecond timestamps", async () => {
    const am = await integration('alertmanager');
    await webhook(am.key, amPayload([{ fingerprint: 'later-1', startsAt: '2026-11-30T06:00:00.123456789Z' }]));
    // The same firing written with another precision and offset is the same occurrence.
    expect((await webhook(am.key, amPayload([{ fingerprint: 'later-1', startsAt: '2026-11-30T07:00:00.123+01:00' }]))).body).toMatchObject({ unchanged: 1 });
    const resolved = await webhook(am.key, amPayload([{ fingerprint: 'later-1', status: 'resolved', startsAt: '2026-11-30T06:30:00Z' }]));
    expect(resolved.body).toMatchObject({ cleared: 1 });
    expect(await alertOf(am.source, 'later-1')).toMatchObject({ state: 'closed', occurrences: 1 });
  });

  it('maps severity and the CI through the integration mapping', async () => {
    const am = await integration('alertmanager', { ciField: 'service', severityMap: { p1: 'critical', warning: 'minor' } });
    const res = await webhook(
      am.key,
      amPayload([
        { fingerprint: 'map-1', labels: { alertname: 'A', severity: 'P1', service: 'checkout' } },
        { fingerprint: 'map-2', labels: { alertname: 'B', severity: 'warning', service: 'bad ci id!' } },
        { fingerprint: 'map-3', labels: { alertname: 'C', severity: 'high' }, annotations: { summary: '', description: 'from the description' } },
      ]),
    );
    expect(res.body).toMatchObject({ raised: 3 });
    expect(await alertOf(am.source, 'map-1')).toMatchObject({ severity: 'critical', ciId: 'checkout' });
    const second = await alertOf(am.source, 'map-2');
    expect(second).toMatchObject({ severity: 'minor', attributes: { 'labels.service': 'bad ci id!' } });
    expect(second.ciId).toBeUndefined();
    expect(await alertOf(am.source, 'map-3')).toMatchObject({ severity: 'major', description: 'from the description' });
  });

  it('refuses a bad payload whole, naming the entry and field, and writes nothing', async () => {
    const am = await integration('alertmanager');
    const payload = amPayload([{ fingerprint: 'bad-0' }, { fingerprint: 'bad-1' }, { fingerprint: 'bad-2' }]);
    (payload.alerts[2] as Record<string, unknown>).labels = { alertname: 'X', severity: 7 };
    const res = await webhook(am.key, payload);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('alerts.2.labels');
    expect((await api.call('GET', `/alerts?source=${am.source}`, { as: operator })).body.items).toEqual([]);

    for (const body of [{ ...payload, alerts: 'many' }, { ...payload, version: '3' }, [], 'text']) {
      const refused = await webhook(am.key, body);
      expect([JSON.stringify(body).slice(0, 40), refused.status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
    }
    const tooMany = amPayload(Array.from({ length: 1001 }, (_, i) => ({ fingerprint: `many-${i}` })));
    expect((await webhook(am.key, tooMany)).status).toBe(413);
    expect((await api.call('GET', `/alerts?source=${am.source}`, { as: operator })).body.items).toEqual([]);
  });

  it('takes many webhooks at once, from several integrations, each alert once', async () => {
    const integrations = await Promise.all([integration('alertmanager'), integration('alertmanager')]);
    const payloads = Array.from({ length: 6 }, (_, p) => amPayload(Array.from({ length: 40 }, (_, i) => ({ fingerprint: `storm-${p}-${i}` }))));
    // Every payload twice (an Alertmanager HA pair), through both integrations, all at once: 24 requests, 480 distinct alerts.
    // A 503 (the local database behind on a loaded machine) is sent again, as Alertmanager does.
    const answers = await Promise.all(integrations.flatMap((i) => payloads.flatMap((body) => [webhook(i.key, body), webhook(i.key, body)])));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.reduce((n, a) => n + a.body.repeated, 0)).toBe(0);
    for (const i of integrations) {
      const alerts = await allAlerts(i.source);
      expect(alerts).toHaveLength(240);
      expect(alerts.filter((a) => a.occurrences !== 1 || a.state !== 'open')).toEqual([]);
    }
    // One creation each, however many requests raced to make it.
    await eventually(async () => ((await historyOf(integrations[0].source, 'storm-3-7')).length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    expect((await historyOf(integrations[0].source, 'storm-3-7')).map((h) => h.action)).toEqual(['created']);
    expect(callsOutsideGrants()).toEqual([]);
    expect(tableCalls.get('ingest-api')?.size).toBeGreaterThan(0);
  });

  it('converts each alert of a storm into exactly one case when a playbook matches, while its twin payloads arrive', async () => {
    const am = await integration('alertmanager');
    const playbook = await api.call('POST', '/playbooks', {
      as: admin,
      body: { name: `storm ${am.source}`, enabled: true, conditions: { sources: [am.source] }, action: { queue: 'tier1', priority: 'high' } },
    });
    expect(playbook.status).toBe(201);
    try {
      const payloads = Array.from({ length: 4 }, (_, p) => amPayload(Array.from({ length: 25 }, (_, i) => ({ fingerprint: `pb-${p}-${i}` }))));
      const answers = await Promise.all(payloads.flatMap((body) => [webhook(am.key, body), webhook(am.key, body), webhook(am.key, body)]));
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      expect(await allAlerts(am.source)).toHaveLength(100);
      // Every alert is in a case, and in no other: 100 alerts, 100 cases, one each.
      const fingerprints = payloads.flatMap((_, p) => Array.from({ length: 25 }, (__, i) => `pb-${p}-${i}`));
      const held = await mapLimit(fingerprints, 8, async (fingerprint) => {
        const alert = await alertOf(am.source, fingerprint);
        const cases = await api.call('GET', `/cases?alertId=${alert.alertId}`, { as: operator });
        return { alert: alert.caseId, cases: cases.body.items.map((c: { caseId: string }) => c.caseId) };
      });
      expect(held.filter((h) => !h.alert || h.cases.length !== 1 || h.cases[0] !== h.alert)).toEqual([]);
      expect(new Set(held.map((h) => h.alert)).size).toBe(100);
    } finally {
      await api.call('DELETE', `/playbooks/${playbook.body.playbookId}`, { as: admin });
    }
  });
});

describe('PagerDuty Events API v2', () => {
  it('triggers with and without a dedup key, acknowledges and resolves, answering as PagerDuty does', async () => {
    const pd = await integration('pagerduty');
    const trigger = { ...fixture('alertmanager/pagerduty-trigger.json'), routing_key: pd.key };
    const accepted = await enqueue(trigger);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: trigger.dedup_key });
    expect(await alertOf(pd.source, trigger.dedup_key)).toMatchObject({ state: 'open', description: trigger.payload.summary.slice(0, 4000) });

    const fresh = await enqueue({ routing_key: pd.key, event_action: 'trigger', payload: { summary: 'CPU high', source: 'web-7', severity: 'error', custom_details: { load: 9.5 } } });
    expect(fresh.status).toBe(202);
    expect(fresh.body.dedup_key).toEqual(expect.any(String));
    const alert = await alertOf(pd.source, fresh.body.dedup_key);
    expect(alert).toMatchObject({ severity: 'major', ciId: 'web-7', description: 'CPU high' });

    const ack = await enqueue({ routing_key: pd.key, event_action: 'acknowledge', dedup_key: fresh.body.dedup_key });
    expect(ack.status).toBe(202);
    expect(await alertOf(pd.source, fresh.body.dedup_key)).toMatchObject({ state: 'acknowledged' });
    expect((await enqueue({ routing_key: pd.key, event_action: 'resolve', dedup_key: fresh.body.dedup_key })).status).toBe(202);
    expect(await alertOf(pd.source, fresh.body.dedup_key)).toMatchObject({ state: 'closed' });
    // Acknowledging a closed alert leaves it closed; resolving an unknown one is accepted and writes nothing.
    await enqueue({ routing_key: pd.key, event_action: 'acknowledge', dedup_key: fresh.body.dedup_key });
    expect(await alertOf(pd.source, fresh.body.dedup_key)).toMatchObject({ state: 'closed' });
    expect((await enqueue({ routing_key: pd.key, event_action: 'resolve', dedup_key: 'never-seen' })).status).toBe(202);
    expect((await api.call('GET', `/alerts/${alertIdFor(pd.source, 'never-seen')}`, { as: operator })).status).toBe(404);
  });

  it('answers an invalid event or an unknown key with 400 invalid event and writes nothing', async () => {
    const pd = await integration('pagerduty');
    const invalid = await enqueue({ routing_key: pd.key, event_action: 'trigger', dedup_key: 'pd-invalid', payload: { source: 'h', severity: 'fatal' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ status: 'invalid event', message: expect.any(String) });
    expect(invalid.body.errors.join(' ')).toMatch(/summary/);
    expect(invalid.body.errors.join(' ')).toMatch(/severity/);
    expect((await api.call('GET', `/alerts/${alertIdFor(pd.source, 'pd-invalid')}`, { as: operator })).status).toBe(404);
    for (const routing_key of [undefined, 'x'.repeat(32), 42]) {
      const refused = await enqueue({ routing_key, event_action: 'trigger', payload: { summary: 's', source: 'h', severity: 'info' } });
      expect([routing_key, refused.status, refused.body.status]).toEqual([routing_key, 400, 'invalid event']);
    }
    const malformed = await api.call('POST', '/integrations/pagerduty/v2/enqueue', { raw: '{"routing_key":', headers: { 'content-type': 'application/json' } });
    expect([malformed.status, malformed.body.status]).toEqual([400, 'invalid event']);
  });
});

describe('AWS alert sources on the default bus', () => {
  const put = async (event: { source: string; 'detail-type': string; detail: unknown; resources?: string[] }, bus?: string) => {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [{ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail), Resources: event.resources, ...(bus ? { EventBusName: bus } : {}) }],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    await runtime.bus.drain();
  };

  it('raises a CloudWatch alarm on ALARM and clears it on OK', async () => {
    const alarm = fixture('aws/cloudwatch-alarm.json');
    await put(alarm);
    const arn = alarm.resources[0];
    expect(await alertOf('aws.cloudwatch', arn)).toMatchObject({ state: 'open', severity: 'major', source: 'aws.cloudwatch' });
    await put(fixture('aws/cloudwatch-alarm-ok.json'), 'default');
    expect(await alertOf('aws.cloudwatch', arn)).toMatchObject({ state: 'closed' });
  });

  it('raises a GuardDuty finding with its type as a detection, and counts its update as a repeat', async () => {
    const finding = fixture('aws/guardduty-finding.json');
    await put(finding);
    const alert = await alertOf('aws.guardduty', finding.detail.id);
    expect(alert).toMatchObject({ type: finding.detail.type, occurrences: 1 });
    expect(alert.detections.map((d: { name: string }) => d.name)).toContain(finding.detail.type);
    // GuardDuty sends an update of a finding as a new event: the same id, a later updatedAt, a higher count.
    const update = { ...finding.detail, updatedAt: new Date(Date.parse(finding.detail.updatedAt) + 60_000).toISOString(), service: { ...finding.detail.service, count: 2 } };
    await put({ ...finding, detail: update });
    expect(await alertOf('aws.guardduty', finding.detail.id)).toMatchObject({ occurrences: 2 });
    // The same update delivered again is the same occurrence.
    await put({ ...finding, detail: update });
    expect(await alertOf('aws.guardduty', finding.detail.id)).toMatchObject({ occurrences: 2 });
    expect(await alertOf('aws.guardduty', finding.detail.id)).toMatchObject({ occurrences: 2 });
  });

  it('raises each Security Hub finding and clears a resolved one', async () => {
    const imported = fixture('aws/securityhub-findings.json');
    await put(imported);
    for (const finding of imported.detail.findings) expect(await alertOf('aws.securityhub', finding.Id)).toMatchObject({ state: 'open' });
    const resolved = fixture('aws/securityhub-resolved.json');
    await put(resolved);
    expect(await alertOf('aws.securityhub', resolved.detail.findings[0].Id)).toMatchObject({ state: 'closed' });
  });

  it('parks a bad AWS event as a dead letter and writes nothing', async () => {
    const before = runtime.bus.deadLetters.length;
    const finding = fixture('aws/guardduty-finding.json');
    await put({ ...finding, detail: { ...finding.detail, id: undefined, severity: 'high' } });
    expect(runtime.bus.deadLetters.length).toBe(before + 1);
    // A good finding beside a bad one: the event is refused whole, the good one not written either.
    const imported = fixture('aws/securityhub-findings.json');
    const [good, other] = imported.detail.findings;
    const goodId = `${good.Id}-beside-a-bad-one`;
    await put({ ...imported, detail: { findings: [{ ...good, Id: goodId }, { ...other, Severity: { Label: 'APOCALYPTIC' } }] } });
    expect(runtime.bus.deadLetters.length).toBe(before + 2);
    expect((await api.call('GET', `/alerts/${alertIdFor('aws.securityhub', goodId)}`, { as: operator })).status).toBe(404);
  });

  it('routes nothing put on this service own bus from an AWS source name', async () => {
    const finding = fixture('aws/guardduty-finding.json');
    await put({ ...finding, detail: { ...finding.detail, id: 'on-the-wrong-bus' } }, 'alert-to-case');
    expect((await api.call('GET', `/alerts/${alertIdFor('aws.guardduty', 'on-the-wrong-bus')}`, { as: operator })).status).toBe(404);
  });
});
