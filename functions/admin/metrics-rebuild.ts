/**
 * The rebuild of team metrics in AWS (docs/operations.md "Rebuilding team
 * metrics"): run by an operator with `aws lambda invoke`, on no trigger. It
 * pauses the metrics function's stream mapping, waits until the mapping has
 * stopped and a batch in flight has ended, recounts every figure from history
 * (lib/usecases/metrics.ts `rebuildMetrics`), and resumes the mapping, also
 * when the rebuild fails. Records that came meanwhile wait in the stream and
 * are counted after, once: the rebuilt cursors have counted what they change.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { logger, observed } from '../../lib/observability.js';
import { AlertListRepository } from '../../lib/store/alert-lists.js';
import { CaseListRepository } from '../../lib/store/case-lists.js';
import { HistoryRepository } from '../../lib/store/history.js';
import { MetricsRepository } from '../../lib/store/metrics.js';
import { CaseSlaRepository } from '../../lib/store/slas.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';
import { rebuildMetrics } from '../../lib/usecases/metrics.js';
import { PAUSED_MAPPING_ENV, whilePaused } from '../../lib/stream-pause.js';

let repos: Repositories | undefined;

export const handler = observed(async () => {
  const uuid = process.env[PAUSED_MAPPING_ENV];
  if (!uuid) throw new Error(`${PAUSED_MAPPING_ENV} is not set`);
  repos ??= repositoriesOf(storeFromEnv(), { caseLists: CaseListRepository, alertLists: AlertListRepository, history: HistoryRepository, caseSlas: CaseSlaRepository, metrics: MetricsRepository });
  const rebuilt = await whilePaused(new LambdaClient({}), uuid, () => rebuildMetrics(repos!), { pollMs: 2000, stopWithinMs: 120_000, inFlightMs: 60_000 });
  logger.info('team metrics rebuilt', rebuilt);
  return rebuilt;
});
