/**
 * The scale section of `npm run bench` (SPEC §7 Scale), through the local HTTP
 * server with its handlers in-process:
 * - throughput: distinct raises and distinct conversions, by one client and by
 *   16 concurrent clients, in the same run;
 * - heat: a burst of raises and a burst of conversions billed per partition key
 *   as DynamoDB bills them — writes from the table's stream (table and every
 *   index entry touched), reads from middleware on the handlers' clients — and
 *   the rate at which the hottest key would reach its 1,000 WCU/s or 3,000 RCU/s.
 *   The case-creation burst converts one alert after the other: heat is about
 *   the mix of each operation; contention is what the throughput phase measures.
 *
 * Each phase runs in a child process of its own (bench/child.ts), with a fresh
 * table in a fresh in-memory DynamoDB Local that the child's runtime starts
 * and stops:
 * - the handlers keep one store per process (storeFromEnv, made at first use),
 *   so a fresh table needs a fresh process;
 * - DynamoDB Local slows down as stream records pile up, in every table (here
 *   a put went from 2 ms to 16 ms after 17,000 records): with one of its own,
 *   a phase measures the same whatever ran before it.
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { SEVERITIES } from '../lib/domain/priority.js';
import { onDocumentClient } from '../lib/store/client.js';
import { createTableInput } from '../lib/store/table.js';
import { ensureTable } from '../local/dynamodb.js';
import { startRuntime } from '../local/runtime.js';
import { signLocalToken } from '../local/tokens.js';
import { inChildProcess, runAsChild } from './child.js';
import { round, whenTaken } from './figures.js';

/** Requests per throughput measurement: a few seconds each on two cores. */
const N = 400;
/** Requests before timing: the first ones pay for module and client initialisation. */
const WARMUP = 30;
const CLIENTS = 16;
const INGEST_ALERTS = 1200;
const CASE_CREATIONS = 300;
/** No new stream record for this long: the stream handlers have caught up. */
const QUIET_MS = 1500;
/** Per partition (table or index key value), DynamoDB's limits per second. */
const WCU_LIMIT = 1000;
const RCU_LIMIT = 3000;
/** On-demand, us-east-1, since 1 November 2024. */
const USD_PER_WRITE_UNIT = 0.625 / 1e6;
const USD_PER_READ_UNIT = 0.125 / 1e6;
const PRICES = 'on-demand us-east-1 since 2024-11-01: $0.625/M WRU, $0.125/M RRU; table writes and reads only (no storage, streams, Lambda)';
const SOURCES = ['prometheus', 'siem', 'nagios'];

export interface Throughput {
  n: number;
  oneClientPerSecond: number;
  sixteenClientsPerSecond: number;
  ratio: number;
  serverErrors: number;
}
export interface Heat {
  operations: number;
  hottestWriteKey: string;
  hottestReadKey: string;
  ceilingPerSecond: number;
  writeUnitsPerOperation: number;
  readUnitsPerOperation: number;
}
export interface Scale {
  conversions: Throughput;
  raises: Throughput;
  heat: { ingest: Heat; caseCreation: Heat; costUsd: { perMillionAlerts: number; perThousandCases: number; prices: string } };
}
interface Burst {
  heat: Heat;
  /** Unrounded, for the cost. */
  usdPerOperation: number;
}
type Phases = { raises: Throughput; conversions: Throughput; ingest: Burst; caseCreation: Burst };
type Phase = keyof Phases;

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Runs every phase, one child process each, one after the other. */
export async function scale(): Promise<Scale> {
  const raises = await inChild('raises');
  const conversions = await inChild('conversions');
  const ingest = await inChild('ingest');
  const caseCreation = await inChild('caseCreation');
  return {
    conversions,
    raises,
    heat: {
      ingest: ingest.heat,
      caseCreation: caseCreation.heat,
      costUsd: { perMillionAlerts: round4(ingest.usdPerOperation * 1e6), perThousandCases: round4(caseCreation.usdPerOperation * 1e3), prices: PRICES },
    },
  };
}

const PHASE_ARG = '--scale-phase';

const inChild = <P extends Phase>(phase: P) => inChildProcess<Phases[P]>(fileURLToPath(import.meta.url), [PHASE_ARG, phase], `scale phase ${phase}`);

runAsChild(import.meta.url, PHASE_ARG, (phase) => runPhase(phase as Phase));

