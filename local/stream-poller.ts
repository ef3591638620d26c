/**
 * Feeds the Streams handler from DynamoDB Local's Streams API, the way Lambda's
 * event source mapping does: same record shape, same filter, batches per shard
 * in order, and a failed record (partial batch response) retried with the
 * records after it before the shard moves on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesPattern, type Pattern } from '../lib/events/patterns.js';
import { withoutSdkLogging } from '../lib/tracing.js';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface PollerOptions {
  endpoint: string;
  streamArn: string;
  handler: StreamHandler;
  filter: Pattern;
  batchSize?: number;
  /** Like an event source mapping's MaximumBatchingWindowInSeconds: records gather for this long (or to a full batch) before the handler gets them. */
  batchWindowMs?: number;
  idleMs?: number;
  maxRetries?: number;
  /** Names the poller in logs and the function's context. */
  name?: string;
  /** The function's timeout, as its context reports it. */
  timeoutMs?: number;
  /** Where each shard was left, so a restart neither skips nor repeats records. */
  checkpoints?: Checkpoints;
  /** The shards there are at start are read from what is written after it (an event source mapping's `LATEST`); otherwise from their start. */
  fromLatest?: boolean;
  onError?: (message: string, error: unknown) => void;
}

export interface Checkpoints {
  load(shardId: string): string | undefined;
  save(shardId: string, sequenceNumber: string): void;
}

interface Shard {
  id: string;
  iterator?: string;
  /** Sequence number of the last record read, to resume after an iterator is lost. */
  lastRead?: string;
  pending: DynamoDBRecord[];
  /** When the first of `pending` was read (a batching window runs from then). */
  pendingSince?: number;
  attempts: number;
  done: boolean;
}

type Wire = Record<string, unknown>;

/**
 * The SDK's Streams deserializer turns an empty map `{ M: {} }` into `{}`, which
 * no AttributeValue reader accepts; Lambda delivers `{ M: {} }`, so restore it.
 */
function repairAttribute(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const av = value as Wire;
  const keys = Object.keys(av);
  if (keys.length === 0) return { M: {} };
  if (av.M && typeof av.M === 'object') return { M: repairImage(av.M as Wire) };
  if (Array.isArray(av.L)) return { L: av.L.map(repairAttribute) };
  return av;
}

function repairImage(image: Wire | undefined): Wire | undefined {
  return image && Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repairAttribute(v)]));
}

/** The Lambda event shape of a Streams API record (dates as epoch seconds). */
export function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'us-east-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: d.Keys as never,
      NewImage: repairImage(d.NewImage as Wire) as never,
      OldImage: repairImage(d.OldImage as Wire) as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
  };
}

