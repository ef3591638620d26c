/**
 * Hostile input, property-based: at least 1,000 generated requests across every
 * route — wrong types, missing and extra fields, huge strings, deep nesting,
 * prototype-polluting keys, bad path ids, bad cursors and limits — each answered
 * with a 4xx problem+json (or a success), never a 5xx.
 */
import fc from 'fast-check';
import { OPERATIONS as ROUTES } from '../../lib/contract/api.js';
import { ROLES } from '../../lib/contract/permissions.js';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { signLocalToken } from '../../local/tokens.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let token: string;

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `e2e-fuzz-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  // Every role: requests get past authorization, so validation and the use cases face the input.
  token = await signLocalToken({ sub: 'fuzzer', roles: [...ROLES] });
});
afterAll(() => runtime?.stop());

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', '..', '../../etc/passwd', '%00', '%', '%ZZ', 'null', '__proto__', 'constructor', 'CS0001001', 'alr_000000000000000000000000', 'case_' + '0'.repeat(32), 'a'.repeat(5000)),
);
const deep = (depth: number) => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  nasty,
  fc.constantFrom(1e308, -1e308, 1e-320, 2 ** 60, -0, true, null, [], {}),
  fc.integer({ min: 0, max: 3000 }).map(deep),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'z'.repeat(n)),
);
const fieldNames = fc.constantFrom(
  'source', 'sourceAlertId', 'severity', 'description', 'ciId', 'attributes', 'detections', 'state', 'shortDescription', 'priority',
  'stage', 'closedReason', 'closedReasonText', 'queue', 'assignee', 'accountId', 'text', 'members', 'installBaseItemId', 'reason',
  'enabled', 'name', 'order', 'conditions', 'action', 'cis', 'relationships', 'accounts', 'soldProducts', 'installBaseItems',
  '__proto__', 'constructor', 'prototype', 'extra',
);
const body = fc.oneof(
  fc.dictionary(fieldNames, value, { maxKeys: 8 }).map((o) => JSON.stringify(o)),
  value.map((v) => JSON.stringify(v)),
  fc.constantFrom('{', '{"a":', 'not json', '[]', 'null', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}'),
  fc.constant(undefined),
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'state', 'severity', 'source', 'stage', 'queue', 'assignee', 'accountId', 'proactive', 'alertId', 'parentCaseId', 'detailType', 'x'),
  fc.oneof(nasty, fc.constantFrom('0', '-1', '1', '100', '101', '1e3', 'abc', 'true', 'open', 'new'), fc.base64String({ maxLength: 200 })),
  { maxKeys: 4 },
);
const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  ids: fc.array(nasty, { minLength: 3, maxLength: 3 }),
  query,
  body,
  headers: fc.record({
    ifMatch: fc.option(fc.oneof(nasty, fc.constantFrom('"1"', 'W/"2"', '*')), { nil: undefined }),
    idempotencyKey: fc.option(nasty, { nil: undefined }),
  }),
});

it('answers at least 1,000 hostile requests across every route without a 5xx', async () => {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(request, async ({ route, ids, query, body, headers }) => {
      let i = 0;
      const path = route.path.replace(/\{\w+\}/g, () => encodeURIComponent(ids[i++] || 'x'));
      const search = new URLSearchParams(query).toString();
      const sendBody = route.method !== 'GET' && route.method !== 'DELETE' ? body : undefined;
      const res = await fetch(`${runtime.url}${path}${search ? `?${search}` : ''}`, {
        method: route.method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(sendBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(headers.ifMatch !== undefined ? { 'if-match': headers.ifMatch.replace(/[^\x20-\x7e]/g, '') } : {}),
          ...(headers.idempotencyKey !== undefined ? { 'idempotency-key': headers.idempotencyKey.replace(/[^\x20-\x7e]/g, '') } : {}),
        },
        body: sendBody,
      });
      sent += 1;
      const text = await res.text();
      if (res.status >= 500) throw new Error(`${route.method} ${path}?${search} → ${res.status}: ${text.slice(0, 300)}\nbody: ${String(sendBody).slice(0, 300)}`);
      if (res.status === 400 && 'ingest' in route && route.ingest === 'pagerduty') {
        // PagerDuty's own answer, which its senders read.
        expect(JSON.parse(text)).toMatchObject({ status: 'invalid event', message: expect.any(String), errors: expect.any(Array) });
      } else if (res.status >= 400) {
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(JSON.parse(text)).toMatchObject({ status: res.status, title: expect.any(String), detail: expect.any(String) });
      }
    }),
    { numRuns: 1000 },
  );
  expect(sent).toBeGreaterThanOrEqual(1000);
}, 300_000);