async function runPhase(phase: Phase) {
  // Before the runtime: the handlers create their clients at first use, and the meter must be on each.
  const meter = installReadMeter();
  // No dataDir: in memory; the runtime stops its DynamoDB Local when it stops.
  const runtime = await startRuntime({ tableName: `scale-${phase}`, impactIntervalSeconds: 0, log: () => undefined });
  try {
    const api = client(runtime.url, await signLocalToken({ sub: 'bench', roles: ['evt_mgmt_operator'] }));
    // The events handler writes nothing to the table: its progress is the last event it published.
    const stream = new StreamReader(runtime.dynamoEndpoint, await ensureTable(runtime.dynamoEndpoint, runtime.tableName), () => runtime.bus.published.at(-1)?.id);
    const phases: { [P in Phase]: () => Promise<Phases[P]> } = {
      raises: () => raises(api, stream),
      conversions: () => conversions(api, stream),
      ingest: () => ingestBurst(api, stream, meter),
      caseCreation: () => caseBurst(api, stream, meter),
    };
    const result = await phases[phase]();
    stream.close();
    return result;
  } finally {
    await runtime.stop();
  }
}

// --- Requests ---------------------------------------------------------------

interface Reply {
  status: number;
  body: string;
}
type Api = ReturnType<typeof client>;

function client(url: string, token: string) {
  const post = async (path: string, body: unknown): Promise<Reply> => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.text() };
  };
  return {
    /** A new alert, distinct by `tag` and `i`: a realistic small set of sources, hosts and every severity. */
    raise: (tag: string, i: number) =>
      post('/alerts', {
        source: SOURCES[i % SOURCES.length],
        sourceAlertId: `${tag}-${i}`,
        severity: SEVERITIES[i % SEVERITIES.length],
        description: `Disk usage above 90% on host-${i % 50}`,
        ciId: `host-${i % 50}`,
        attributes: { host: `host-${i % 50}`, usedPercent: 91 + (i % 9) },
      }),
    convert: (alertId: string) => post(`/alerts/${alertId}/case`, { shortDescription: 'bench' }),
  };
}

/**
 * Sends the requests from `clients` clients, each its share one after the
 * other. Measured (`setup` false): a 5xx is counted; any other answer than
 * `expected` is a broken bench. Setup: a 503 is sent again after a pause, as
 * a sender honouring Retry-After does, and what a first try did before
 * answering 503 is taken: a raise's 200 (the alert is there), a
 * conversion's 409 (the alert is converted).
 */
