/**
 * Team metrics from DynamoDB Streams: the batch's changes of cases, their
 * SLAs and alerts are counted together, each once (lib/usecases/metrics.ts:
 * per record from what was counted of it, written over the cursors read), so
 * a batch retried whole or in part adds nothing it added before. A record
 * whose image cannot be read is reported with every later one; so is the
 * whole batch when its counts cannot be written, and the stream retries it.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { RecordChange } from '../../lib/domain/stream-image.js';
import { logger, observed } from '../../lib/observability.js';
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
    await countChanges(repos, changes);
  } catch (error) {
    logger.error('counting metrics failed', { records: changes.length, error: error as Error });
    return { batchItemFailures: failuresFrom(event.Records, 0) };
  }
  return { batchItemFailures: failuresFrom(event.Records, readable) };
});
