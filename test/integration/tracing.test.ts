/**
 * Tracing as X-Ray sees it: a real UDP socket stands in for the X-Ray daemon,
 * the handler is wrapped the way every function is (`observed`), and its
 * DynamoDB calls go to DynamoDB Local through the store's traced client.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { observed } from '../../lib/observability.js';
import { parseTraceHeader, type Subsegment } from '../../lib/tracing.js';
import { localContext } from '../../local/stream-poller.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;
let daemon: Socket;
const received: Subsegment[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  t = await createTestTable('tracing');
  daemon = createSocket('udp4');
  daemon.on('message', (message) => {
    const [header, body] = message.toString().split('\n');
    expect(JSON.parse(header)).toEqual({ format: 'json', version: 1 });
    received.push(JSON.parse(body));
  });
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${(daemon.address() as AddressInfo).port}`;
  process.env._HANDLER = 'index.handler';
});
afterAll(async () => {
  process.env = saved;
  daemon.close();
  await t.drop();
});

let traces = 0;
/** A fresh trace header, as Lambda sets it for one invocation. */
function invocation(sampled: boolean) {
  traces += 1;
  const root = `1-6740a0b0-${String(traces).padStart(24, '0')}`;
  const parent = `${String(traces).padStart(16, 'a')}`;
  process.env._X_AMZN_TRACE_ID = `Root=${root};Parent=${parent};Sampled=${sampled ? 1 : 0};Lineage=a87bd80c:0`;
  return { root, parent };
}

async function subsegmentsOf(root: string, count: number): Promise<Subsegment[]> {
  for (let i = 0; i < 200; i++) {
    const mine = received.filter((s) => s.trace_id === root);
    if (mine.length >= count) return mine;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${count} subsegments for ${root}, got ${received.filter((s) => s.trace_id === root).length}`);
}

const byName = (segments: Subsegment[], name: string) => segments.find((s) => s.name === name)!;

test('a sampled invocation sends a handler subsegment under Lambda’s segment and a DynamoDB subsegment under it, and passes the trace on', async () => {
  const headersSent: string[] = [];
  t.store.doc.middlewareStack.add(
    (next) => async (args) => {
      headersSent.push((args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id']);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'test-capture-trace-header' },
  );
  const handler = observed(async () => {
    await t.store.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: 'nothing', sk: 'here' } }));
    return { statusCode: 200 };
  });
  const first = invocation(true);
  await handler({}, localContext('tracing'));
  const second = invocation(true);
  await handler({}, localContext('tracing'));
  t.store.doc.middlewareStack.remove('test-capture-trace-header');

  const segments = await subsegmentsOf(first.root, 2);
  const handlerSegment = byName(segments, '## index.handler');
  expect(handlerSegment).toMatchObject({ type: 'subsegment', parent_id: first.parent, annotations: { ColdStart: true, Service: 'alert-to-case' } });
  expect(handlerSegment.fault ?? handlerSegment.error).toBeUndefined();
  const call = byName(segments, 'DynamoDB');
  expect(call).toMatchObject({
    type: 'subsegment',
    namespace: 'aws',
    parent_id: handlerSegment.id,
    aws: { operation: 'GetItem', table_name: t.tableName, region: 'us-east-1', retries: 0 },
    http: { response: { status: 200 } },
  });
  expect(call.id).toMatch(/^[0-9a-f]{16}$/);
  expect(call.end_time).toBeGreaterThanOrEqual(call.start_time);
  expect(parseTraceHeader(headersSent[0])).toEqual({ root: first.root, parent: call.id, sampled: true });

  const later = byName(await subsegmentsOf(second.root, 2), '## index.handler');
  expect(later.annotations).toMatchObject({ ColdStart: false });
});

test('a refused write is an error on its call, a thrown error a fault with its cause, a 4xx response an error', async () => {
  const conditional = observed(async () => {
    await t.store.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: 'p', sk: 's' }, ConditionExpression: 'attribute_exists(pk)' }));
  });
  const refused = invocation(true);
  await expect(conditional({}, localContext('tracing'))).rejects.toThrow();
  const segments = await subsegmentsOf(refused.root, 2);
  const call = byName(segments, 'DynamoDB');
  expect(call).toMatchObject({ error: true, aws: { operation: 'PutItem' }, http: { response: { status: 400 } } });
  expect(call.fault).toBeUndefined();
  expect(call.cause?.exceptions[0].type).toBe('ConditionalCheckFailedException');
  expect(byName(segments, '## index.handler')).toMatchObject({ fault: true, cause: { exceptions: [{ type: 'ConditionalCheckFailedException' }] } });

  const notFound = invocation(true);
  await observed(async () => ({ statusCode: 404, body: '{}' }))({}, localContext('tracing'));
  const [handled] = await subsegmentsOf(notFound.root, 1);
  expect(handled).toMatchObject({ error: true });
  expect(handled.fault).toBeUndefined();
});

test('an unsampled invocation sends nothing', async () => {
  const handler = observed(async () => {
    await t.store.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: 'nothing', sk: 'here' } }));
  });
  const unsampled = invocation(false);
  await handler({}, localContext('tracing'));
  const sampled = invocation(true);
  await handler({}, localContext('tracing'));
  // Datagrams on loopback arrive in order: once the later trace is in, the earlier one would be too.
  await subsegmentsOf(sampled.root, 2);
  expect(received.filter((s) => s.trace_id === unsampled.root)).toEqual([]);
});
