/** What every repository needs: the document client and the table name. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, storeConfigFromEnv, type StoreConfig } from './client.js';

export interface Store {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

export function createStore(config: StoreConfig): Store {
  return { doc: createDocumentClient(config), tableName: config.tableName };
}

let fromEnv: Store | undefined;
/** The process-wide store of a Lambda function (created at first use, reused across invocations). */
export function storeFromEnv(): Store {
  fromEnv ??= createStore(storeConfigFromEnv());
  return fromEnv;
}

/** Attributes that are storage detail, never part of what the API returns. */
const STORAGE_ATTRIBUTES = /^(pk|sk|entity|lastAction|expiresAt|gsi\d+(pk|sk))$/;

export function stripStorage<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STORAGE_ATTRIBUTES.test(k))) as T;
}
