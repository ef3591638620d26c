/**
 * A stalled database (DynamoDB Local paused with SIGSTOP) during a conversion:
 * the client gets a 503 problem+json with Retry-After within 8 s, nothing is
 * half-written, and once the database resumes the same request succeeds once.
 */
import { startDynamo, type LocalDynamo } from '../../local/dynamodb.js';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client } from '../support/http.js';

let dynamo: LocalDynamo & { pid?: number };
let runtime: Runtime;
let api: ReturnType<typeof client>;
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];

beforeAll(async () => {
  // Its own DynamoDB Local: pausing the shared one would stall every other test file.
  dynamo = await startDynamo();
  runtime = await startRuntime({ dynamoEndpoint: dynamo.endpoint, tableName: 'faults', impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
}, 60_000);
afterAll(async () => {
  if (dynamo?.pid) process.kill(dynamo.pid, 'SIGCONT');
  await runtime?.stop();
  await dynamo?.stop();
});

it('answers 503 with Retry-After within 8 s while the database is paused, and the retry succeeds once', async () => {
  const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'nagios', sourceAlertId: 'f-1', severity: 'major', description: 'x' } });
  expect(alert.status).toBe(201);
  const request = { as: operator, body: { shortDescription: 'During a stall' }, headers: { 'idempotency-key': 'stall-1' } };

  process.kill(dynamo.pid!, 'SIGSTOP');
  let stalled;
  try {
    // A client that waits 8 s at most (SPEC §4): it must get its answer before giving up.
    stalled = await api.call('POST', `/alerts/${alert.body.alertId}/case`, { ...request, timeoutMs: 8000 });
  } finally {
    process.kill(dynamo.pid!, 'SIGCONT');
  }
  expect(stalled.status).toBe(503);
  expect(stalled.headers.get('content-type')).toBe('application/problem+json');
  expect(Number(stalled.headers.get('retry-after'))).toBeGreaterThan(0);

  const retried = await api.call('POST', `/alerts/${alert.body.alertId}/case`, request);
  expect(retried.status).toBe(201);
  const again = await api.call('POST', `/alerts/${alert.body.alertId}/case`, request);
  expect(again.body.caseId).toBe(retried.body.caseId);
  const cases = await api.call('GET', `/cases?alertId=${alert.body.alertId}`, { as: operator });
  expect(cases.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([retried.body.caseId]);
  const linked = await api.call('GET', `/alerts/${alert.body.alertId}`, { as: operator });
  expect(linked.body.caseId).toBe(retried.body.caseId);
}, 60_000);

it('answers 503 for an import the database stalls part-way through, and the same import sent again completes it', async () => {
  const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
  const cis = Array.from({ length: 4000 }, (_, i) => ({ ciId: `svc-${i}`, name: `Service ${i}`, class: 'application_service' }));
  const relationships = cis.slice(1).map((c, i) => ({ parentId: c.ciId, childId: cis[i].ciId }));
  const body = { cis, relationships };
  const pause = setTimeout(() => process.kill(dynamo.pid!, 'SIGSTOP'), 400);
  let stalled;
  try {
    stalled = await api.call('POST', '/service-map/import', { as: admin, body });
  } finally {
    clearTimeout(pause);
    process.kill(dynamo.pid!, 'SIGCONT');
  }
  expect(stalled.status).toBe(503);
  expect(stalled.headers.get('content-type')).toBe('application/problem+json');

  // Sent again, as a client honouring Retry-After does (a database just resumed may still be slow: it may take more than one go).
  let again = await api.call('POST', '/service-map/import', { as: admin, body });
  for (let attempt = 1; again.status === 503 && attempt < 5; attempt++) {
    await new Promise((done) => setTimeout(done, 1000 * Number(again.headers.get('retry-after') ?? 1)));
    again = await api.call('POST', '/service-map/import', { as: admin, body });
  }
  expect(again).toMatchObject({ status: 200, body: { cis: 4000, relationships: 3999 } });
  // Both sides of every link are there: the walk follows parents, the CI view shows both.
  for (const i of [0, 1, 1999, 3998]) {
    const ci = await api.call('GET', `/cis/svc-${i}`, { as: admin });
    expect(ci.body).toMatchObject({ parents: [`svc-${i + 1}`], children: i === 0 ? [] : [`svc-${i - 1}`] });
  }
}, 90_000);
