/**
 * The whole service on one machine: DynamoDB Local, the table, the same
 * handlers behind the local HTTP server and bus, a stream reader feeding every stream
 * function, and the impact schedule as a timer. `npm start` and the
 * end-to-end tests both start it through here.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUS_NAME, EVENT_BUS_ENV, EVENTS_ENDPOINT_ENV } from '../lib/events/rules.js';
import { FUNCTIONS, IMPACT_SCHEDULE_MINUTES } from '../lib/functions.js';
import type { FunctionGroup } from '../lib/contract/operation.js';
import { oneLoggerPerFunction } from '../lib/observability.js';
import { TABLE_NAME_ENV } from '../lib/store/table.js';
import { ensureTable, startDynamo } from './dynamodb.js';
import { createLocalBus, type EventHandler } from './eventbridge.js';
import { createHttpServer, type HttpFunction } from './http-adapter.js';
import { buildConsole } from '../web/build.js';
import { fileCheckpoints } from './checkpoints.js';
import { asFunction, runningFunction, watchTableCalls } from './table-access.js';
import { localContext, startStreamReader, type StreamHandler } from './stream-poller.js';
import { DEFAULT_JWT_SECRET } from './tokens.js';

export interface RuntimeOptions {
  port?: number;
  host?: string;
  /** Where DynamoDB Local keeps data; undefined keeps it in memory. */
  dataDir?: string;
  tableName?: string;
  jwtSecret?: string;
  /** Use an already running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  /** Seconds between impact recalculations of open alerts; 0 turns the schedule off. */
  impactIntervalSeconds?: number;
  /** The stream functions read what is written from their start on, not what the table's stream already holds (the bench's seeded data, followed "long ago"). */
  streamFromLatest?: boolean;
  /** Writes data into the table before the server listens (`--demo`), so that /health answering means it is there. */
  preload?: (table: { tableName: string; endpoint: string }) => Promise<void>;
  log?: (line: string) => void;
}

export interface Runtime {
  url: string;
  port: number;
  tableName: string;
  dynamoEndpoint: string;
  bus: ReturnType<typeof createLocalBus>;
  impactIntervalSeconds: number;
  stop(): Promise<void>;
}

