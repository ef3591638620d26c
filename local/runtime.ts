/**
 * The whole service on one machine: DynamoDB Local, the table, the same
 * handlers behind the local HTTP server and bus, and the stream poller.
 * `npm start` and the end-to-end tests both start it through here.
 */
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HISTORY_STREAM_FILTER } from '../lib/events/rules.js';
import { FUNCTIONS } from '../lib/functions.js';
import type { FunctionGroup } from '../lib/http/routes.js';
import { TABLE_NAME_ENV } from '../lib/store/table.js';
import { ensureTable, startDynamo } from './dynamodb.js';
import { createLocalBus, type EventHandler } from './eventbridge.js';
import { createHttpServer, type HttpFunction } from './http-adapter.js';
import { startStreamPoller, type StreamHandler } from './stream-poller.js';
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
  log?: (line: string) => void;
}

export interface Runtime {
  url: string;
  port: number;
  tableName: string;
  dynamoEndpoint: string;
  bus: ReturnType<typeof createLocalBus>;
  stop(): Promise<void>;
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

async function loadHandler<T>(entry: string): Promise<T> {
  const module = (await import(pathToFileURL(resolve(projectRoot, entry)).href)) as { handler: T };
  return module.handler;
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? ((line: string) => console.log(line));
  const tableName = options.tableName ?? 'alert-to-case';
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

    const handlers: Record<string, unknown> = {};
    for (const f of FUNCTIONS) handlers[f.name] = await loadHandler<unknown>(f.entry);
    const bus = createLocalBus(
      Object.fromEntries(FUNCTIONS.filter((f) => f.trigger === 'event').map((f) => [f.name, handlers[f.name] as EventHandler])),
    );
    stops.push(() => bus.drain());
    const poller = startStreamPoller({
      endpoint: dynamo.endpoint,
      streamArn,
      handler: handlers.history as StreamHandler,
      filter: HISTORY_STREAM_FILTER,
    });
    stops.push(() => poller.stop());
    const server = createHttpServer({
      functions: Object.fromEntries(FUNCTIONS.filter((f) => f.trigger === 'http').map((f) => [f.name, handlers[f.name]])) as Record<
        FunctionGroup,
        HttpFunction
      >,
      bus,
      jwtSecret: options.jwtSecret ?? process.env.LOCAL_JWT_SECRET ?? DEFAULT_JWT_SECRET,
    });
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => done());
    });
    stops.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, port, tableName, dynamoEndpoint: dynamo.endpoint, bus, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
