/**
 * Promises SPEC makes that an attacker, or a careless sender, would test,
 * over HTTP through the local runtime: an integration's key exists in clear
 * in its create answer only; a source belongs to one owner; a closed or
 * cancelled case keeps its alerts; the console is sent with its CSP, and the
 * local token route answers only the local console.
 */
import { request } from 'node:http';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { alertIdFor } from '../../lib/domain/alert.js';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client } from '../support/http.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
const agent = ['adam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];

beforeAll(async () => {
  runtime = await startRuntime({ tableName: `e2e-promises-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url, { keyEveryPost: true });
});
afterAll(async () => {
  await runtime?.stop();
});

/** Every item of the table, as DynamoDB holds it (JSON of its attribute values). */
async function wholeTable(): Promise<string> {
  const db = new DynamoDBClient({ endpoint: runtime.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const items: unknown[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(new ScanCommand({ TableName: runtime.tableName, ExclusiveStartKey: start as never }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return JSON.stringify(items);
  } finally {
    db.destroy();
  }
}

const createIntegration = (body: Record<string, unknown>, headers: Record<string, string> = {}) => api.call('POST', '/integrations', { as: admin, body, headers });
const webhook = (key: string, fingerprint: string, status: 'firing' | 'resolved' = 'firing') =>
  api.call('POST', '/integrations/alertmanager', {
    headers: { authorization: `Bearer ${key}` },
    body: {
      version: '4',
      status,
      receiver: 'alert-to-case',
      groupKey: '{}:{}',
      alerts: [{ status, fingerprint, startsAt: '2026-12-02T10:00:00Z', labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-1' }, annotations: {} }],
    },
  });

describe("an integration's key", () => {
  it('is in the first answer only: a retry with the same Idempotency-Key is answered without it, and no item holds it', async () => {
    const headers = { 'idempotency-key': 'create-once' };
    const first = await createIntegration({ name: 'keys-once', kind: 'alertmanager' }, headers);
    expect(first.status).toBe(201);
    expect(first.body.key).toMatch(/^[A-Za-z0-9]{32}$/);
    const again = await createIntegration({ name: 'keys-once', kind: 'alertmanager' }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replay')).toBe('key-not-kept');
    const { key, ...integration } = first.body;
    expect(again.body).toStrictEqual(integration);
    expect(JSON.stringify((await api.call('GET', '/integrations', { as: admin })).body)).not.toContain(key);
    // Not the key, nor its secret part (only its hash is kept, under the first 8 characters that name it).
    const table = await wholeTable();
    expect(table).not.toContain(key);
    expect(table).not.toContain(key.slice(8));
    // The key works, for the one integration made.
    expect((await webhook(key, 'keys-once-1')).status).toBe(200);
  });
});

describe('a source', () => {
  it("taken by POST /alerts, by another live integration, or beginning 'aws.' is refused to a new integration (409 naming source)", async () => {
    expect((await api.call('POST', '/alerts', { as: operator, body: { source: 'siem-own', severity: 'major', description: 'brute force' } })).status).toBe(201);
    const owned = await createIntegration({ name: 'pd-siem', kind: 'pagerduty', mapping: { source: 'siem-own' } });
    expect(owned.status).toBe(409);
    expect(owned.body).toMatchObject({ field: 'source' });
    const first = await createIntegration({ name: 'prom-owned', kind: 'alertmanager' });
    expect(first.status).toBe(201);
    for (const body of [
      { name: 'prom-owned', kind: 'pagerduty' },
      { name: 'other-name', kind: 'alertmanager', mapping: { source: 'prom-owned' } },
      { name: 'aws.guardduty', kind: 'alertmanager' },
      { name: 'mine', kind: 'pagerduty', mapping: { source: 'aws.securityhub' } },
    ]) {
      const refused = await createIntegration(body);
      expect([body.name, refused.status, refused.body.field]).toEqual([body.name, 409, 'source']);
    }
    // Ingest goes on for the owner.
    expect((await webhook(first.body.key, 'owned-1')).status).toBe(200);
    expect((await api.call('GET', `/alerts/${alertIdFor('prom-owned', 'owned-1')}`, { as: operator })).body).toMatchObject({ source: 'prom-owned', state: 'open' });
  });

  it("of a live integration is refused to POST /alerts (409) and to Alert Raised (a dead letter), and cannot close that integration's alerts", async () => {
    const owner = (await createIntegration({ name: 'am-guarded', kind: 'alertmanager' })).body;
    expect((await webhook(owner.key, 'guarded-1')).status).toBe(200);
    const raised = await api.call('POST', '/alerts', { as: operator, body: { source: 'am-guarded', sourceAlertId: 'guarded-1', severity: 'clear', description: 'resolved' } });
    expect(raised.status).toBe(409);
    expect(raised.body).toMatchObject({ field: 'source' });
    const events = new EventBridgeClient({ endpoint: runtime.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await events.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'alert-to-case', Source: 'monitoring.other', DetailType: 'Alert Raised', Detail: JSON.stringify({ source: 'am-guarded', sourceAlertId: 'via-bus', severity: 'minor', description: 'x' }) }],
      }),
    );
    events.destroy();
    await runtime.bus.drain();
    expect(runtime.bus.deadLetters.map((d) => JSON.stringify(d.event))).toEqual(expect.arrayContaining([expect.stringContaining('via-bus')]));
    expect((await api.call('GET', `/alerts/${alertIdFor('am-guarded', 'via-bus')}`, { as: operator })).status).toBe(404);
    expect((await api.call('GET', `/alerts/${alertIdFor('am-guarded', 'guarded-1')}`, { as: operator })).body.state).toBe('open');
  });

  it('has one owner when twenty raises and twenty integrations race for twenty new sources at once', async () => {
    const sources = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    const [raises, creations] = await Promise.all([
      Promise.all(sources.map((source) => api.call('POST', '/alerts', { as: operator, body: { source, sourceAlertId: 'r-1', severity: 'minor', description: 'race' } }))),
      Promise.all(sources.map((name) => createIntegration({ name, kind: 'alertmanager' }))),
    ]);
    sources.forEach((source, i) => {
      const raised = [200, 201].includes(raises[i].status);
      const created = creations[i].status === 201;
      // Exactly one side won each source; the other was told 409 naming it.
      expect({ source, raised, created }).toEqual({ source, raised: !created, created: !raised });
      expect((raised ? creations[i] : raises[i]).body).toMatchObject({ status: 409, field: 'source' });
    });
  });

  it('is not taken by a clear through POST /alerts (it creates nothing): an integration may have it after', async () => {
    const cleared = await api.call('POST', '/alerts', { as: operator, body: { source: 'never-raised', sourceAlertId: 'x-1', severity: 'clear', description: 'ok' } });
    expect(cleared.status).toBe(404);
    expect((await createIntegration({ name: 'never-raised', kind: 'alertmanager' })).status).toBe(201);
  });

  it("of a revoked integration may be taken by a new one (key rotation): the open alerts go on under the new key", async () => {
    const old = (await createIntegration({ name: 'am-rotated', kind: 'alertmanager' })).body;
    expect((await webhook(old.key, 'rotated-1')).status).toBe(200);
    expect((await api.call('DELETE', `/integrations/${old.integrationId}`, { as: admin })).status).toBe(204);
    const renewed = await createIntegration({ name: 'am-rotated', kind: 'alertmanager' });
    expect(renewed.status).toBe(201);
    expect((await webhook(renewed.body.key, 'rotated-1', 'resolved')).status).toBe(200);
    expect((await api.call('GET', `/alerts/${alertIdFor('am-rotated', 'rotated-1')}`, { as: operator })).body).toMatchObject({ state: 'closed', occurrences: 1 });
  });
});

describe('a closed or cancelled case', () => {
  let serial = 0;
  const raise = async () =>
    (await api.call('POST', '/alerts', { as: operator, body: { source: 'frozen-test', sourceAlertId: `f-${++serial}`, severity: 'minor', description: 'disk' } })).body.alertId as string;
  const convert = async (alertId: string) => (await api.call('POST', `/alerts/${alertId}/case`, { as: operator, body: { shortDescription: 'Disk' } })).body as { caseId: string; number: string };
  const attach = (caseId: string, alertIds: string[], move = false) => api.call('POST', `/cases/${caseId}/alerts`, { as: agent, body: { alertIds, move } });
  const getCase = async (caseId: string) => (await api.call('GET', `/cases/${caseId}`, { as: agent })).body;
  const getAlert = async (alertId: string) => (await api.call('GET', `/alerts/${alertId}`, { as: agent })).body;
  const endings = [
    ['closed', { stage: 'closed', closedReason: 'false_positive' }],
    ['cancelled', { stage: 'cancelled' }],
  ] as const;

  it.each(endings)('keeps its alerts when %s: detach, move out and attach are 409s that write nothing', async (_stage, ending) => {
    const [a1, a2, loose] = [await raise(), await raise(), await raise()];
    const frozen = await convert(a1);
    expect((await attach(frozen.caseId, [a2])).status).toBe(200);
    expect((await api.call('PATCH', `/cases/${frozen.caseId}`, { as: agent, body: ending })).status).toBe(200);
    const before = await getCase(frozen.caseId);
    const other = await convert(await raise());

    const detached = await api.call('DELETE', `/cases/${frozen.caseId}/alerts/${a2}`, { as: agent });
    expect(detached.status).toBe(409);
    expect(detached.body.detail).toMatch(/reopen/);
    const moved = await attach(other.caseId, [a1, a2], true);
    expect(moved.status).toBe(409);
    expect(moved.body.detail).toContain(frozen.number);
    expect((await attach(frozen.caseId, [loose])).status).toBe(409);

    expect(await getCase(frozen.caseId)).toMatchObject({ alertCount: 2, version: before.version });
    expect((await getCase(other.caseId)).alertCount).toBe(1);
    for (const alertId of [a1, a2]) expect((await getAlert(alertId)).caseId).toBe(frozen.caseId);
    expect((await getAlert(loose)).caseId).toBeUndefined();
  });

  it('closing while alerts are attached, ten cases at once: each alert is in its case and counted, or in no case', async () => {
    const cases = await Promise.all(Array.from({ length: 10 }, async () => ({ kase: await convert(await raise()), alertIds: [await raise(), await raise()] })));
    await Promise.all(
      cases.flatMap(({ kase, alertIds }) => [
        api.call('PATCH', `/cases/${kase.caseId}`, { as: agent, body: { stage: 'closed', closedReason: 'false_positive' } }),
        attach(kase.caseId, alertIds),
      ]),
    );
    for (const { kase, alertIds } of cases) {
      const stored = await getCase(kase.caseId);
      expect(stored.stage).toBe('closed');
      const inCase = (await Promise.all(alertIds.map(getAlert))).filter((a) => a.caseId === kase.caseId);
      // All or none: one transaction attaches both, or the closed case takes neither.
      expect([0, 2]).toContain(inCase.length);
      expect(stored.alertCount).toBe(1 + inCase.length);
    }
  });
});

describe('the console', () => {
  it('is sent with its Content-Security-Policy and nosniff, page and files alike', async () => {
    for (const path of ['/console', '/console/app.js', '/console/app.css', '/console/config.json']) {
      const res = await fetch(`${runtime.url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of ["script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "connect-src 'self'"]) expect(csp).toContain(directive);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  /** POST /_local/token with these Host and Origin headers (fetch will not set Host). */
  const token = (host: string, origin: string | undefined) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ sub: 'ada', roles: ['evt_mgmt_admin'] });
      const req = request(
        `${runtime.url}/_local/token`,
        { method: 'POST', headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(origin ? { origin } : {}) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it("mints a token only for the local console: a foreign Host or Origin (another site, DNS rebinding) is a 403", async () => {
    const own = `localhost:${runtime.port}`;
    expect(await token(own, `http://${own}`)).toBe(200);
    expect(await token(`127.0.0.1:${runtime.port}`, `http://127.0.0.1:${runtime.port}`)).toBe(200);
    expect(await token(own, 'http://evil.example')).toBe(403);
    expect(await token(own, undefined)).toBe(403);
    expect(await token(`evil.example:${runtime.port}`, `http://evil.example:${runtime.port}`)).toBe(403);
    expect(await token(own, `http://localhost:${runtime.port + 1}`)).toBe(403);
  });
});
