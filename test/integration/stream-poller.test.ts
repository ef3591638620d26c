/**
 * The local stream poller keeps a checkpoint per shard: a poller started again
 * with the same checkpoints (npm start after a restart) hands its function only
 * the records it has not handled yet, so no event is published twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { HISTORY_STREAM_FILTER } from '../../lib/events/rules.js';
import { raiseAlert } from '../../lib/usecases/alerts.js';
import { fileCheckpoints } from '../../local/checkpoints.js';
import { startStreamPoller } from '../../local/stream-poller.js';
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
