/** A fresh table in the run's DynamoDB Local for one test file. */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable, localClient } from '../../local/dynamodb.js';
import { createStore, type Store } from '../../lib/store/store.js';
import { repositoriesFor } from '../../lib/usecases/repositories.js';
import type { Repositories } from '../../lib/usecases/context.js';

export interface TestTable {
  store: Store;
  repos: Repositories;
  endpoint: string;
  tableName: string;
  streamArn: string;
  drop(): Promise<void>;
}

export function dynamoEndpoint(): string {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run through `npm test` (jest globalSetup starts DynamoDB Local)');
  return endpoint;
}

/** A fresh table, in the run's DynamoDB Local unless given another (a test that must not load the shared one). */
export async function createTestTable(label = 'test', endpoint = dynamoEndpoint()): Promise<TestTable> {
  const tableName = `${label}-${randomUUID().slice(0, 8)}`;
  const streamArn = await ensureTable(endpoint, tableName);
  const store = createStore({ tableName, endpoint });
  return {
    store,
    repos: repositoriesFor(store),
    endpoint,
    tableName,
    streamArn,
    async drop() {
      store.doc.destroy();
      const client = localClient(endpoint);
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    },
  };
}
