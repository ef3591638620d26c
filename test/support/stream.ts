/**
 * A table's stream read through DynamoDB Local's Streams API, for tests that
 * hand records to a stream function themselves (in the order the stream
 * keeps, in batches they choose, again when they want a redelivery).
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { matchesPattern, type Pattern } from '../../lib/events/patterns.js';
import { toLambdaRecord } from '../../local/stream-poller.js';

export interface StreamReader {
  /** Every record in the stream so far matching `filter`, in stream order per shard. */
  all(filter?: Pattern): Promise<DynamoDBRecord[]>;
  /** The records not handed out by an earlier `fresh` (each once). */
  fresh(filter?: Pattern): Promise<DynamoDBRecord[]>;
  close(): void;
}

export function streamReader(endpoint: string, streamArn: string): StreamReader {
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const seen = new Set<string>();
  const all = async (filter?: Pattern) => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      while (iterator) {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(out.Records ?? []).map((r) => toLambdaRecord(r, streamArn)));
        if (!out.Records?.length) break;
        iterator = out.NextShardIterator;
      }
    }
    return filter ? records.filter((r) => matchesPattern(r, filter)) : records;
  };
  return {
    all,
    async fresh(filter) {
      const records = (await all()).filter((r) => !seen.has(r.eventID!));
      for (const r of records) seen.add(r.eventID!);
      return filter ? records.filter((r) => matchesPattern(r, filter)) : records;
    },
    close: () => streams.destroy(),
  };
}
