/**
 * Hostile payloads on the ingest routes, property-based, with a valid key so
 * the payload itself faces the checks: every field of an Alertmanager webhook
 * and a PagerDuty event either as the sender sends it or replaced by something
 * hostile. Never a 5xx; a refused payload writes nothing (none of its alerts
 * exists afterwards), an accepted one writes every alert it names. The AWS
 * events the same way, through their function: a refused event (it fails, to
 * be retried and parked) writes none of its findings.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { handler as awsAlerts } from '../../functions/events/aws-alerts.js';
import { localContext } from '../../local/stream-poller.js';
import { alertIdFor } from '../../lib/domain/alert.js';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
let am: { key: string; source: string };
let pd: { key: string; source: string };

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-fuzz-sources-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  api = client(runtime.url);
  am = (await api.call('POST', '/integrations', { as: admin, body: { name: 'fuzz-am', kind: 'alertmanager' } })).body;
  pd = (await api.call('POST', '/integrations', { as: admin, body: { name: 'fuzz-pd', kind: 'pagerduty' } })).body;
});
afterAll(() => runtime?.stop());

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'a'.repeat(5000), '\u0000', '../../x', 'firing', 'resolved', 'trigger', 'critical'),
  fc.constantFrom(1e308, -0, 2 ** 60, true, null, [], {}),
  fc.integer({ min: 1000, max: 150_000 }).map((n) => 'z'.repeat(n)),
);
/** A field as the sender sends it, or (about one time in four) something hostile in its place or missing. */
const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: valid.map((v) => ({ v })) }, { weight: 1, arbitrary: hostile.map((v) => ({ v })) }, { weight: 1, arbitrary: fc.constant(undefined) });
const assemble = (fields: Record<string, { v: unknown } | undefined>) =>
  Object.fromEntries(Object.entries(fields).flatMap(([k, f]) => (f ? [[k, f.v]] : [])));
const names = fc.constantFrom('alertname', 'severity', 'instance', 'team', 'job', 'summary', 'description', '__proto__', 'bad name', '_x', 'a.b');
const strings = fc.dictionary(names, fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('critical', 'warning', '', 'x'.repeat(4100))), { maxKeys: 6 });

let run = 0;
const amAlert = (fingerprint: string) =>
  fc
    .record({
      status: field(fc.constantFrom('firing', 'resolved')),
      labels: field(strings),
      annotations: field(strings),
      startsAt: field(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
      endsAt: field(fc.constant('0001-01-01T00:00:00Z')),
      generatorURL: field(fc.constantFrom('', 'http://prometheus:9090/graph')),
      fingerprint: fc.oneof({ weight: 8, arbitrary: fc.constant({ v: fingerprint }) }, { weight: 1, arbitrary: hostile.map((v) => ({ v })) }),
      extra: field(fc.jsonValue({ maxDepth: 2 })),
    })
    .map(assemble);
const amPayload = fc.integer({ min: 1, max: 4 }).chain((n) => {
  const prefix = `fz${++run}`;
  return fc
    .record({
      version: field(fc.constant('4')),
      status: field(fc.constantFrom('firing', 'resolved')),
      receiver: field(fc.constant('webhook')),
      groupKey: field(fc.string()),
      externalURL: field(fc.constant('')),
      alerts: fc.oneof(
        { weight: 8, arbitrary: fc.tuple(...Array.from({ length: n }, (_, i) => amAlert(`${prefix}-${i}`))).map((v) => ({ v })) },
        { weight: 1, arbitrary: hostile.map((v) => ({ v })) },
      ),
    })
    .map((fields) => ({ body: assemble(fields), fingerprints: Array.from({ length: n }, (_, i) => `${prefix}-${i}`) }));
});

const exists = async (source: string, sourceAlertId: string) =>
  (await api.call('GET', `/alerts/${alertIdFor(source, sourceAlertId)}`, { as: operator })).status === 200;

it('answers hostile Alertmanager payloads with 200 or a 4xx problem, never a 5xx, and a refused one writes nothing', async () => {
  const seen = new Set<number>();
  await fc.assert(
    fc.asyncProperty(amPayload, async ({ body, fingerprints }) => {
      const res = await api.call('POST', '/integrations/alertmanager', { body, headers: { authorization: `Bearer ${am.key}` } });
      seen.add(res.status);
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        for (const fingerprint of fingerprints) expect([fingerprint, await exists(am.source, fingerprint)]).toEqual([fingerprint, false]);
      } else {
        expect(res.status).toBe(200);
        const firing = (body.alerts as { status: string; fingerprint: string }[]).filter((a) => a.status === 'firing');
        // Two entries with one fingerprint: the last one counts.
        const last = new Map((body.alerts as { status: string; fingerprint: string }[]).map((a) => [a.fingerprint, a.status]));
        for (const { fingerprint } of firing) if (last.get(fingerprint) === 'firing') expect([fingerprint, await exists(am.source, fingerprint)]).toEqual([fingerprint, true]);
      }
    }),
    { numRuns: 250 },
  );
  // The generator reaches both outcomes: a property that only ever refused would prove nothing.
  expect(seen.has(200)).toBe(true);
  expect(seen.has(400)).toBe(true);
}, 300_000);

