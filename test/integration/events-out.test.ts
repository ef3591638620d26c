/**
 * The events function publishes a batch's events in order, ten to a call, and
 * when the bus refuses one, reports that record and every later one for the
 * stream to retry in order. The bus is a stand-in HTTP server speaking
 * PutEvents, which refuses what it is told to.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { localContext } from '../../local/stream-poller.js';

let server: Server;
const calls: { DetailType: string; Detail: string }[][] = [];
let refuse = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const entries = (JSON.parse(body) as { Entries: { DetailType: string; Detail: string }[] }).Entries;
      calls.push(entries);
      const results = entries.map((e) => (refuse.has(JSON.parse(e.Detail).eventId) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'no' } : { EventId: 'x' }));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  process.env.EVENT_BUS_NAME = 'alert-to-case';
  process.env.EVENTBRIDGE_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** A new alert's stream record: one `Alert Raised` event. */
const raised = (i: number): DynamoDBRecord => ({
  eventID: `e-${i}`,
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(1000 + i),
    NewImage: marshall({ entity: 'alert', alertId: `alr_${i}`, version: 1, source: 's', severity: 'minor', state: 'open', updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'op', lastAction: 'created', occurrences: 1 }) as never,
  },
});

it('publishes 25 records’ events in order, ten to a call; a refused one fails its record and every later one', async () => {
  const { handler } = await import('../../functions/streams/events.js');
  const records = Array.from({ length: 25 }, (_, i) => raised(i));
  const ok = await handler({ Records: records }, localContext('events', 60_000));
  expect(ok).toEqual({ batchItemFailures: [] });
  expect(calls.map((c) => c.length)).toEqual([10, 10, 5]);
  expect(calls.flat().map((e) => JSON.parse(e.Detail).alertId)).toEqual(records.map((_, i) => `alr_${i}`));

  calls.length = 0;
  refuse = new Set(['alr_13:v1:alert-raised']);
  const failed = await handler({ Records: records }, localContext('events', 60_000));
  expect(failed.batchItemFailures.map((f: { itemIdentifier: string }) => f.itemIdentifier)).toEqual(records.slice(13).map((r) => r.dynamodb!.SequenceNumber));
  // Nothing after the refused call was sent.
  expect(calls.map((c) => c.length)).toEqual([10, 10]);
});
