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
