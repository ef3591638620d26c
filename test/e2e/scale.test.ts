/**
 * Case creation under a storm, over HTTP: many clients converting different
 * alerts and opening manual cases at once. Every creation succeeds with its
 * own number; none waits on, retries for, or fails because of another's.
 */
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { mapLimit } from '../../lib/concurrency.js';
import { client, type Reply } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
const agent = ['adam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-scale-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

const numbersOf = (replies: Reply[]) => replies.map((r) => r.body.number as string);

it('converts 200 different alerts sent by 32 clients at once: 200 cases, 200 numbers, no server error', async () => {
  const alerts = await mapLimit(Array.from({ length: 200 }, (_, i) => i), 16, async (i) => {
    const res = await api.call('POST', '/alerts', {
      as: operator,
      body: { source: 'storm', sourceAlertId: `s-${i}`, severity: i % 2 ? 'major' : 'critical', description: `storm alert ${i}` },
    });
    expect(res.status).toBe(201);
    return res.body.alertId as string;
  });
  const conversions = await mapLimit(alerts, 32, (alertId) =>
    api.call('POST', `/alerts/${alertId}/case`, { as: operator, body: { shortDescription: 'Storm', queue: 'tier1' } }),
  );
  expect(conversions.filter((r) => r.status >= 500)).toEqual([]);
  expect(conversions.map((r) => r.status)).toEqual(alerts.map(() => 201));
  const numbers = numbersOf(conversions);
  expect(new Set(numbers).size).toBe(200);
  expect(numbers.every((n) => /^CS\d{7}$/.test(n))).toBe(true);
  // Each alert names the case it became, and that case is the one read back by number.
  const [alert] = await Promise.all([api.call('GET', `/alerts/${alerts[7]}`, { as: operator })]);
  expect(alert.body).toMatchObject({ caseId: conversions[7].body.caseId, caseNumber: conversions[7].body.number });
  const byNumber = await api.call('GET', `/cases/${conversions[7].body.number}`, { as: agent });
  expect(byNumber.body.caseId).toBe(conversions[7].body.caseId);
});

it('opens 50 manual cases at once, each with its own number', async () => {
  const created = await Promise.all(
    Array.from({ length: 50 }, (_, i) => api.call('POST', '/cases', { as: agent, body: { shortDescription: `Customer call ${i}`, priority: 'moderate' } })),
  );
  expect(created.filter((r) => r.status >= 500)).toEqual([]);
  expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
  expect(new Set(numbersOf(created)).size).toBe(50);
});