const pdEvent = fc.nat().chain(() => {
  const dedupKey = `pd-fz${++run}`;
  return fc
    .record({
      routing_key: fc.constant({ v: pd.key }),
      event_action: field(fc.constantFrom('trigger', 'acknowledge', 'resolve')),
      dedup_key: field(fc.constant(dedupKey)),
      payload: field(
        fc
          .record({
            summary: field(fc.string({ minLength: 1, maxLength: 60 })),
            source: field(fc.constantFrom('web-1', 'db 2', 'Alertmanager')),
            severity: field(fc.constantFrom('critical', 'error', 'warning', 'info')),
            timestamp: field(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
            component: field(fc.string({ maxLength: 20 })),
            custom_details: field(fc.jsonValue({ maxDepth: 2 })),
          })
          .map(assemble),
      ),
      client: field(fc.constant('fuzzer')),
    })
    .map((fields) => ({ body: assemble(fields), dedupKey }));
});

it('answers hostile PagerDuty events with 202 or 400 invalid event, never a 5xx, and a refused one writes nothing', async () => {
  const seen = new Set<number>();
  await fc.assert(
    fc.asyncProperty(pdEvent, async ({ body, dedupKey }) => {
      const res = await api.call('POST', '/integrations/pagerduty/v2/enqueue', { body });
      seen.add(res.status);
      expect([202, 400]).toContain(res.status);
      if (res.status === 400) {
        expect(res.body).toMatchObject({ status: 'invalid event', message: expect.any(String), errors: expect.any(Array) });
        expect(await exists(pd.source, dedupKey)).toBe(false);
      } else if (body.event_action === 'trigger') {
        expect(await exists(pd.source, res.body.dedup_key)).toBe(true);
      }
    }),
    { numRuns: 250 },
  );
  expect(seen.has(202)).toBe(true);
  expect(seen.has(400)).toBe(true);
}, 300_000);

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/aws/${name}`, import.meta.url), 'utf8'));
/** A Security Hub event of two findings, or a GuardDuty finding, with fields replaced by hostile values here and there. */
const awsEvent = fc.constantFrom('securityhub-findings.json', 'guardduty-finding.json', 'cloudwatch-alarm.json').chain((name) => {
  const base = fixture(name);
  const id = `fz-aws-${++run}`;
  const hostileAt = (record: Record<string, unknown>) =>
    fc.dictionary(fc.constantFrom(...Object.keys(record)), hostile, { maxKeys: 2 }).map((changes) => ({ ...record, ...changes }));
  if (name === 'securityhub-findings.json') {
    const [a, b] = base.detail.findings as Record<string, unknown>[];
    return fc.tuple(fc.oneof(fc.constant(a), hostileAt(a)), fc.oneof(fc.constant(b), hostileAt(b))).map(([x, y]) => ({
      event: { ...base, id, detail: { findings: [{ ...x, Id: `${id}-0` }, { ...y, Id: `${id}-1` }] } },
      keys: [`${id}-0`, `${id}-1`],
    }));
  }
  if (name === 'guardduty-finding.json') {
    return fc.oneof(fc.constant(base.detail), hostileAt(base.detail)).map((detail) => ({ event: { ...base, id, detail: { ...detail, id } }, keys: [id] }));
  }
  return fc.oneof(fc.constant(base.detail), hostileAt(base.detail)).map((detail) => ({ event: { ...base, id, resources: [id], detail }, keys: [id] }));
});

it('takes hostile AWS events whole or not at all: a refused one writes none of its findings', async () => {
  const outcomes = new Set<string>();
  await fc.assert(
    fc.asyncProperty(awsEvent, async ({ event, keys }) => {
      const refused = await awsAlerts(event, localContext('aws-alerts', 60_000)).then(
        () => false,
        () => true,
      );
      outcomes.add(refused ? 'refused' : 'taken');
      const stored = await Promise.all(keys.map((key) => exists(event.source, key)));
      if (refused) expect(stored).toEqual(keys.map(() => false));
    }),
    { numRuns: 150 },
  );
  expect([...outcomes].sort()).toEqual(['refused', 'taken']);
}, 300_000);

