/**
 * Pages under hostile input (SPEC §4): every list refuses a cursor it did not
 * hand out with a 400 naming `cursor` (never a 5xx), and no response passes
 * 5 MB as sent, even when every item is as large as it may be and made of
 * characters JSON escapes — the whole list still walkable.
 */
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client, eventually, type Reply } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const admin = ['ada', 'evt_mgmt_admin', 'evt_mgmt_operator', 'sn_customerservice_agent', 'sn_customerservice_manager'] as [
  string,
  'evt_mgmt_admin',
  'evt_mgmt_operator',
  'sn_customerservice_agent',
  'sn_customerservice_manager',
];
const FIVE_MB = 5 * 1024 * 1024;

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-pages-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

/** The bytes of a response as sent. */
async function sentBytes(method: string, path: string): Promise<{ bytes: number; reply: Reply }> {
  const reply = await api.call(method, path, { as: admin });
  return { bytes: Buffer.byteLength(JSON.stringify(reply.body)), reply };
}

/** Walks a list to its end, every response under 5 MB; returns the items in order. */
async function walk(method: string, path: string, key = 'items') {
  const items: { alertId?: string }[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const separator = path.includes('?') ? '&' : '?';
    const { bytes, reply } = await sentBytes(method, `${path}${cursor ? `${separator}cursor=${cursor}` : ''}`);
    expect(reply.status).toBe(200);
    expect(bytes).toBeLessThan(FIVE_MB);
    items.push(...reply.body[key]);
    cursor = reply.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('the list did not end');
}

describe('alerts as large as they may be, made of characters JSON escapes', () => {
  const count = 45;
  beforeAll(async () => {
    // \u0001 is stored as 1 byte and sent as 6: 21,000 of them make an alert of ~126 KB of JSON (the most is 128 KB).
    const escaped = '\u0001'.repeat(3500);
    for (let i = 0; i < count; i++) {
      const attributes = Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`a${k}`, escaped]));
      const res = await api.call('POST', '/alerts', { as: admin, body: { source: 'big', sourceAlertId: `big-${i}`, severity: 'major', description: 'big', attributes } });
      expect(res.status).toBe(201);
    }
  }, 120_000);

  it('lists them in pages under 5 MB each, every alert once', async () => {
    const items = await walk('GET', '/alerts?source=big&limit=100');
    expect(new Set(items.map((a) => a.alertId)).size).toBe(count);
    expect(items).toHaveLength(count);
  });

  it('pages the playbook dry run the same way', async () => {
    const playbook = await api.call('POST', '/playbooks', { as: admin, body: { name: 'big ones', conditions: { sources: ['big'] }, action: {} } });
    const matches = await walk('POST', `/playbooks/${playbook.body.playbookId}/test?limit=100`, 'matches');
    expect(new Set(matches.map((a) => a.alertId)).size).toBe(count);
  });
});

