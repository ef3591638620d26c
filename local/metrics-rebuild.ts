/**
 * `npm run metrics:rebuild`: recounts team metrics from history (and cases'
 * SLAs) in `.data/` (or `--data-dir`), replacing the counters and cursors
 * (lib/usecases/metrics.ts `rebuildMetrics`). Run it with `npm start`
 * stopped: DynamoDB Local keeps its data for one process at a time. On the
 * next start the metrics function goes on from where it was in the stream,
 * and what the rebuild counted it finds counted.
 */
import { parseArgs } from 'node:util';
import { createStore } from '../lib/store/store.js';
import { repositoriesFor } from '../lib/usecases/repositories.js';
import { rebuildMetrics } from '../lib/usecases/metrics.js';
import { ensureTable, IncompatibleTable, startDynamo } from './dynamodb.js';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string', default: '.data' }, port: { type: 'string' } } });
const serverPort = Number(values.port ?? process.env.PORT ?? 3000);
const running = await fetch(`http://127.0.0.1:${serverPort}/health`).then(
  () => true,
  () => false,
);
if (running) {
  console.error(`Something answers on port ${serverPort}: stop npm start first (DynamoDB Local keeps ${values['data-dir']}/ for one process at a time).`);
  process.exit(1);
}
const dynamo = await startDynamo({ dataDir: values['data-dir'] });
try {
  const tableName = 'alert-to-case';
  await ensureTable(dynamo.endpoint, tableName);
  const store = createStore({ tableName, endpoint: dynamo.endpoint });
  const started = Date.now();
  const { cases, alerts, days } = await rebuildMetrics(repositoriesFor(store));
  store.doc.destroy();
  console.log(`metrics rebuilt from the history of ${cases} cases and ${alerts} alerts: ${days} days counted (${Date.now() - started} ms)`);
} catch (error) {
  if (!(error instanceof IncompatibleTable)) throw error;
  console.error(`${error.message} Move or delete ${values['data-dir']}/ to start fresh.`);
  process.exitCode = 1;
} finally {
  await dynamo.stop();
}