async function send(requests: (() => Promise<Reply>)[], clients: number, { expected = 201, setup = false } = {}) {
  let serverErrors = 0;
  const bodies: string[] = [];
  const start = performance.now();
  await Promise.all(
    range(clients).map(async (c) => {
      for (let i = c; i < requests.length; i += clients) {
        const reply = setup ? await whenTaken(requests[i], (r) => r.status === 503) : await requests[i]();
        if (reply.status >= 500) serverErrors += 1;
        else if (reply.status !== expected && !(setup && (reply.status === 200 || reply.status === 409))) throw new Error(`expected ${expected}, got ${reply.status}: ${reply.body}`);
        else bodies[i] = reply.body;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: requests.length / seconds, serverErrors, bodies };
}

const alertIdsOf = (bodies: string[]) => bodies.map((b) => b && (JSON.parse(b) as { alertId: string }).alertId).filter(Boolean);

// --- Throughput -------------------------------------------------------------

/** One client, then 16 (the same number of requests), each once the stream handlers have caught up with what came before. */
async function oneThenSixteen(label: string, stream: StreamReader, one: (() => Promise<Reply>)[], sixteen: (() => Promise<Reply>)[]): Promise<Throughput> {
  await stream.settle();
  const a = await send(one, 1);
  await stream.settle();
  const b = await send(sixteen, CLIENTS);
  // Nothing left running in the stream handlers when the runtime stops.
  await stream.settle();
  const result = { n: N, oneClientPerSecond: round(a.perSecond), sixteenClientsPerSecond: round(b.perSecond), ratio: round(b.perSecond / a.perSecond), serverErrors: a.serverErrors + b.serverErrors };
  console.log(`scale: ${label} ${result.oneClientPerSecond}/s by 1 client, ${result.sixteenClientsPerSecond}/s by ${CLIENTS} (${result.ratio}x), ${result.serverErrors} 5xx`);
  return result;
}

async function raises(api: Api, stream: StreamReader): Promise<Throughput> {
  await send(range(WARMUP).map((i) => () => api.raise('warmup', i)), 1, { setup: true });
  return oneThenSixteen(
    'raises',
    stream,
    range(N).map((i) => () => api.raise('one', i)),
    range(N).map((i) => () => api.raise('sixteen', i)),
  );
}

async function conversions(api: Api, stream: StreamReader): Promise<Throughput> {
  // The alerts to convert, raised beforehand (not timed).
  const raised = await send(range(WARMUP + 2 * N).map((i) => () => api.raise('to-convert', i)), CLIENTS, { setup: true });
  if (raised.serverErrors) throw new Error(`${raised.serverErrors} raises failed before the conversions`);
  const ids = alertIdsOf(raised.bodies);
  await send(ids.slice(0, WARMUP).map((id) => () => api.convert(id)), 1, { setup: true });
  return oneThenSixteen(
    'conversions',
    stream,
    ids.slice(WARMUP, WARMUP + N).map((id) => () => api.convert(id)),
    ids.slice(WARMUP + N).map((id) => () => api.convert(id)),
  );
}

// --- Heat -------------------------------------------------------------------

async function ingestBurst(api: Api, stream: StreamReader, meter: ReadMeter): Promise<Burst> {
  // A fresh table: this only fixes where the stream is read from.
  await stream.settle(0);
  meter.start();
  const burst = await send(range(INGEST_ALERTS).map((i) => () => api.raise('ingest', i)), CLIENTS);
  const records = await stream.settle();
  return bill('ingest', INGEST_ALERTS, burst.serverErrors, records, meter.stop());
}

async function caseBurst(api: Api, stream: StreamReader, meter: ReadMeter): Promise<Burst> {
  const raised = await send(range(CASE_CREATIONS).map((i) => () => api.raise('cases', i)), CLIENTS, { setup: true });
  if (raised.serverErrors) throw new Error(`${raised.serverErrors} raises failed before the case creations`);
  // The raises and their history are read past here: only the conversions are billed.
  await stream.settle();
  meter.start();
  const burst = await send(alertIdsOf(raised.bodies).map((id) => () => api.convert(id)), 1);
  const records = await stream.settle();
  return bill('case creation', CASE_CREATIONS, burst.serverErrors, records, meter.stop());
}

function bill(label: string, operations: number, serverErrors: number, records: _Record[], { reads, transactional }: Metered): Burst {
  const writes = new Map<string, number>();
  for (const record of records) billWrite(record, writes, transactional);
  const byUnits = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  const topWrites = byUnits(writes);
  const topReads = byUnits(reads);
  const writeUnits = sum(writes.values());
  const readUnits = sum(reads.values());
  const hottest = (top: [string, number][], unit: string) => (top.length ? `${top[0][0]} (${round(top[0][1])} ${unit})` : 'none');
  // The same mix at a higher rate: the hottest key reaches its limit first.
  const ceiling = Math.min(
    topWrites.length ? WCU_LIMIT / (topWrites[0][1] / operations) : Infinity,
    topReads.length ? RCU_LIMIT / (topReads[0][1] / operations) : Infinity,
  );
  console.log(`\nscale: ${label} burst, ${operations} operations (${serverErrors} 5xx), ${records.length} stream records`);
  console.table(Object.fromEntries(topWrites.slice(0, 5).map(([key, units]) => [key, { WCU: round(units) }])));
  console.table(Object.fromEntries(topReads.slice(0, 3).map(([key, units]) => [key, { RCU: round(units) }])));
  return {
    heat: {
      operations,
      hottestWriteKey: hottest(topWrites, 'WCU'),
      hottestReadKey: hottest(topReads, 'RCU'),
      ceilingPerSecond: Math.round(ceiling),
      writeUnitsPerOperation: round(writeUnits / operations),
      readUnitsPerOperation: round(readUnits / operations),
    },
    usdPerOperation: (writeUnits * USD_PER_WRITE_UNIT + readUnits * USD_PER_READ_UNIT) / operations,
  };
}

// --- The table's stream -----------------------------------------------------

/** Reads the table's stream from where it last stopped, per shard. */
export class StreamReader {
  private readonly client: DynamoDBStreamsClient;
  /** Per shard, the sequence number of the last record read. */
  private readonly position = new Map<string, string>();

  constructor(
    endpoint: string,
    private readonly streamArn: string,
    /** Something that changes while a stream handler that writes nothing is still at work. */
    private readonly progress: () => unknown = () => undefined,
  ) {
    this.client = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }

  /** Every record written since the last read. */
  async read(): Promise<_Record[]> {
    const records: _Record[] = [];
    const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      const after = this.position.get(shardId);
      let { ShardIterator: iterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          SequenceNumber: after,
        }),
      );
      while (iterator) {
        const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const page = out.Records ?? [];
        if (!page.length) break;
        records.push(...page);
        this.position.set(shardId, page[page.length - 1].dynamodb!.SequenceNumber!);
        iterator = out.NextShardIterator;
      }
    }
    return records;
  }

  /** Reads until nothing new has come for `quietMs`: the history handler's writes are in, and the stream handlers idle. */
  async settle(quietMs = QUIET_MS): Promise<_Record[]> {
    const records: _Record[] = [];
    let quietSince = Date.now();
    let progress = this.progress();
    for (;;) {
      const page = await this.read();
      const now = this.progress();
      if (page.length || now !== progress) {
        records.push(...page);
        progress = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) {
        return records;
      }
      await sleep(250);
    }
  }

  close() {
    this.client.destroy();
  }
}

