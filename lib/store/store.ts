/** What every repository needs: the toolbox table and entities over one document client. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, storeConfigFromEnv, type StoreConfig } from './client.js';
import { defineTable, type Db } from './entities.js';

export interface Store {
  /** The document client under the toolbox (tests and the local runtime watch it; repositories use `db`). */
  doc: DynamoDBDocumentClient;
  tableName: string;
  db: Db;
}

export function createStore(config: StoreConfig): Store {
  const doc = createDocumentClient(config);
  return { doc, tableName: config.tableName, db: defineTable(doc, config.tableName) };
}

let fromEnv: Store | undefined;
/** The process-wide store of a Lambda function (created at first use, reused across invocations). */
export function storeFromEnv(): Store {
  fromEnv ??= createStore(storeConfigFromEnv());
  return fromEnv;
}