/** The port asked for is taken: `npm start` says so in one line. */
export class PortInUse extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is in use.`);
  }
}

/** Listens on the port, or fails with PortInUse when another process holds it. */
function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? new PortInUse(port) : error));
    server.listen(port, host, () => done());
  });
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

async function loadHandler<T>(entry: string): Promise<T> {
  const module = (await import(pathToFileURL(resolve(projectRoot, entry)).href)) as { handler: T };
  return module.handler;
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? ((line: string) => console.log(line));
  const tableName = options.tableName ?? 'alert-to-case';
  const host = options.host ?? '127.0.0.1';
  if (options.port) {
    // A taken port fails at once, not after DynamoDB Local has started and the demo has loaded.
    const probe = createServer();
    await listenOn(probe, options.port, host);
    await new Promise((done) => probe.close(done));
  }
  const dynamo = options.dynamoEndpoint ? { endpoint: options.dynamoEndpoint, stop: async () => undefined } : await startDynamo({ dataDir: options.dataDir });
  const stops: (() => Promise<void>)[] = [dynamo.stop];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log(`stop failed: ${(e as Error).message}`));
  };
  try {
    const streamArn = await ensureTable(dynamo.endpoint, tableName);
    // The handlers read their configuration from the environment, exactly as in Lambda.
    process.env[TABLE_NAME_ENV] = tableName;
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.AWS_REGION ??= 'us-east-1';

    // Each handler runs as its function, so its table calls can be checked against its grant, and its log
    // lines name it (with one logger each, as in Lambda, whatever other functions run meanwhile).
    watchTableCalls();
    oneLoggerPerFunction(runningFunction);
    const handlers: Record<string, unknown> = {};
    for (const f of FUNCTIONS) handlers[f.name] = asFunction(f.name, await loadHandler<(...args: unknown[]) => unknown>(f.entry));
    const timeoutsMs = Object.fromEntries(FUNCTIONS.map((f) => [f.name, f.timeoutSeconds * 1000]));
    const failure = (prefix: string) => (message: string, error: unknown) => log(`[${prefix}] ${message}: ${(error as Error)?.message ?? String(error)}`);
    const bus = createLocalBus(
      Object.fromEntries(FUNCTIONS.filter((f) => f.trigger === 'event').map((f) => [f.name, handlers[f.name] as EventHandler])),
      timeoutsMs,
      failure('events'),
    );
    stops.push(() => bus.drain());
    const server = createHttpServer({
      functions: Object.fromEntries(FUNCTIONS.filter((f) => f.trigger === 'http').map((f) => [f.name, handlers[f.name]])) as Record<
        FunctionGroup,
        HttpFunction
      >,
      timeoutsMs: timeoutsMs as Record<FunctionGroup, number>,
      bus,
      jwtSecret: options.jwtSecret ?? process.env.LOCAL_JWT_SECRET ?? DEFAULT_JWT_SECRET,
      console: buildConsole({ mode: 'local' }),
    });
    if (options.preload) await options.preload({ tableName, endpoint: dynamo.endpoint });
    await listenOn(server, options.port ?? 0, host);
    stops.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    // Publishers put their events on this server's PutEvents endpoint, the local bus.
    process.env[EVENT_BUS_ENV] = BUS_NAME;
    process.env[EVENTS_ENDPOINT_ENV] = url;
    // Like event source mappings, each stream function takes the stream's records on its own, from where it
    // left off (kept with the data when there is a data directory); the stream is read once for all of them.
    // They start once the server listens: the events function publishes on it, and preloaded records are read.
    const streamFunctions = FUNCTIONS.filter((fn) => fn.trigger === 'stream');
    const reader = startStreamReader({
      endpoint: dynamo.endpoint,
      streamArn,
      fromLatest: options.streamFromLatest,
      onError: failure('stream'),
      consumers: streamFunctions.map((f) => ({
        handler: handlers[f.name] as StreamHandler,
        filter: f.streamFilter ?? {},
        name: f.name,
        timeoutMs: timeoutsMs[f.name],
        onError: failure(`stream ${f.name}`),
        checkpoints: options.dataDir ? fileCheckpoints(resolve(options.dataDir, `stream-${tableName}-${f.name}.json`)) : undefined,
        batchWindowMs: f.batchWindowSeconds !== undefined ? f.batchWindowSeconds * 1000 : undefined,
      })),
    });
    stops.push(() => reader.stop());
    // Read from now on: nothing the schedules write may come before the pollers look.
    if (options.streamFromLatest) await reader.ready;

    const interval = options.impactIntervalSeconds ?? IMPACT_SCHEDULE_MINUTES * 60;
    for (const f of FUNCTIONS.filter((fn) => fn.trigger === 'schedule')) {
      // The impact schedule's interval is the runtime's to set (0: off); others run as their spec says.
      const seconds = f.local?.everySeconds ?? f.everySeconds ?? interval;
      Object.assign(process.env, f.local?.environment);
      if (seconds > 0) stops.push(startTimer(f.name, handlers[f.name] as (event: unknown, context: unknown) => Promise<unknown>, seconds, timeoutsMs[f.name], log));
    }
    return { url, port, tableName, dynamoEndpoint: dynamo.endpoint, bus, impactIntervalSeconds: interval, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A scheduled function on a timer: runs are never concurrent; a failed run is logged and the next one comes. */
function startTimer(
  name: string,
  handler: (event: unknown, context: unknown) => Promise<unknown>,
  seconds: number,
  timeoutMs: number,
  log: (line: string) => void,
) {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    const event = { version: '0', id: crypto.randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', time: new Date().toISOString(), detail: {} };
    running = handler(event, localContext(name, timeoutMs))
      .catch((error) => log(`[schedule] ${name} failed: ${(error as Error).message}`))
      .finally(() => (running = undefined));
  }, seconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
