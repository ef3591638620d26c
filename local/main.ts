/**
 * `npm start`: the service on 127.0.0.1:${PORT:-3000} with an embedded
 * DynamoDB Local. Data is kept under `.data/` unless `--in-memory`.
 */
import { parseArgs } from 'node:util';
import { startRuntime } from './runtime.js';

const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string', default: '.data' },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
const runtime = await startRuntime({ port, dataDir: values['in-memory'] ? undefined : values['data-dir'] });
console.log(`alert-to-case is listening on ${runtime.url}`);
console.log(`  DynamoDB Local: ${runtime.dynamoEndpoint} (${values['in-memory'] ? 'in memory' : `data in ${values['data-dir']}/`})`);
console.log(`  EventBridge PutEvents: POST ${runtime.url}/ (X-Amz-Target: AWSEvents.PutEvents)`);
console.log('  token: npm run token -- --sub alice --roles evt_mgmt_operator');

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping (DynamoDB Local included)...`);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