export function startStreamPoller(options: PollerOptions) {
  // Like Lambda's own poller, it costs the functions nothing: no SDK log filtering of every record read.
  const client = withoutSdkLogging(
    new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const batchSize = options.batchSize ?? 100;
  const shards = new Map<string, Shard>();
  let running = true;
  let lastDescribe = 0;
  const report = options.onError ?? ((message, error) => console.error(`[stream ${options.name ?? ''}] ${message}`, error));

  async function iteratorFor(shard: Pick<Shard, 'id' | 'lastRead'>, latest = false): Promise<string | undefined> {
    const get = (type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER') =>
      client.send(
        new GetShardIteratorCommand({
          StreamArn: options.streamArn,
          ShardId: shard.id,
          ShardIteratorType: type,
          SequenceNumber: type === 'AFTER_SEQUENCE_NUMBER' ? shard.lastRead : undefined,
        }),
      );
    if (shard.lastRead) {
      try {
        return (await get('AFTER_SEQUENCE_NUMBER')).ShardIterator;
      } catch (error) {
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      }
    }
    if (latest) return (await get('LATEST')).ShardIterator;
    // Reading from the start of a shard is safe: a history entry's key comes from its change, so writing one again rewrites
    // the same item, and an event published again carries the same id for its consumers to drop.
    return (await get('TRIM_HORIZON')).ShardIterator;
  }

  let started = false;
  let markReady: () => void = () => undefined;
  /** Resolves once the shards there are have their iterators (what is written from then on is read). */
  const ready = new Promise<void>((done) => (markReady = done));
  async function discoverShards() {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    // Shards that open later are read from their start, whatever `fromLatest` says.
    const latest = !!options.fromLatest && !started;
    for (const s of StreamDescription?.Shards ?? []) {
      if (!s.ShardId || shards.has(s.ShardId)) continue;
      const lastRead = options.checkpoints?.load(s.ShardId);
      shards.set(s.ShardId, { id: s.ShardId, lastRead, iterator: await iteratorFor({ id: s.ShardId, lastRead }, latest), pending: [], attempts: 0, done: false });
    }
    started = true;
  }

  /** Whether a shard's records wait for more: a batching window open, the batch not full, more to read. */
  const gathering = (shard: Shard) =>
    !!options.batchWindowMs && !!shard.iterator && shard.pending.length > 0 && shard.pending.length < batchSize && Date.now() - (shard.pendingSince ?? 0) < options.batchWindowMs;

  async function pollShard(shard: Shard): Promise<boolean> {
    if ((shard.pending.length === 0 || gathering(shard)) && shard.iterator) {
      let out;
      try {
        out = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }));
      } catch (error) {
        // An expired or trimmed iterator is replaced, resuming after the last record read.
        if (!['ExpiredIteratorException', 'TrimmedDataAccessException'].includes((error as Error).name)) throw error;
        shard.iterator = await iteratorFor(shard);
        return true;
      }
      shard.iterator = out.NextShardIterator;
      const records = out.Records ?? [];
      if (records.length) shard.lastRead = records[records.length - 1].dynamodb?.SequenceNumber;
      const wanted = records.map((r) => toLambdaRecord(r, options.streamArn)).filter((r) => matchesPattern(r, options.filter));
      if (shard.pending.length === 0 && wanted.length) shard.pendingSince = Date.now();
      shard.pending = [...shard.pending, ...wanted];
      if (!shard.iterator && shard.pending.length === 0) shard.done = true;
      // Nothing in this read was for us: it is done with.
      if (records.length && shard.pending.length === 0) options.checkpoints?.save(shard.id, shard.lastRead!);
    }
    if (shard.pending.length === 0) return false;
    // Gathering: read again soon rather than hand over a part batch.
    if (gathering(shard)) return false;
    const batch = shard.pending.slice(0, batchSize);
    let failedFrom = -1;
    try {
      const response = await options.handler({ Records: batch }, localContext(options.name ?? 'stream', options.timeoutMs));
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      failedFrom = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
    } catch (error) {
      report('handler failed for the whole batch', error);
      failedFrom = 0;
    }
    if (failedFrom === -1) {
      shard.pending = shard.pending.slice(batch.length);
      shard.pendingSince = shard.pending.length ? Date.now() : undefined;
      shard.attempts = 0;
      if (shard.pending.length === 0 && shard.lastRead) options.checkpoints?.save(shard.id, shard.lastRead);
      return true;
    }
    // Like the event source mapping: checkpoint before the first failure and retry from there.
    shard.pending = shard.pending.slice(failedFrom);
    shard.attempts += 1;
    if (shard.attempts > (options.maxRetries ?? 5)) {
      report(`dropping record ${shard.pending[0]?.eventID} after ${shard.attempts} attempts`, undefined);
      shard.pending = shard.pending.slice(1);
      shard.attempts = 0;
    } else {
      await sleep(Math.min(2000, 100 * 2 ** shard.attempts));
    }
    return true;
  }

  const loop = (async () => {
    while (running) {
      let busy = false;
      try {
        if (Date.now() - lastDescribe > 5000 || shards.size === 0) {
          lastDescribe = Date.now();
          await discoverShards();
          markReady();
        }
        for (const shard of shards.values()) {
          if (!running) break;
          if (!shard.done && (await pollShard(shard))) busy = true;
        }
      } catch (error) {
        if (running) report('polling failed', error);
      }
      if (!busy && running) await sleep(options.idleMs ?? 200);
    }
  })();

  return {
    ready,
    async stop() {
      running = false;
      markReady();
      await loop;
      client.destroy();
    },
  };
}

export function localContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
