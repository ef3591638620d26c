/**
 * What the functions write to their logs, through the local runtime: each line
 * names the function that wrote it, and no line holds an integration's key.
 * The functions log at INFO here (test/support/logs-on.js), whatever the run's
 * level; what they write is kept out of the test report.
 */
import '../support/logs-on.js';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-logs-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

/** Runs `work` with everything written to stdout, stderr and the console kept (not shown), and returns it line by line. */
async function linesWrittenBy(work: () => Promise<void>): Promise<string[]> {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoles = methods.map((m) => console[m]);
  streams.forEach((stream) => (stream.write = ((chunk: unknown) => written.push(String(chunk)) > 0) as typeof stream.write));
  methods.forEach((m) => (console[m] = (...args: unknown[]) => void written.push(args.map((a) => (a instanceof Error ? a.stack : JSON.stringify(a))).join(' '))));
  try {
    await work();
  } finally {
    streams.forEach((stream, i) => (stream.write = writes[i]));
    methods.forEach((m, i) => (console[m] = consoles[i]));
  }
  return written.flatMap((chunk) => chunk.split('\n')).filter(Boolean);
}

it("names the function serving a request in that request's log lines, while other functions serve others", async () => {
  const lines = await linesWrittenBy(async () => {
    // public-api serves /health over and over while alert-raised raises the alert and logs it.
    let serving = true;
    const health = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (serving) await api.call('GET', '/health');
      }),
    );
    try {
      const events = new EventBridgeClient({ endpoint: runtime.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      await events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'alert-to-case',
              Source: 'monitoring',
              DetailType: 'Alert Raised',
              Detail: JSON.stringify({ source: 'datadog', sourceAlertId: 'dd-logged', severity: 'minor', description: 'logged by its function' }),
            },
          ],
        }),
      );
      events.destroy();
      await runtime.bus.drain();
    } finally {
      serving = false;
      await health;
    }
  });
  const raised = lines.filter((l) => l.includes('"alert raised from event"')).map((l) => JSON.parse(l));
  expect(raised).toEqual([expect.objectContaining({ function_name: 'alert-raised' })]);
});

it('never writes a key to the logs, whether the request is taken, refused or made with a wrong key', async () => {
  const created = await Promise.all(
    (['alertmanager', 'pagerduty'] as const).map((kind) => api.call('POST', '/integrations', { as: admin, body: { name: `logged-${kind}`, kind } })),
  );
  const [am, pd] = created.map((c) => c.body as { integrationId: string; key: string });
  const payload = (fingerprint: string) => ({
    version: '4',
    status: 'firing',
    receiver: 'r',
    groupKey: 'g',
    alerts: [{ status: 'firing', labels: { alertname: 'DiskFull', severity: 'warning' }, annotations: {}, startsAt: '2026-11-30T06:00:00Z', fingerprint }],
  });
  const webhook = (key: string, body: unknown) => api.call('POST', '/integrations/alertmanager', { body, headers: { authorization: `Bearer ${key}` } });
  const enqueue = (body: unknown) => api.call('POST', '/integrations/pagerduty/v2/enqueue', { body });
  const lines = await linesWrittenBy(async () => {
    expect((await webhook(am.key, payload('logged-1'))).status).toBe(200);
    expect((await webhook(am.key, { version: '4', alerts: 'not a list' })).status).toBe(400);
    expect((await webhook(`${am.key.slice(0, 31)}${am.key.endsWith('x') ? 'y' : 'x'}`, payload('logged-2'))).status).toBe(401);
    expect((await enqueue({ routing_key: pd.key, event_action: 'trigger', payload: { summary: 'logged', source: 'web-1', severity: 'info' } })).status).toBe(202);
    expect((await enqueue({ routing_key: pd.key, event_action: 'nonsense' })).status).toBe(400);
    await runtime.bus.drain();
  });
  // The functions did log these requests, naming each integration by its id; no line holds a key or a part of one.
  for (const { integrationId } of [am, pd]) expect(lines.filter((line) => line.includes(integrationId)).length).toBeGreaterThan(0);
  for (const key of [am.key, pd.key, am.key.slice(8), pd.key.slice(8)]) expect(lines.filter((line) => line.includes(key))).toEqual([]);
});
