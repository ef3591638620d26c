// One DynamoDB Local (in memory) for the whole run; each test file makes its own table in it.
// Jest loads this file outside its transform, so the TypeScript lifecycle module is loaded through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  if (process.env.TEST_DYNAMODB_ENDPOINT) return;
  const { startDynamo } = await tsImport('../../local/dynamodb.ts', import.meta.url);
  const dynamo = await startDynamo();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  globalThis.__dynamo = dynamo;
}
