/**
 * The local stream poller keeps a checkpoint per shard: a poller started again
 * with the same checkpoints (npm start after a restart) hands its function only
 * the records it has not handled yet, so no event is published twice. Read
 * once for several functions, each keeps its own place: one retrying a
 * record holds no other back, and a function new to a data directory reads
 * the stream from its start while the others go on from their checkpoints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { HISTORY_STREAM_FILTER } from '../../lib/events/rules.js';
import { raiseAlert } from '../../lib/usecases/alerts.js';
import { fileCheckpoints } from '../../local/checkpoints.js';
import { startStreamPoller, startStreamReader } from '../../local/stream-poller.js';
import { eventually } from '../support/http.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;
let dir: string;
beforeAll(async () => {
  t = await createTestTable('poller');
  dir = mkdtempSync(join(tmpdir(), 'a2c-checkpoints-'));
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

function poll(seen: string[]) {
  return startStreamPoller({
    endpoint: t.endpoint,
    streamArn: t.streamArn,
    filter: HISTORY_STREAM_FILTER,
    idleMs: 50,
    checkpoints: fileCheckpoints(join(dir, 'checkpoints.json')),
    handler: async (event: DynamoDBStreamEvent) => {
      for (const r of event.Records) seen.push(r.dynamodb!.NewImage!.sourceAlertId.S!);
      return { batchItemFailures: [] };
    },
  });
}

it('resumes after the last record handled, neither skipping nor repeating', async () => {
  const raise = (id: string) => raiseAlert(t.repos, { source: 'poller', sourceAlertId: id, severity: 'minor', description: 'x' }, 'op');
  await raise('before-1');
  await raise('before-2');
  const first: string[] = [];
  const poller = poll(first);
  await eventually(async () => (first.length >= 2 ? true : undefined));
  await poller.stop();
  expect(first).toEqual(['before-1', 'before-2']);

  await raise('while-stopped');
  const second: string[] = [];
  const again = poll(second);
  await eventually(async () => (second.length >= 1 ? true : undefined));
  await raise('after-restart');
  await eventually(async () => (second.length >= 2 ? true : undefined));
  await again.stop();
  expect(second).toEqual(['while-stopped', 'after-restart']);
});

it('reads the stream once for several functions, each from its own place, retrying its own failures', async () => {
  const raise = (id: string) => raiseAlert(t.repos, { source: 'shared', sourceAlertId: id, severity: 'minor', description: 'x' }, 'op');
  const idOf = (event: DynamoDBStreamEvent, i: number) => event.Records[i].dynamodb!.NewImage!.sourceAlertId.S!;
  const checkpoints = (name: string) => fileCheckpoints(join(dir, `shared-${name}.json`));
  const start = (consumers: Record<string, (event: DynamoDBStreamEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>>) =>
    startStreamReader({
      endpoint: t.endpoint,
      streamArn: t.streamArn,
      idleMs: 50,
      consumers: Object.entries(consumers).map(([name, handler]) => ({ name, handler, filter: HISTORY_STREAM_FILTER, checkpoints: checkpoints(name) })),
    });
  for (const id of ['s-1', 's-2', 's-3']) await raise(id);

  const steady: string[] = [];
  const flaky: string[] = [];
  let failOnce = true;
  const reader = start({
    steady: async (event) => {
      event.Records.forEach((_, i) => steady.push(idOf(event, i)));
      return { batchItemFailures: [] };
    },
    // Fails its batch from s-2 once: s-2 and s-3 come again, to it alone.
    flaky: async (event) => {
      const at = event.Records.findIndex((_, i) => idOf(event, i) === 's-2');
      const failFrom = failOnce && at >= 0 ? at : event.Records.length;
      if (failFrom < event.Records.length) failOnce = false;
      event.Records.slice(0, failFrom).forEach((_, i) => flaky.push(idOf(event, i)));
      return { batchItemFailures: event.Records.slice(failFrom).map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
    },
  });
  await eventually(async () => (steady.filter((id) => id.startsWith('s-')).length >= 3 && flaky.filter((id) => id.startsWith('s-')).length >= 3 ? true : undefined));
  await reader.stop();
  const mine = (seen: string[]) => seen.filter((id) => id.startsWith('s-'));
  expect(mine(steady)).toEqual(['s-1', 's-2', 's-3']);
  expect(mine(flaky)).toEqual(['s-1', 's-2', 's-3']);

  // Started again with a function the data directory has no checkpoint for: it reads from the start, the others from theirs.
  await raise('s-4');
  const again = { steady: [] as string[], newcomer: [] as string[] };
  const collect = (seen: string[]) => async (event: DynamoDBStreamEvent) => {
    event.Records.forEach((_, i) => seen.push(idOf(event, i)));
    return { batchItemFailures: [] };
  };
  const restarted = start({ steady: collect(again.steady), newcomer: collect(again.newcomer) });
  await eventually(async () => (mine(again.newcomer).length >= 4 && mine(again.steady).length >= 1 ? true : undefined));
  await restarted.stop();
  expect(mine(again.steady)).toEqual(['s-4']);
  expect(mine(again.newcomer)).toEqual(['s-1', 's-2', 's-3', 's-4']);
});