describe('cursors a list did not hand out', () => {
  const lists: string[] = [];
  beforeAll(async () => {
    const alert = await api.call('POST', '/alerts', { as: admin, body: { source: 'cur', sourceAlertId: 'c-1', severity: 'minor', description: 'x' } });
    await api.call('POST', '/alerts', { as: admin, body: { source: 'cur', sourceAlertId: 'c-1', severity: 'major', description: 'y' } });
    const other = await api.call('POST', '/alerts', { as: admin, body: { source: 'cur', sourceAlertId: 'c-2', severity: 'minor', description: 'x', ciId: 'nowhere' } });
    expect((await api.call('POST', `/alerts/${other.body.alertId}/impact/refresh`, { as: admin })).status).toBe(200);
    const kase = await api.call('POST', '/cases', { as: admin, body: { shortDescription: 'x', priority: 'low' } });
    await api.call('POST', `/cases/${kase.body.caseId}/work-notes`, { as: admin, body: { text: 'one' } });
    await api.call('POST', `/cases/${kase.body.caseId}/work-notes`, { as: admin, body: { text: 'two' } });
    const playbook = await api.call('POST', '/playbooks', { as: admin, body: { name: 'any', conditions: {}, action: {} } });
    const attached = await api.call('POST', `/cases/${kase.body.caseId}/alerts`, { as: admin, body: { alertIds: [alert.body.alertId, other.body.alertId] } });
    expect(attached.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['attached', 'attached']);
    for (const kind of ['alertmanager', 'pagerduty']) await api.call('POST', '/integrations', { as: admin, body: { name: `cur-${kind}`, kind } });
    await api.call('POST', '/service-map/import', { as: admin, body: { cis: [{ ciId: 'ci-1', name: 'CI', class: 'server' }] } });
    const imported = await api.call('POST', '/install-base/import', {
      as: admin,
      body: {
        accounts: [{ accountId: 'acct', name: 'Acct', type: 'external' }],
        soldProducts: [{ soldProductId: 'sp-1', accountId: 'acct', name: 'P' }],
        installBaseItems: [{ installBaseItemId: 'ib-1', accountId: 'acct', soldProductId: 'sp-1', ciId: 'ci-1', name: 'I' }],
      },
    });
    expect(imported.status).toBe(200);
    await eventually(async () => ((await api.call('GET', `/alerts/${alert.body.alertId}/history`, { as: admin })).body.items.length >= 2 ? true : undefined));
    lists.push(
      '/alerts?limit=1',
      '/alerts?source=cur&limit=1',
      '/cases?limit=1',
      '/cases?stage=new&limit=1',
      '/cases?slaBreached=false&limit=1',
      '/cases?slaDueBefore=2100-01-01T00:00:00Z&queue=tier1&limit=1',
      `/alerts/${alert.body.alertId}/history?limit=1`,
      `/cases/${kase.body.caseId}/history?limit=1`,
      `/cases/${kase.body.caseId}/work-notes?limit=1`,
      `/cases/${kase.body.caseId}/alerts?limit=1`,
      `/cases?alertId=${alert.body.alertId}&limit=1`,
      `/alerts/${alert.body.alertId}/impacted-cis?limit=1`,
      `/alerts/${other.body.alertId}/impacted-cis?limit=1`,
      '/playbooks?limit=1',
      '/queues?limit=1',
      '/integrations?limit=1',
      '/accounts/acct/install-base?limit=1',
      '/users?limit=1',
      '/queues/tier1/work-items?limit=1',
      '/slas?limit=1',
      `POST /playbooks/${playbook.body.playbookId}/test?limit=1`,
    );
  });

  const call = (list: string, cursor: string) => {
    const [method, path] = list.startsWith('POST ') ? ['POST', list.slice(5)] : ['GET', list];
    return api.call(method, `${path}&cursor=${encodeURIComponent(cursor)}`, { as: admin });
  };
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

  it('refuses, on every list, cursors forged, truncated, oversized, multi-byte or from another list: 400 naming cursor', async () => {
    const handedOut = (await api.call('GET', '/alerts?limit=1', { as: admin })).body.nextCursor as string;
    const forged = [
      'not a cursor',
      'x',
      b64('not json'),
      b64({}),
      b64({ pk: 'ALERT#x', sk: 'ALERT', gsi1pk: 'ALERT', gsi1sk: 'x' }),
      b64({ l: 'x', p: [null] }),
      b64({ s: 9 }),
      b64({ after: '../../x' }),
      handedOut.slice(0, -3),
      handedOut + 'é',
      'A'.repeat(2049),
      '€'.repeat(700),
    ];
    for (const list of lists) {
      for (const cursor of [...forged, ...(list.startsWith('/alerts?limit') ? [] : [handedOut])]) {
        const res = await call(list, cursor);
        expect({ list, cursor, status: res.status }).toEqual({ list, cursor, status: 400 });
        expect(res.body.errors?.[0]?.path).toBe('cursor');
      }
    }
  });
});

describe('first results too large to keep as they are', () => {
  it('replays a large first result in full (kept gzipped), and does not run the request again', async () => {
    const attributes = Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`a${k}`, '\u0001'.repeat(3500)]));
    const body = { source: 'kept', sourceAlertId: 'k-1', severity: 'major', description: 'large', attributes };
    const headers = { 'idempotency-key': 'large-1' };
    const first = await api.call('POST', '/alerts', { as: admin, body, headers });
    const retry = await api.call('POST', '/alerts', { as: admin, body, headers });
    expect(first.status).toBe(201);
    expect(Buffer.byteLength(JSON.stringify(first.body))).toBeGreaterThan(100 * 1024);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first.body });
    expect((await api.call('GET', `/alerts/${first.body.alertId}`, { as: admin })).body.occurrences).toBe(1);
    // The case converted from it holds the same attributes: its creation keeps the case (gzipped) as its first result.
    const convertHeaders = { 'idempotency-key': 'large-convert-1' };
    const converted = await api.call('POST', `/alerts/${first.body.alertId}/case`, { as: admin, body: { shortDescription: 'large' }, headers: convertHeaders });
    const again = await api.call('POST', `/alerts/${first.body.alertId}/case`, { as: admin, body: { shortDescription: 'large' }, headers: convertHeaders });
    expect(converted.status).toBe(201);
    expect(Buffer.byteLength(JSON.stringify(converted.body))).toBeGreaterThan(32 * 1024);
    expect({ status: again.status, etag: again.headers.get('etag'), body: again.body }).toEqual({ status: 201, etag: converted.headers.get('etag'), body: converted.body });
  });
});
