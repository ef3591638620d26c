/**
 * A stalled database (DynamoDB Local paused with SIGSTOP) during a conversion:
 * the client gets a 503 problem+json with Retry-After within 8 s, nothing is
 * half-written, and once the database answers again the same request
 * succeeds once, the first time it is sent (no connection the stall left
 * behind times it out).
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { onDocumentClient } from '../../lib/store/client.js';
import { localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.js';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client } from '../support/http.js';

let dynamo: LocalDynamo & { pid?: number };
let runtime: Runtime;
let api: ReturnType<typeof client>;
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];

/** Pauses the database as the handlers send their n-th BatchWriteItem from now (counted down to 0). */
let stallAtBatchWrite: number | undefined;

beforeAll(async () => {
  // Before the handlers make their clients (at first use): each gets this middleware.
  onDocumentClient((doc) =>
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && stallAtBatchWrite && --stallAtBatchWrite === 0) process.kill(dynamo.pid!, 'SIGSTOP');
        return next(args);
      },
      { step: 'initialize', name: 'stallPartWay' },
    ),
  );
  // Its own DynamoDB Local: pausing the shared one would stall every other test file.
  dynamo = await startDynamo();
  runtime = await startRuntime({ dynamoEndpoint: dynamo.endpoint, tableName: 'faults', impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
});
afterAll(async () => {
  if (dynamo?.pid) process.kill(dynamo.pid, 'SIGCONT');
  await runtime?.stop();
  await dynamo?.stop();
});

/** Resumes the database and waits until it answers a call of its own (it may first work through what queued up meanwhile). */
async function resume() {
  process.kill(dynamo.pid!, 'SIGCONT');
  const probe = localClient(dynamo.endpoint);
  try {
    for (const until = Date.now() + 30_000; ; ) {
      try {
        await probe.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(5000) });
        return;
      } catch (error) {
        if (Date.now() > until) throw error;
      }
    }
  } finally {
    probe.destroy();
  }
}

it('answers 503 with Retry-After within 8 s while the database is paused, and the retry succeeds once', async () => {
  const alert = await api.call('POST', '/alerts', { as: operator, body: { source: 'nagios', sourceAlertId: 'f-1', severity: 'major', description: 'x' } });
  expect(alert.status).toBe(201);
  const request = { as: operator, body: { shortDescription: 'During a stall' }, headers: { 'idempotency-key': 'stall-1' } };

  process.kill(dynamo.pid!, 'SIGSTOP');
  let stalled;
  try {
    // A client that waits 8 s at most (SPEC §4): it must get its answer before giving up.
    stalled = await api.call('POST', `/alerts/${alert.body.alertId}/case`, { ...request, timeoutMs: 8000, retry: false });
  } finally {
    await resume();
  }
  expect(stalled.status).toBe(503);
  expect(stalled.headers.get('content-type')).toBe('application/problem+json');
  expect(Number(stalled.headers.get('retry-after'))).toBeGreaterThan(0);

  // The first request once the database answers again succeeds: no stale connection is left to time out.
  const retried = await api.call('POST', `/alerts/${alert.body.alertId}/case`, { ...request, retry: false });
  expect(retried.status).toBe(201);
  const again = await api.call('POST', `/alerts/${alert.body.alertId}/case`, { ...request, retry: false });
  expect(again.body.caseId).toBe(retried.body.caseId);
  const cases = await api.call('GET', `/cases?alertId=${alert.body.alertId}`, { as: operator });
  expect(cases.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([retried.body.caseId]);
  const linked = await api.call('GET', `/alerts/${alert.body.alertId}`, { as: operator });
  expect(linked.body.caseId).toBe(retried.body.caseId);
});

it('answers 503 for an import the database stalls part-way through, and the same import sent again completes it', async () => {
  const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
  const cis = Array.from({ length: 4000 }, (_, i) => ({ ciId: `svc-${i}`, name: `Service ${i}`, class: 'application_service' }));
  const relationships = cis.slice(1).map((c, i) => ({ parentId: c.ciId, childId: cis[i].ciId }));
  const body = { cis, relationships };
  // The database stalls once the import has sent its fifth batch of writes (160 in all): part-way, whatever the machine's pace.
  stallAtBatchWrite = 5;
  let stalled;
  try {
    stalled = await api.call('POST', '/service-map/import', { as: admin, body, retry: false });
  } finally {
    await resume();
  }
  expect(stallAtBatchWrite).toBe(0);
  expect(stalled.status).toBe(503);
  expect(stalled.headers.get('content-type')).toBe('application/problem+json');

  // Sent again, as a client honouring Retry-After does, for as long as a resumed database on a slow machine needs to work
  // through what queued up while it was paused (each try may run out its 29 s): one run here needed more than 90 s.
  const again = await api.call('POST', '/service-map/import', { as: admin, body, retry: true, retryForMs: 240_000 });
  expect(again).toMatchObject({ status: 200, body: { cis: 4000, relationships: 3999 } });
  // Both sides of every link are there: the walk follows parents, the CI view shows both.
  for (const i of [0, 1, 1999, 3998]) {
    const ci = await api.call('GET', `/cis/svc-${i}`, { as: admin });
    expect(ci.body).toMatchObject({ parents: [`svc-${i + 1}`], children: i === 0 ? [] : [`svc-${i - 1}`] });
  }
}, 360_000);