// --- Billing, as DynamoDB bills ---------------------------------------------

type Value = Record<string, unknown> & {
  S?: string;
  N?: string;
  B?: Uint8Array;
  BOOL?: boolean;
  NULL?: boolean;
  SS?: string[];
  NS?: string[];
  BS?: Uint8Array[];
  L?: Value[];
  M?: Record<string, Value>;
};
type Image = Record<string, Value>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** DynamoDB item size rules: about one byte per two significant digits, plus one; at most 21. */
function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.min(21, Math.ceil(digits.length / 2) + 1);
}

/**
 * DynamoDB item size rules: names and strings count their UTF-8 bytes, binary
 * its bytes, numbers as above, booleans and null one byte; a map or list 3
 * bytes plus one per element plus its elements (a map's names included); a set
 * the sum of its elements.
 */
function valueSize(v: Value): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return sum(v.SS.map(utf8));
  if (v.NS) return sum(v.NS.map(numberSize));
  if (v.BS) return sum(v.BS.map((b) => b.byteLength));
  if (v.L) return 3 + sum(v.L.map((e) => valueSize(e) + 1));
  if (v.M) return 3 + sum(Object.entries(v.M).map(([name, e]) => utf8(name) + valueSize(e) + 1));
  // The SDK's Streams deserializer turns an empty map into {} (see local/stream-poller.ts).
  return 3;
}

const itemSize = (item: Image | undefined) => (item ? sum(Object.entries(item).map(([name, v]) => utf8(name) + valueSize(v))) : 0);

/** The table and its indexes as created, read generically: the projections are allowed to change. */
interface KeyedSchema {
  readonly KeySchema: readonly { readonly AttributeName: string; readonly KeyType: string }[];
}
interface IndexSchema extends KeyedSchema {
  readonly IndexName: string;
  readonly Projection: { readonly ProjectionType?: string; readonly NonKeyAttributes?: readonly string[] };
}
const TABLE: KeyedSchema & { readonly GlobalSecondaryIndexes?: readonly IndexSchema[] } = createTableInput('x');
const hashOf = (schema: KeyedSchema) => schema.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
const TABLE_KEYS = TABLE.KeySchema.map((k) => k.AttributeName);
const TABLE_PK = hashOf(TABLE);
const GSIS = (TABLE.GlobalSecondaryIndexes ?? []).map((index) => ({
  name: index.IndexName,
  pk: hashOf(index),
  keys: index.KeySchema.map((k) => k.AttributeName),
  projection: index.Projection.ProjectionType ?? 'ALL',
  include: index.Projection.NonKeyAttributes ?? [],
}));
type Gsi = (typeof GSIS)[number];

const keyText = (v: Value | undefined) => (v ? (v.S ?? v.N ?? (v.B ? Buffer.from(v.B).toString('base64') : '?')) : '?');
/** Billed in 1 KB units, at least one. */
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** The index entry an item image has in an index (undefined: the image lacks an index key, so no entry). */
function entryOf(index: Gsi, image: Image | undefined): Image | undefined {
  if (!image || !index.keys.every((k) => image[k] !== undefined)) return undefined;
  if (index.projection === 'ALL') return image;
  const names = new Set([...TABLE_KEYS, ...index.keys, ...(index.projection === 'INCLUDE' ? index.include : [])]);
  return Object.fromEntries([...names].filter((n) => image[n] !== undefined).map((n) => [n, image[n]]));
}

