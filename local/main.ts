/**
 * `npm start`: the service on 127.0.0.1:${PORT:-3000} with an embedded
 * DynamoDB Local. Data is kept under `.data/` unless `--in-memory`.
 */
import { parseArgs } from 'node:util';
import { createStore } from '../lib/store/store.js';
import { repositoriesFor } from '../lib/usecases/repositories.js';
import { IncompatibleTable } from './dynamodb.js';
import { DEMO_INSTALL_BASE, DEMO_SERVICE_MAP, loadDemo } from './demo.js';
import { PortInUse, startRuntime } from './runtime.js';

const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string', default: '.data' },
    demo: { type: 'boolean', default: false },
    'impact-interval': { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
const impactInterval = values['impact-interval'] ?? process.env.IMPACT_INTERVAL_SECONDS;
const runtime = await startRuntime({
  port,
  dataDir: values['in-memory'] ? undefined : values['data-dir'],
  impactIntervalSeconds: impactInterval !== undefined ? Number(impactInterval) : undefined,
  // Loaded before the server listens: once /health answers, every demo alert is there.
  preload: values.demo
    ? async (table) => {
        const { alerts } = await loadDemo(repositoriesFor(createStore(table)));
        console.log(`  demo data loaded: ${DEMO_SERVICE_MAP.cis!.length} CIs, ${DEMO_INSTALL_BASE.accounts!.length} accounts, ${alerts.length} open alerts`);
      }
    : undefined,
}).catch((error: unknown) => {
  // One line, what to do, and a failing exit: never run on data this version cannot read, nor beside another server.
  if (error instanceof IncompatibleTable) {
    console.error(`${error.message} Move or delete ${values['data-dir']}/ to start fresh (or run with --in-memory).`);
  } else if (error instanceof PortInUse) {
    console.error(`Port ${error.port} is in use: stop what is using it or pick another with PORT=${error.port + 1} npm start.`);
  } else {
    throw error;
  }
  process.exit(1);
});
console.log(`alert-to-case is listening on ${runtime.url}`);
console.log(`  DynamoDB Local: ${runtime.dynamoEndpoint} (${values['in-memory'] ? 'in memory' : `data in ${values['data-dir']}/`})`);
console.log(`  EventBridge PutEvents: POST ${runtime.url}/ (X-Amz-Target: AWSEvents.PutEvents)`);
console.log(`  impact recalculation: ${runtime.impactIntervalSeconds ? `every ${runtime.impactIntervalSeconds} s` : 'off'}`);
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
