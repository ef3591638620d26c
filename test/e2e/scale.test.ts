/**
 * Case creation under a storm, over HTTP: many clients converting different
 * alerts and opening manual cases at once. Every creation succeeds once with
 * its own number; none waits on, retries for, or fails because of another's.
 * The clients send an Idempotency-Key and send again after a 503 (the local
 * database behind on a loaded machine), as real clients do; what counts is
 * what was stored.
 */
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { mapLimit } from '../../lib/concurrency.js';
import { client, type Reply } from '../support/http.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
const agent = ['adam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];

beforeAll(async () => {
  runtime = await startRuntime({ tableName: `e2e-scale-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

const numbersOf = (replies: Reply[]) => replies.map((r) => r.body.number as string);

const key = (what: string) => ({ 'idempotency-key': `${what}-${Date.now()}` });

it('converts 200 different alerts sent by 32 clients at once: each once, 200 cases, 200 numbers', async () => {
  const alerts = await mapLimit(Array.from({ length: 200 }, (_, i) => i), 16, async (i) => {
    const res = await api.call('POST', '/alerts', {
      as: operator,
      headers: key(`raise-${i}`),
      body: { source: 'storm', sourceAlertId: `s-${i}`, severity: i % 2 ? 'major' : 'critical', description: `storm alert ${i}` },
    });
    expect(res.status).toBe(201);
    return res.body.alertId as string;
  });
  const conversions = await mapLimit(alerts, 32, (alertId) =>
    api.call('POST', `/alerts/${alertId}/case`, { as: operator, headers: key(`convert-${alertId}`), body: { shortDescription: 'Storm', queue: 'tier1' } }),
  );
  expect(conversions.map((r) => r.status)).toEqual(alerts.map(() => 201));
  const numbers = numbersOf(conversions);
  expect(new Set(numbers).size).toBe(200);
  expect(numbers.every((n) => /^CS\d{7}$/.test(n))).toBe(true);
  // What was stored: each alert names the case it became, the only case holding it, read back by its number.
  const stored = await mapLimit(alerts, 16, async (alertId) => {
    const [alert, cases] = await Promise.all([api.call('GET', `/alerts/${alertId}`, { as: operator }), api.call('GET', `/cases?alertId=${alertId}`, { as: agent })]);
    return [alert.body.caseNumber, cases.body.items.map((c: { number: string }) => c.number)];
  });
  expect(stored).toEqual(numbers.map((n) => [n, [n]]));
  const byNumber = await api.call('GET', `/cases/${conversions[7].body.number}`, { as: agent });
  expect(byNumber.body.caseId).toBe(conversions[7].body.caseId);
});

it('opens 50 manual cases at once, each once with its own number', async () => {
  const created = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      api.call('POST', '/cases', { as: agent, headers: key(`manual-${i}`), body: { shortDescription: `Customer call ${i}`, priority: 'moderate' } }),
    ),
  );
  expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
  expect(new Set(numbersOf(created)).size).toBe(50);
  const calls: string[] = [];
  for (let cursor = ''; ; ) {
    const page = await api.call('GET', `/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { as: agent });
    for (const c of page.body.items) if (c.shortDescription.startsWith('Customer call ')) calls.push(c.number);
    if (!page.body.nextCursor) break;
    cursor = page.body.nextCursor;
  }
  expect(calls.sort()).toEqual(numbersOf(created).sort());
});
