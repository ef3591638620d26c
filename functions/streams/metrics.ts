/**
 * Team metrics from DynamoDB Streams: the batch's changes of cases, their
 * SLAs and alerts are counted together, each once (lib/usecases/metrics.ts:
 * per record from what was counted of it, written over the cursors read), so
 * a batch retried whole or in part adds nothing it added before. A record
 * whose image cannot be read is reported with every later one; so is the
 * whole batch when its counts cannot be written, and the stream retries it.
 * What it counted also goes to CloudWatch as EMF figures (the Team* metrics
 * the stack's dashboard draws), once per count written.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { RecordChange } from '../../lib/domain/stream-image.js';
import { headlineOf } from '../../lib/domain/metrics.js';
import { logger, metrics, MetricUnit, observed } from '../../lib/observability.js';
import { TEAM_FIGURES } from '../../lib/observability-names.js';
import { MetricsRepository } from '../../lib/store/metrics.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { failuresFrom } from '../../lib/stream-batches.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';
import { countChanges } from '../../lib/usecases/metrics.js';

let repos: Repositories | undefined;

export const handler = observed(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  repos ??= repositoriesOf(storeFromEnv(), { metrics: MetricsRepository });
  const changes: RecordChange[] = [];
  let readable = event.Records.length;
  for (const [i, record] of event.Records.entries()) {
    try {
      changes.push(recordChangeOf(record));
    } catch (error) {
      logger.error('stream record failed', { eventID: record.eventID, error: error as Error });
      readable = i;
      break;
    }
  }
  try {
    publishHeadline(await countChanges(repos, changes));
  } catch (error) {
    logger.error('counting metrics failed', { records: changes.length, error: error as Error });
    return { batchItemFailures: failuresFrom(event.Records, 0) };
  }
  return { batchItemFailures: failuresFrom(event.Records, readable) };
});

/** The headline figures of what was counted, as EMF metrics (flushed by `observed` at the end of the invocation). */
function publishHeadline(counted: Parameters<typeof headlineOf>[0]) {
  const { toAssign, toResolve, ...counts } = headlineOf(counted);
  for (const [figure, n] of Object.entries(counts) as [keyof typeof counts, number][]) if (n > 0) metrics.addMetric(TEAM_FIGURES[figure], MetricUnit.Count, n);
  for (const s of toAssign) metrics.addMetric(TEAM_FIGURES.toAssign, MetricUnit.Seconds, s);
  for (const s of toResolve) metrics.addMetric(TEAM_FIGURES.toResolve, MetricUnit.Seconds, s);
}