/** A stable text of a value, for deep equality (map keys sorted, binary as base64). */
function canonical(v: unknown): string {
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, e]) => `${JSON.stringify(k)}:${canonical(e)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * One stream record's write units, added per key: the table item, then each
 * index entry touched. `transactional` counts, per item key, the writes made in
 * a TransactWriteItems: those cost twice on the table (prepare and commit); the
 * index updates that follow are ordinary writes.
 */
export function billWrite(record: _Record, units: Map<string, number>, transactional: Map<string, number>) {
  // TTL deletions are done by DynamoDB itself and not billed.
  if (record.userIdentity?.PrincipalId === 'dynamodb.amazonaws.com') return;
  const add = (key: string, n: number) => units.set(key, (units.get(key) ?? 0) + n);
  const before = record.dynamodb?.OldImage as Image | undefined;
  const after = record.dynamodb?.NewImage as Image | undefined;
  const keyImage = (after ?? before ?? record.dynamodb?.Keys) as Image | undefined;
  const itemKey = TABLE_KEYS.map((k) => keyText(keyImage?.[k])).join('\u0000');
  const inTransaction = (transactional.get(itemKey) ?? 0) > 0;
  if (inTransaction) transactional.set(itemKey, transactional.get(itemKey)! - 1);
  // A write is billed on the larger of the item before and after it.
  add(`table ${keyText(keyImage?.[TABLE_PK])}`, (inTransaction ? 2 : 1) * writeUnits(Math.max(itemSize(before), itemSize(after))));
  for (const index of GSIS) {
    const old = entryOf(index, before);
    const now = entryOf(index, after);
    const at = (entry: Image) => `${index.name} ${keyText(entry[index.pk])}`;
    if (old && now && index.keys.every((k) => canonical(old[k]) === canonical(now[k]))) {
      if (canonical(old) !== canonical(now)) add(at(now), writeUnits(Math.max(itemSize(old), itemSize(now))));
    } else {
      // A new index key is a delete of the old entry and a put of the new one.
      if (old) add(at(old), writeUnits(itemSize(old)));
      if (now) add(at(now), writeUnits(itemSize(now)));
    }
  }
}

export interface Metered {
  /** Read units per key. */
  reads: Map<string, number>;
  /** Items written by a successful TransactWriteItems, per table key (pk and sk), how many times. */
  transactional: Map<string, number>;
}
export interface ReadMeter {
  start(): void;
  /** Stops counting; what was counted since start. */
  stop(): Metered;
}

/** What the stream cannot tell, from every call the handlers' document clients make while started: reads, and which writes were transactional. */
export function installReadMeter(): ReadMeter {
  let metered: Metered | undefined;
  onDocumentClient((doc) =>
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (metered) {
          const command = String(context.commandName);
          if (command === 'TransactWriteItemsCommand') countTransactional(args.input as TransactWriteInput, metered.transactional);
          else billRead(command, args.input as ReadInput, out.output as ReadOutput, metered.reads);
        }
        return out;
      },
      { step: 'initialize', name: 'benchReadUnits' },
    ),
  );
  return {
    start: () => void (metered = { reads: new Map(), transactional: new Map() }),
    stop: () => {
      const counted = metered ?? { reads: new Map(), transactional: new Map() };
      metered = undefined;
      return counted;
    },
  };
}

interface TransactWriteInput {
  TransactItems?: { Put?: { Item?: Item }; Update?: { Key?: Item }; Delete?: { Key?: Item } }[];
}

function countTransactional(input: TransactWriteInput, transactional: Map<string, number>) {
  for (const t of input.TransactItems ?? []) {
    const key = t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key;
    if (!key) continue; // a ConditionCheck writes nothing
    const itemKey = TABLE_KEYS.map((k) => String(key[k])).join('\u0000');
    transactional.set(itemKey, (transactional.get(itemKey) ?? 0) + 1);
  }
}

type Item = Record<string, unknown>;
interface ReadInput {
  Key?: Item;
  ConsistentRead?: boolean;
  RequestItems?: Record<string, { Keys?: Item[]; ConsistentRead?: boolean }>;
  TransactItems?: { Get?: { Key?: Item } }[];
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}
interface ReadOutput {
  Item?: Item;
  Items?: Item[];
  Responses?: Record<string, Item[]> | { Item?: Item }[];
  UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
}

/** The size of an item as the document client returns it (plain values). */
const plainSize = (item: Item | undefined) => (item ? itemSize(marshall(item, { removeUndefinedValues: true }) as Image) : 0);
/** Billed in 4 KB units, at least one; an eventually consistent read costs half. */
const readUnits = (bytes: number, consistent?: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
const sameKey = (a: Item, b: Item) => TABLE_KEYS.every((k) => String(a[k]) === String(b[k]));

/** The partition a Query reads: the value bound by `=` to the table's or index's partition key. */
function queriedPartition(input: ReadInput): string {
  const pk = input.IndexName ? GSIS.find((i) => i.name === input.IndexName)?.pk : TABLE_PK;
  for (const [, name, value] of (input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((input.ExpressionAttributeNames?.[name] ?? name) === pk) return String(input.ExpressionAttributeValues?.[value]);
  }
  return '?';
}

function billRead(command: string, input: ReadInput, output: ReadOutput, units: Map<string, number>) {
  const add = (key: string, n: number) => units.set(key, (units.get(key) ?? 0) + n);
  switch (command) {
    case 'GetItemCommand':
      add(`table ${String(input.Key?.[TABLE_PK])}`, readUnits(plainSize(output.Item), input.ConsistentRead));
      break;
    case 'BatchGetItemCommand':
      // Each key is read as a GetItem would be: a missing item still costs the minimum.
      for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
        const returned = (output.Responses as Record<string, Item[]> | undefined)?.[table] ?? [];
        const unprocessed = output.UnprocessedKeys?.[table]?.Keys ?? [];
        for (const key of request.Keys ?? []) {
          if (unprocessed.some((u) => sameKey(u, key))) continue;
          add(`table ${String(key[TABLE_PK])}`, readUnits(plainSize(returned.find((item) => sameKey(item, key))), request.ConsistentRead));
        }
      }
      break;
    case 'TransactGetItemsCommand':
      // A transactional read costs twice a consistent one.
      (input.TransactItems ?? []).forEach((t, i) => {
        const item = (output.Responses as { Item?: Item }[] | undefined)?.[i]?.Item;
        add(`table ${String(t.Get?.Key?.[TABLE_PK])}`, 2 * readUnits(plainSize(item), true));
      });
      break;
    case 'QueryCommand':
      add(`${input.IndexName ?? 'table'} ${queriedPartition(input)}`, readUnits(sum((output.Items ?? []).map(plainSize)), input.ConsistentRead));
      break;
    case 'ScanCommand':
      add(`${input.IndexName ?? 'table'} (scan)`, readUnits(sum((output.Items ?? []).map(plainSize)), input.ConsistentRead));
      break;
  }
}

// --- Printing ---------------------------------------------------------------

export function printScale(s: Scale) {
  const { conversions: c, raises: r, heat } = s;
  console.log('\nscale: distinct raises and conversions through the local HTTP server, 1 vs 16 clients (same run)');
  console.table({
    raises: { n: r.n, oneClientPerSecond: r.oneClientPerSecond, sixteenClientsPerSecond: r.sixteenClientsPerSecond, ratio: r.ratio, serverErrors: r.serverErrors },
    conversions: { n: c.n, oneClientPerSecond: c.oneClientPerSecond, sixteenClientsPerSecond: c.sixteenClientsPerSecond, ratio: c.ratio, serverErrors: c.serverErrors },
  });
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `bars: conversions ratio >= 1.5 (${met(c.ratio >= 1.5)}), >= 0.8 x raises ratio ${round(0.8 * r.ratio)} (${met(c.ratio >= 0.8 * r.ratio)}), no 5xx (${met(c.serverErrors + r.serverErrors === 0)})`,
  );
  console.log('\nscale: heat per partition key, billed as DynamoDB bills (writes from the stream, reads from the handlers\' calls)');
  console.table({ ingest: heat.ingest, caseCreation: heat.caseCreation });
  console.log(`cost: $${heat.costUsd.perMillionAlerts} per million alerts, $${heat.costUsd.perThousandCases} per thousand cases (${heat.costUsd.prices})`);
  console.log(
    `bars: ingest ceiling >= 10,000 alerts/s (${met(heat.ingest.ceilingPerSecond >= 10_000)}), case creation ceiling >= 1,000 cases/s (${met(heat.caseCreation.ceilingPerSecond >= 1_000)})`,
  );
}
