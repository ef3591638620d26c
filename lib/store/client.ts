/**
 * DynamoDB clients, created once per process (module init) and shared.
 * Timeouts keep a stalled database from holding a request past the 8 s the
 * API promises (SPEC §4): the failure surfaces as `Unavailable` → 503.
 *
 * Two sets of timeouts (docs/decisions.md, "Database timeouts"), each at most
 * ~6 s for a call however often it is tried:
 * - DynamoDB answers in milliseconds: a call not answered in 2 s has lost its
 *   connection or met a stalled partition, and is best tried again at once on
 *   a fresh connection (3 attempts).
 * - DynamoDB Local (an `endpoint`) on two busy cores answers in up to seconds,
 *   and a call it is given up on still runs to its end inside it: trying again
 *   after 2 s would double the work of a database that is already behind. It
 *   gets 3 s a call and one more try.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traceAwsClient, withoutSdkLogging } from '../tracing.js';
import { TABLE_NAME_ENV } from './table.js';

export interface StoreConfig {
  tableName: string;
  endpoint?: string;
  region?: string;
}

export function storeConfigFromEnv(env = process.env): StoreConfig {
  const tableName = env[TABLE_NAME_ENV];
  if (!tableName) throw new Error(`${TABLE_NAME_ENV} is not set`);
  return { tableName, endpoint: env.DYNAMODB_ENDPOINT || undefined, region: env.AWS_REGION || 'us-east-1' };
}

type ClientHook = (client: DynamoDBDocumentClient) => void;
const clientHooks: ClientHook[] = [];

/** Lets the local runtime watch every client a handler creates (it checks the calls against each function's grant). */
export function onDocumentClient(hook: ClientHook): void {
  clientHooks.push(hook);
}

/** Attempts and request timeout: deployed 3 × 2 s, local 2 × 3 s (throwOnRequestTimeout: without it the handler only logs a warning and waits on for ever). */
const timeouts = (local: boolean) => ({
  maxAttempts: local ? 2 : 3,
  requestHandler: { connectionTimeout: 1000, requestTimeout: local ? 3000 : 2000, throwOnRequestTimeout: true },
});

export function createDocumentClient(config: Omit<StoreConfig, 'tableName'>): DynamoDBDocumentClient {
  const local = Boolean(config.endpoint);
  const client = new DynamoDBClient({
    region: config.region ?? 'us-east-1',
    endpoint: config.endpoint,
    // DynamoDB Local accepts any alphanumeric key pair; in AWS the role's credentials are used.
    credentials: local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
    ...timeouts(local),
  });
  withoutSdkLogging(client);
  // Each DynamoDB call becomes an X-Ray subsegment in AWS (a no-op where tracing is off).
  traceAwsClient(client);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  for (const hook of clientHooks) hook(doc);
  return doc;
}
