/**
 * Feeds the Streams handlers from DynamoDB Local's Streams API, the way
 * Lambda's event source mappings do: same record shape, same filter, batches
 * per shard in order, and a failed record (partial batch response) retried
 * with the records after it before the shard moves on.
 *
 * Each function keeps its own place, checkpoints, filter, batching window and
 * retries, as a mapping does; but the stream is read once for all of them.
 * In AWS the mappings' reads cost the table nothing; here they would share
 * DynamoDB Local's cores with the functions' own writes, once per function.
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

/** One function reading the stream: what an event source mapping says of it. */
export interface ConsumerOptions {
  handler: StreamHandler;
  filter: Pattern;
  batchSize?: number;
  /** Like an event source mapping's MaximumBatchingWindowInSeconds: records gather for this long (or to a full batch) before the handler gets them. */
  batchWindowMs?: number;
  maxRetries?: number;
  /** Names the function in logs and its context. */
  name?: string;
  /** The function's timeout, as its context reports it. */
  timeoutMs?: number;
  /** Where the function left each shard, so a restart neither skips nor repeats records. */
  checkpoints?: Checkpoints;
  onError?: (message: string, error: unknown) => void;
}

export interface ReaderOptions {
  endpoint: string;
  streamArn: string;
  consumers: ConsumerOptions[];
  idleMs?: number;
  /**
   * The shards there are at start are read from what is written after it (an
   * event source mapping's `LATEST`), unless a function has a checkpoint;
   * otherwise from their start.
   */
  fromLatest?: boolean;
  onError?: (message: string, error: unknown) => void;
}

export type PollerOptions = Omit<ReaderOptions, 'consumers'> & ConsumerOptions;

export interface Checkpoints {
  load(shardId: string): string | undefined;
  save(shardId: string, sequenceNumber: string): void;
}

/** Records one GetRecords call asks for: every function's batch comes out of them. */
const READ_LIMIT = 1000;
/**
 * Records a shard holds read ahead of its slowest function: past this, the
 * others wait for it rather than the runtime's memory growing without end.
 */
const READ_AHEAD = 20_000;

/** A shard as read once for every function: the records read that some function has yet to take. */
interface Shard {
  id: string;
  iterator?: string;
  /** Sequence number of the last record read, to resume after an iterator is lost. */
  lastRead?: string;
  /** The records read, `records[0]` being the `base`-th of the shard read. */
  records: DynamoDBRecord[];
  base: number;
  reading?: Promise<void>;
  /** When a read last found nothing new. */
  quietAt?: number;
  places: Place[];
}

