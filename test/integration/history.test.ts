/**
 * History through the real Streams API of DynamoDB Local: records are read with
 * GetRecords and handed to the same handler Lambda runs.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesPattern } from '../../lib/events/patterns.js';
import { HISTORY_STREAM_FILTER } from '../../lib/events/rules.js';
import { raiseAlert } from '../../lib/usecases/alerts.js';
import { addWorkNote, convertAlertToCase, updateCase } from '../../lib/usecases/cases.js';
import { attachAlerts } from '../../lib/usecases/case-alerts.js';
import { localContext, toLambdaRecord } from '../../local/stream-poller.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;
let handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  t = await createTestTable('history');
  process.env.TABLE_NAME = t.tableName;
  process.env.DYNAMODB_ENDPOINT = t.endpoint;
  ({ handler } = await import('../../functions/streams/history.js'));
  streams = new DynamoDBStreamsClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  streams.destroy();
  await t.drop();
});

/** Every record in the table's stream so far, in the shape Lambda delivers. */
async function allRecords(): Promise<DynamoDBRecord[]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: t.streamArn }));
  const records: DynamoDBRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: t.streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(out.Records ?? []).map((r) => toLambdaRecord(r, t.streamArn)));
      if (!out.Records?.length) break;
      iterator = out.NextShardIterator;
    }
  }
  return records;
}

const deliver = (records: DynamoDBRecord[]) => handler({ Records: records }, localContext('history'));

it('records who, when, what and which fields for every change of an alert and its case, once, even when a batch is delivered twice', async () => {
  const { alert } = await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: 'h1', severity: 'minor', description: 'cpu' }, 'op');
  await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: 'h1', severity: 'major', description: 'cpu' }, 'op');
  const created = await convertAlertToCase(t.repos, alert.alertId, { shortDescription: 'CPU' }, 'op');
  await updateCase(t.repos, created!.caseId, { priority: 'critical', stage: 'in_progress' }, 'agent');
  await addWorkNote(t.repos, created!.caseId, 'Looking into it', 'op');

  const records = (await allRecords()).filter((r) => matchesPattern(r, HISTORY_STREAM_FILTER));
  expect(await deliver(records)).toEqual({ batchItemFailures: [] });
  expect(await deliver(records)).toEqual({ batchItemFailures: [] }); // Lambda retrying the same batch

  const alertHistory = await t.repos.history.list({ kind: 'alert', id: alert.alertId }, 100);
  expect(alertHistory.items.map((e) => e.action)).toEqual(['created', 'repeated', 'converted_to_case']);
  expect(alertHistory.items[1].changes).toEqual(
    expect.arrayContaining([{ field: 'severity', from: 'minor', to: 'major' }, { field: 'occurrences', from: 1, to: 2 }]),
  );
  expect(alertHistory.items[2]).toMatchObject({
    actor: 'op',
    changes: [
      { field: 'caseId', from: null, to: created!.caseId },
      { field: 'caseNumber', from: null, to: created!.number },
    ],
  });

  const caseHistory = await t.repos.history.list({ kind: 'case', id: created!.caseId }, 100);
  expect(caseHistory.items.map((e) => [e.action, e.actor])).toEqual([
    ['created_from_alert', 'op'],
    ['updated', 'agent'],
    ['work_note', 'op'],
  ]);
  expect(caseHistory.items[1].changes).toEqual([
    { field: 'priority', from: 'high', to: 'critical' },
    { field: 'stage', from: 'new', to: 'in_progress' },
  ]);
  expect(caseHistory.items[1].at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
});

it("follows an attached alert on its case, and names the alerts a case gains, once each, even when a batch is delivered twice", async () => {
  const { alert: origin } = await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: 'f1', severity: 'minor', description: 'disk' }, 'op');
  const { alert: joining } = await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: 'f2', severity: 'minor', description: 'disk' }, 'op');
  const kase = await convertAlertToCase(t.repos, origin.alertId, { shortDescription: 'Disk' }, 'op');
  await attachAlerts(t.repos, kase!.caseId, [joining.alertId], false, 'agent');
  await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: 'f2', severity: 'major', description: 'disk' }, 'nagios');

  const records = (await allRecords()).filter((r) => matchesPattern(r, HISTORY_STREAM_FILTER));
  expect(await deliver(records)).toEqual({ batchItemFailures: [] });
  expect(await deliver(records)).toEqual({ batchItemFailures: [] });

  const entries = (await t.repos.history.list({ kind: 'case', id: kase!.caseId }, 100)).items;
  expect(entries.map((e) => [e.action, e.actor])).toEqual([
    ['created_from_alert', 'op'],
    ['alert_attached', 'agent'],
    ['alert_updated', 'nagios'],
    ['priority_raised', `alert:${joining.alertId}`],
  ]);
  expect(entries[1].changes).toEqual([
    { field: 'alerts', from: null, to: [joining.alertId] },
    { field: 'alertCount', from: 1, to: 2 },
  ]);
  expect(entries[2]).toMatchObject({ alertId: joining.alertId, changes: expect.arrayContaining([{ field: 'severity', from: 'minor', to: 'major' }]) });
});

it('filters out its own history writes, so they never come back as history', async () => {
  const records = await allRecords();
  const own = records.filter((r) => r.dynamodb?.NewImage?.entity?.S === 'history');
  expect(own.length).toBeGreaterThan(0);
  expect(own.filter((r) => matchesPattern(r, HISTORY_STREAM_FILTER))).toEqual([]);
  // Even delivered by mistake, they write nothing.
  const before = await allRecords();
  expect(await deliver(own)).toEqual({ batchItemFailures: [] });
  expect((await allRecords()).length).toBe(before.length);
});

it('reports only the records that failed, and a retry of the rest writes each entry once', async () => {
  const { alert } = await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: 'h2', severity: 'minor', description: 'mem' }, 'op');
  await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: 'h2', severity: 'minor', description: 'mem' }, 'op');
  const mine = (await allRecords()).filter((r) => r.dynamodb?.NewImage?.alertId?.S === alert.alertId && r.dynamodb?.NewImage?.entity?.S === 'alert');
  expect(mine).toHaveLength(2);
  // The second record's image is unreadable: the handler fails it alone.
  const broken: DynamoDBRecord = { ...mine[1], dynamodb: { ...mine[1].dynamodb, NewImage: { entity: { S: 'alert' }, version: { X: '1' } } as never } };
  const response = await deliver([mine[0], broken]);
  expect(response.batchItemFailures).toEqual([{ itemIdentifier: mine[1].dynamodb!.SequenceNumber }]);
  // The retry delivers from the failed record on; then the whole batch again.
  expect(await deliver([mine[1]])).toEqual({ batchItemFailures: [] });
  expect(await deliver(mine)).toEqual({ batchItemFailures: [] });
  const history = await t.repos.history.list({ kind: 'alert', id: alert.alertId }, 100);
  expect(history.items.map((e) => e.action)).toEqual(['created', 'repeated']);
});
