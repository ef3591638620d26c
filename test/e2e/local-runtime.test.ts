/**
 * The local runtime end to end: the same handlers behind the HTTP server, the
 * stream poller writing history, and the PutEvents endpoint, driven over HTTP.
 */
import { callsOutsideGrants, tableCallCounts, tableCalls, tableItemsRead } from '../../local/table-access.js';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SignJWT } from 'jose';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { signLocalToken } from '../../local/tokens.js';
import { client, eventually } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
const agent = ['adam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];
const manager = ['maria', 'sn_customerservice_manager'] as [string, 'sn_customerservice_manager'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-${Date.now()}`, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

const raise = (body: Record<string, unknown>) =>
  api.call('POST', '/alerts', { as: operator, body: { source: 'zabbix', severity: 'major', description: 'API latency high', ...body } });

describe('alerts in, cases out', () => {
  it('answers /health without a token', async () => {
    const res = await api.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('raises an alert (201), repeats it (200), converts it to a numbered case, and refuses a second conversion with 409', async () => {
    const first = await raise({ sourceAlertId: 'z-1', ciId: 'api-gw', attributes: { region: 'eu-west-1' } });
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe('"1"');
    const repeat = await raise({ sourceAlertId: 'z-1', severity: 'critical' });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ alertId: first.body.alertId, occurrences: 2, severity: 'critical' });

    const converted = await api.call('POST', `/alerts/${first.body.alertId}/case`, { as: operator, body: { shortDescription: 'API latency' } });
    expect(converted.status).toBe(201);
    expect(converted.body).toMatchObject({ priority: 'critical', stage: 'new', origin: 'alert', alertAttributes: { region: 'eu-west-1' } });
    expect(converted.body.number).toMatch(/^CS\d{7}$/);

    const alert = await api.call('GET', `/alerts/${first.body.alertId}`, { as: agent });
    expect(alert.body).toMatchObject({ caseId: converted.body.caseId, caseNumber: converted.body.number, links: { case: `/cases/${converted.body.caseId}` } });

    const again = await api.call('POST', `/alerts/${first.body.alertId}/case`, { as: operator, body: { shortDescription: 'again' } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body).toMatchObject({ caseId: converted.body.caseId, caseNumber: converted.body.number });

    const byNumber = await api.call('GET', `/cases/${converted.body.number}`, { as: agent });
    expect(byNumber.body.caseId).toBe(converted.body.caseId);
  });

  // Contention on one alert never answers 503: no reply here is sent again. Twenty at once stays within what DynamoDB
  // Local on two loaded cores answers in time (fifty measured its queue, not the service).
  it('answers twenty simultaneous conversions of one alert with one 201 and 409s naming that case, never a 503, and records each change once', async () => {
    const alert = await raise({ sourceAlertId: 'z-race' });
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => api.call('POST', `/alerts/${alert.body.alertId}/case`, { as: operator, body: { shortDescription: 'Race' }, retry: false })),
    );
    const created = replies.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const conflicts = replies.filter((r) => r.status === 409);
    expect(conflicts).toHaveLength(19);
    for (const c of conflicts) expect(c.body).toMatchObject({ caseId: created[0].body.caseId, caseNumber: created[0].body.number });
    const alertHistory = await eventually(async () => {
      const res = await api.call('GET', `/alerts/${alert.body.alertId}/history`, { as: operator });
      return res.body.items.length >= 2 ? res.body.items : undefined;
    });
    expect(alertHistory.map((e: { action: string }) => e.action)).toEqual(['created', 'converted_to_case']);
    const caseHistory = await api.call('GET', `/cases/${created[0].body.caseId}/history`, { as: operator });
    expect(caseHistory.body.items.map((e: { action: string }) => e.action)).toEqual(['created_from_alert']);
  });

  it('clears a known alert (200) and answers 404 for an unknown one', async () => {
    await raise({ sourceAlertId: 'z-clear' });
    const cleared = await raise({ sourceAlertId: 'z-clear', severity: 'clear' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.state).toBe('closed');
    const unknown = await raise({ sourceAlertId: 'z-never', severity: 'clear' });
    expect(unknown.status).toBe(404);
  });

  it('writes history through the stream: who, when, what, which fields', async () => {
    const alert = await raise({ sourceAlertId: 'z-hist' });
    const created = await api.call('POST', `/alerts/${alert.body.alertId}/case`, { as: operator, body: { shortDescription: 'History' } });
    const patched = await api.call('PATCH', `/cases/${created.body.caseId}`, { as: agent, body: { stage: 'in_progress', priority: 'low' } });
    expect(patched.status).toBe(200);
    const history = await eventually(async () => {
      const res = await api.call('GET', `/cases/${created.body.caseId}/history`, { as: operator });
      return res.body.items.length >= 2 ? res.body.items : undefined;
    });
    expect(history.map((e: { action: string }) => e.action)).toEqual(['created_from_alert', 'updated']);
    // Newest first when asked (the console's order), a page at a time; an order it does not know is a 400 naming it.
    const newest = await api.call('GET', `/cases/${created.body.caseId}/history?order=newest&limit=1`, { as: operator });
    expect(newest.body.items.map((e: { action: string }) => e.action)).toEqual(['updated']);
    const older = await api.call('GET', `/cases/${created.body.caseId}/history?order=newest&limit=1&cursor=${newest.body.nextCursor}`, { as: operator });
    expect(older.body.items.map((e: { action: string }) => e.action)).toEqual(['created_from_alert']);
    // A cursor of one order does not resume the other.
    expect((await api.call('GET', `/cases/${created.body.caseId}/history?limit=1&cursor=${newest.body.nextCursor}`, { as: operator })).status).toBe(400);
    const unknown = await api.call('GET', `/cases/${created.body.caseId}/history?order=sideways`, { as: operator });
    expect({ status: unknown.status, path: unknown.body.errors?.[0]?.path }).toEqual({ status: 400, path: 'order' });
    expect(history[1]).toMatchObject({
      actor: 'adam',
      changes: [
        { field: 'priority', from: 'high', to: 'low' },
        { field: 'stage', from: 'new', to: 'in_progress' },
      ],
    });
    const alertHistory = await eventually(async () => {
      const res = await api.call('GET', `/alerts/${alert.body.alertId}/history`, { as: agent });
      return res.body.items.length >= 2 ? res.body.items : undefined;
    });
    expect(alertHistory.map((e: { action: string }) => e.action)).toEqual(['created', 'converted_to_case']);
  });

  it('raises an alert sent through an unchanged EventBridgeClient pointed at the local server', async () => {
    const events = new EventBridgeClient({ endpoint: runtime.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'alert-to-case',
            Source: 'monitoring.datadog',
            DetailType: 'Alert Raised',
            Detail: JSON.stringify({ source: 'datadog', sourceAlertId: 'dd-1', severity: 'minor', description: 'queue depth', ciId: 'mq-1' }),
          },
        ],
      }),
    );
    events.destroy();
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0].EventId).toEqual(expect.any(String));
    await runtime.bus.drain();
    const listed = await api.call('GET', '/alerts?source=datadog', { as: operator });
    expect(listed.body.items).toEqual([expect.objectContaining({ sourceAlertId: 'dd-1', severity: 'minor', createdBy: 'event:monitoring.datadog' })]);
  });

  it('answers PutEvents with an x-amzn-RequestId header, as EventBridge does', async () => {
    const res = await fetch(`${runtime.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ Entries: [{ EventBusName: 'alert-to-case', Source: 'itsm', DetailType: 'Nothing Listens', Detail: '{}' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const refused = await fetch(`${runtime.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents' }, body: 'not json' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-amzn-requestid')).toEqual(expect.any(String));
  });

  it('returns the first result for a POST retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'manual-case-1' };
    const body = { shortDescription: 'Customer cannot log in', priority: 'high' };
    const first = await api.call('POST', '/cases', { as: agent, body, headers });
    const retry = await api.call('POST', '/cases', { as: agent, body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const noteHeaders = { 'idempotency-key': 'note-1' };
    const note1 = await api.call('POST', `/cases/${first.body.caseId}/work-notes`, { as: operator, body: { text: 'hi' }, headers: noteHeaders });
    const note2 = await api.call('POST', `/cases/${first.body.caseId}/work-notes`, { as: operator, body: { text: 'hi' }, headers: noteHeaders });
    expect(note2.body).toEqual(note1.body);
    // The same retry through a percent-encoded path is the same request.
    const encoded = first.body.caseId.replace(/^c/, '%63');
    const note3 = await api.call('POST', `/cases/${encoded}/work-notes`, { as: operator, body: { text: 'hi' }, headers: noteHeaders });
    expect(note3.body).toEqual(note1.body);
    const notes = await api.call('GET', `/cases/${first.body.caseId}/work-notes`, { as: agent });
    expect(notes.body.items).toHaveLength(1);
  });

  it('refuses a PATCH with a stale If-Match with 412', async () => {
    const created = await api.call('POST', '/cases', { as: agent, body: { shortDescription: 'Stale', priority: 'low' } });
    const ok = await api.call('PATCH', `/cases/${created.body.caseId}`, { as: agent, body: { priority: 'high' }, headers: { 'if-match': created.headers.get('etag')! } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await api.call('PATCH', `/cases/${created.body.caseId}`, { as: agent, body: { priority: 'low' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
  });

  it('answers a read naming the version it holds (If-None-Match) with 304 and no body while the case is unchanged, and with the case once it changed', async () => {
    const created = await api.call('POST', '/cases', { as: agent, body: { shortDescription: 'Polled', priority: 'low' } });
    const path = `/cases/${created.body.caseId}`;
    const same = await api.call('GET', path, { as: agent, headers: { 'if-none-match': '"1"' } });
    expect({ status: same.status, etag: same.headers.get('etag'), body: same.body }).toEqual({ status: 304, etag: '"1"', body: undefined });
    // By number too, and a list of tags, one of them current.
    expect((await api.call('GET', `/cases/${created.body.number}`, { as: agent, headers: { 'if-none-match': 'W/"0", "1"' } })).status).toBe(304);
    await api.call('POST', `${path}/work-notes`, { as: agent, body: { text: 'a note changes no version' } });
    await api.call('PATCH', path, { as: agent, body: { priority: 'high' } });
    const changed = await api.call('GET', path, { as: agent, headers: { 'if-none-match': '"1"' } });
    expect({ status: changed.status, etag: changed.headers.get('etag'), priority: changed.body.priority }).toEqual({ status: 200, etag: '"2"', priority: 'high' });
    // The console follows a case by its newest history entry: unchanged, that is a 304 from one request to the table, which reads no item.
    const newest = `${path}/history?order=newest&limit=1`;
    const seen = await eventually(async () => {
      const r = await api.call('GET', newest, { as: agent });
      return r.body.items[0]?.action === 'updated' ? r : undefined;
    });
    const before = { calls: tableCallCounts.get('cases-api') ?? 0, items: tableItemsRead.get('cases-api') ?? 0 };
    const poll = await api.call('GET', newest, { as: agent, headers: { 'if-none-match': seen.headers.get('etag')! } });
    expect({ status: poll.status, etag: poll.headers.get('etag'), calls: (tableCallCounts.get('cases-api') ?? 0) - before.calls, items: (tableItemsRead.get('cases-api') ?? 0) - before.items }).toEqual({
      status: 304,
      etag: seen.headers.get('etag'),
      calls: 1,
      items: 0,
    });
    // Once something happened, the same look answers it, with a new tag; a tag the look never gave is no match.
    await api.call('POST', `${path}/work-notes`, { as: agent, body: { text: 'news' } });
    const news = await eventually(async () => {
      const r = await api.call('GET', newest, { as: agent, headers: { 'if-none-match': seen.headers.get('etag')! } });
      return r.status === 200 ? r : undefined;
    });
    expect({ action: news.body.items[0].action, newTag: news.headers.get('etag') !== seen.headers.get('etag') }).toEqual({ action: 'work_note', newTag: true });
    for (const forged of ['W/"h.not-a-mark"', 'W/"h.9999-12-31T23:59:59.999Z#x', '"h.2026"']) {
      expect((await api.call('GET', newest, { as: agent, headers: { 'if-none-match': forged } })).status).toBe(200);
    }
    // An alert's read answers the same way.
    const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'poll-test', severity: 'minor', description: 'polled' } });
    expect((await api.call('GET', `/alerts/${alert.body.alertId}`, { as: operator, headers: { 'if-none-match': alert.headers.get('etag')! } })).status).toBe(304);
  });

  it('lets managers set queue members, and assigns only members', async () => {
    const put = await api.call('PUT', '/queues/tier1', { as: manager, body: { members: ['adam'] } });
    expect(put).toMatchObject({ status: 200, body: { queueId: 'tier1', members: ['adam'] } });
    const queues = await api.call('GET', '/queues', { as: agent });
    expect(queues.body.items.map((q: { queueId: string }) => q.queueId)).toEqual(['tier1', 'tier2', 'tier3']);
    const first = await api.call('GET', '/queues?limit=2', { as: agent });
    const rest = await api.call('GET', `/queues?limit=2&cursor=${first.body.nextCursor}`, { as: agent });
    expect([...first.body.items, ...rest.body.items].map((q: { queueId: string }) => q.queueId)).toEqual(['tier1', 'tier2', 'tier3']);
    expect(rest.body.nextCursor).toBeNull();
    const member = await api.call('POST', '/cases', { as: agent, body: { shortDescription: 'q', priority: 'low', queue: 'tier1', assignee: 'adam' } });
    expect(member.body).toMatchObject({ queue: 'tier1', assignee: 'adam', warnings: [] });
    const unknownQueue = await api.call('POST', '/cases', { as: agent, body: { shortDescription: 'q', priority: 'low', queue: 'tier9' } });
    expect(unknownQueue.status).toBe(400);
    expect(unknownQueue.body.errors[0].path).toBe('queue');
  });
});

describe('access and hostile input', () => {
  it('answers 401 without a token, with an expired token, and with a token signed by another key', async () => {
    expect((await api.call('GET', '/cases')).status).toBe(401);
    const expired = await signLocalToken({ sub: 'x', roles: ['evt_mgmt_admin'], ttlSeconds: -60 });
    expect((await api.call('GET', '/cases', { token: expired })).status).toBe(401);
    const forged = await new SignJWT({ 'cognito:groups': ['evt_mgmt_admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret'));
    const res = await api.call('GET', '/cases', { token: forged });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 403 for a role without the right', async () => {
    const created = await api.call('POST', '/cases', { as: agent, body: { shortDescription: 'Roles', priority: 'low' } });
    const patch = await api.call('PATCH', `/cases/${created.body.caseId}`, { as: operator, body: { priority: 'high' } });
    expect(patch.status).toBe(403);
    expect(patch.body.title).toBe('Forbidden');
    expect((await api.call('POST', '/alerts', { as: agent, body: { source: 's', severity: 'info', description: 'd' } })).status).toBe(403);
    expect((await api.call('PUT', '/queues/tier2', { as: agent, body: { members: [] } })).status).toBe(403);
    // Operators read cases and add work notes.
    expect((await api.call('GET', `/cases/${created.body.caseId}`, { as: operator })).status).toBe(200);
    expect((await api.call('POST', `/cases/${created.body.caseId}/work-notes`, { as: operator, body: { text: 'noted' } })).status).toBe(201);
  });

  it('answers malformed JSON, schema violations and unknown fields with 400 naming the fields', async () => {
    const malformed = await api.call('POST', '/alerts', { as: operator, raw: '{"source":', headers: { 'content-type': 'application/json' } });
    expect(malformed).toMatchObject({ status: 400, body: { errors: [{ path: '(body)' }] } });
    const invalid = await api.call('POST', '/alerts', { as: operator, body: { source: 'x', severity: 'loud', description: 5 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['description', 'severity']);
    const unknown = await api.call('POST', '/cases', { as: agent, body: { shortDescription: 'x', priority: 'low', owner: 'me' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toMatch(/owner/);
    const polluted = await api.call('POST', '/alerts', { as: operator, raw: '{"source":"x","severity":"info","description":"d","attributes":{"__proto__":{"admin":true}}}' });
    expect(polluted.status).toBe(400);
    const badId = await api.call('GET', '/alerts/..%2F..%2Fetc', { as: operator });
    expect(badId.status).toBe(400);
    const badLimit = await api.call('GET', '/cases?limit=1000', { as: agent });
    expect(badLimit).toMatchObject({ status: 400, body: { errors: [{ path: 'limit' }] } });
    const badCursor = await api.call('GET', '/cases?cursor=abc', { as: agent });
    expect(badCursor).toMatchObject({ status: 400, body: { errors: [{ path: 'cursor' }] } });
  });

  it('refuses what the database could not store exactly with 400, never 500', async () => {
    const base = { source: 'x', severity: 'info', description: 'd' };
    const huge = await api.call('POST', '/alerts', { as: operator, body: { ...base, attributes: { n: 1e300 } } });
    expect(huge).toMatchObject({ status: 400, body: { errors: [{ path: 'attributes.n' }] } });
    const tiny = await api.call('POST', '/alerts', { as: operator, body: { ...base, attributes: { n: 1e-300 } } });
    expect(tiny.status).toBe(400);
    const attributes = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, 'v'.repeat(4000)]));
    const tooBig = await api.call('POST', '/alerts', { as: operator, body: { ...base, attributes } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.detail).toMatch(/bytes/);
  });

  it('refuses a body over 1 MiB with 413 and an unknown route with 404 JSON', async () => {
    const huge = await api.call('POST', '/alerts', { as: operator, raw: JSON.stringify({ description: 'x'.repeat(1024 * 1024 + 10) }) });
    expect(huge.status).toBe(413);
    const missing = await api.call('GET', '/nowhere', { as: operator });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });
});

it("used only the table actions and indexes each function's grant allows (lib/functions.ts)", () => {
  expect(tableCalls.size).toBeGreaterThan(0);
  expect(callsOutsideGrants()).toEqual([]);
});