/** A function's place in a shard. */
interface Place {
  shard: Shard;
  /** The next record it takes (counted as `Shard.base`). */
  next: number;
  /** Records up to this sequence number it had handled before a restart. */
  handledTo?: bigint;
  /** Sequence number of the last record it took. */
  lastTaken?: string;
  pending: DynamoDBRecord[];
  /** When the first of `pending` was taken (a batching window runs from then). */
  pendingSince?: number;
  attempts: number;
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

/** One function reading a stream on its own (the stream read for it alone). */
export function startStreamPoller({ endpoint, streamArn, idleMs, fromLatest, onError, ...consumer }: PollerOptions) {
  return startStreamReader({ endpoint, streamArn, idleMs, fromLatest, onError, consumers: [consumer] });
}

/** Reads a stream once for every function of `consumers`, each handed its own batches. */
export function startStreamReader(options: ReaderOptions) {
  // Like Lambda's own poller, it costs the functions nothing: no SDK log filtering of every record read.
  const client = withoutSdkLogging(
    new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const idleMs = options.idleMs ?? 200;
  const shards = new Map<string, Shard>();
  let running = true;
  const reportFor = (consumer: ConsumerOptions | undefined) =>
    consumer?.onError ?? options.onError ?? ((message: string, error: unknown) => console.error(`[stream ${consumer?.name ?? ''}] ${message}`, error));

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
  let lastDescribe = 0;
  let markReady: () => void = () => undefined;
  /** Resolves once the shards there are have their iterators (what is written from then on is read). */
  const ready = new Promise<void>((done) => (markReady = done));
  async function discoverShards() {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    for (const s of StreamDescription?.Shards ?? []) {
      if (!s.ShardId || shards.has(s.ShardId)) continue;
      const saved = options.consumers.map((c) => c.checkpoints?.load(s.ShardId!));
      const handledTo = saved.map((seq) => (seq === undefined ? undefined : BigInt(seq)));
      // Read from where the function furthest behind left it: from the start (or now) when one has no checkpoint.
      const earliest = saved.includes(undefined) ? undefined : saved.reduce<string | undefined>((a, b) => (a === undefined || BigInt(b!) < BigInt(a) ? b : a), undefined);
      // Shards that open later are read from their start, whatever `fromLatest` says.
      const latest = !!options.fromLatest && !started && saved.every((seq) => seq === undefined);
      const shard: Shard = { id: s.ShardId, lastRead: earliest, records: [], base: 0, places: [] };
      shard.iterator = await iteratorFor(shard, latest);
      shard.places = handledTo.map((to) => ({ shard, next: 0, handledTo: to, pending: [], attempts: 0 }));
      shards.set(s.ShardId, shard);
    }
    started = true;
  }

  /** Reads the shard's next records for every function, unless a read is under way, nothing new came just now, or the slowest is too far behind. */
  function readMore(shard: Shard): Promise<void> {
    if (shard.reading) return shard.reading;
    if (!shard.iterator || shard.records.length >= READ_AHEAD || (shard.quietAt && Date.now() - shard.quietAt < idleMs / 2)) return Promise.resolve();
    shard.reading = (async () => {
      try {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: READ_LIMIT }));
        shard.iterator = out.NextShardIterator;
        const records = out.Records ?? [];
        shard.quietAt = records.length ? undefined : Date.now();
        if (records.length) shard.lastRead = records[records.length - 1].dynamodb?.SequenceNumber;
        for (const r of records) shard.records.push(toLambdaRecord(r, options.streamArn));
      } catch (error) {
        // An expired or trimmed iterator is replaced, resuming after the last record read.
        if (!['ExpiredIteratorException', 'TrimmedDataAccessException'].includes((error as Error).name)) throw error;
        shard.iterator = await iteratorFor(shard);
      }
    })().finally(() => (shard.reading = undefined));
    return shard.reading;
  }

  /** The shard's records after a function's place, at most `limit` (read first when it has taken them all); the place moves past them. */
  async function take(place: Place, limit: number): Promise<DynamoDBRecord[]> {
    const { shard } = place;
    if (place.next >= shard.base + shard.records.length) await readMore(shard);
    const from = place.next - shard.base;
    const taken = shard.records.slice(from, from + limit);
    place.next += taken.length;
    // What every function has taken is let go.
    const behind = Math.min(...shard.places.map((p) => p.next)) - shard.base;
    if (behind > 0) {
      shard.records.splice(0, behind);
      shard.base += behind;
    }
    return taken;
  }

  /** Whether a function has taken every record its shard will have (a closed shard read to its end). */
  const exhausted = (place: Place) => !place.shard.iterator && place.next >= place.shard.base + place.shard.records.length;

  function startConsumer(consumer: ConsumerOptions, index: number) {
    const batchSize = consumer.batchSize ?? 100;
    const report = reportFor(consumer);

    /** Whether a function's records wait for more: a batching window open, the batch not full, more to read. */
    const gathering = (place: Place) =>
      !!consumer.batchWindowMs &&
      !exhausted(place) &&
      place.pending.length > 0 &&
      place.pending.length < batchSize &&
      Date.now() - (place.pendingSince ?? 0) < consumer.batchWindowMs;

    async function pollShard(place: Place): Promise<boolean> {
      if ((place.pending.length === 0 || gathering(place)) && !exhausted(place)) {
        const records = await take(place, batchSize);
        if (records.length) place.lastTaken = records[records.length - 1].dynamodb?.SequenceNumber;
        const wanted = records.filter(
          (r) => (place.handledTo === undefined || BigInt(r.dynamodb?.SequenceNumber ?? '0') > place.handledTo) && matchesPattern(r, consumer.filter),
        );
        if (place.pending.length === 0 && wanted.length) place.pendingSince = Date.now();
        place.pending = [...place.pending, ...wanted];
        // Nothing in this read was for the function: it is done with.
        if (records.length && place.pending.length === 0) consumer.checkpoints?.save(place.shard.id, place.lastTaken!);
      }
      if (place.pending.length === 0) return false;
      // Gathering: read again soon rather than hand over a part batch.
      if (gathering(place)) return false;
      const batch = place.pending.slice(0, batchSize);
      let failedFrom = -1;
      try {
        const response = await consumer.handler({ Records: batch }, localContext(consumer.name ?? 'stream', consumer.timeoutMs));
        const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failedFrom = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      } catch (error) {
        report('handler failed for the whole batch', error);
        failedFrom = 0;
      }
      if (failedFrom === -1) {
        place.pending = place.pending.slice(batch.length);
        place.pendingSince = place.pending.length ? Date.now() : undefined;
        place.attempts = 0;
        if (place.pending.length === 0 && place.lastTaken) consumer.checkpoints?.save(place.shard.id, place.lastTaken);
        return true;
      }
      // Like the event source mapping: checkpoint before the first failure and retry from there.
      place.pending = place.pending.slice(failedFrom);
      place.attempts += 1;
      if (place.attempts > (consumer.maxRetries ?? 5)) {
        report(`dropping record ${place.pending[0]?.eventID} after ${place.attempts} attempts`, undefined);
        place.pending = place.pending.slice(1);
        place.attempts = 0;
      } else {
        await sleep(Math.min(2000, 100 * 2 ** place.attempts));
      }
      return true;
    }

    return (async () => {
      await ready;
      while (running) {
        let busy = false;
        try {
          for (const shard of shards.values()) {
            if (!running) break;
            const place = shard.places[index];
            if (!(exhausted(place) && place.pending.length === 0) && (await pollShard(place))) busy = true;
          }
        } catch (error) {
          if (running) report('polling failed', error);
        }
        if (!busy && running) await sleep(idleMs);
      }
    })();
  }

  // New shards are looked for every 5 s, for every function at once.
  const discovering = (async () => {
    while (running) {
      try {
        if (Date.now() - lastDescribe > 5000 || shards.size === 0) {
          lastDescribe = Date.now();
          await discoverShards();
          markReady();
        }
      } catch (error) {
        if (running) reportFor(undefined)('looking for shards failed', error);
      }
      await sleep(idleMs);
    }
  })();
  const consuming = options.consumers.map(startConsumer);

  return {
    ready,
    async stop() {
      running = false;
      markReady();
      await Promise.all([discovering, ...consuming]);
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
