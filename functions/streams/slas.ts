/**
 * Service levels from DynamoDB Streams: each case change moves the case's
 * task SLAs (they start, pause, resume, complete or are cancelled as of the
 * change's time, under the SLA definitions). Each write is over the version
 * read and names the case version it followed, so a retried batch or a
 * record seen again changes nothing. A record that fails is reported with
 * every later one, and the stream retries from there in order.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, observed } from '../../lib/observability.js';
import { CaseSlaRepository, SlaDefinitionRepository } from '../../lib/store/slas.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { followInOrder } from '../../lib/stream-batches.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';
import { followCaseSlas } from '../../lib/usecases/slas.js';

let repos: Repositories | undefined;

/** Cases whose records are followed at once (each case's records one after the other). */
const ITEMS_AT_ONCE = 8;

export const handler = observed(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  repos ??= repositoriesOf(storeFromEnv(), { slaDefinitions: SlaDefinitionRepository, caseSlas: CaseSlaRepository });
  const batchItemFailures = await followInOrder(
    event.Records,
    ITEMS_AT_ONCE,
    async (record) => {
      const change = recordChangeOf(record);
      if (change.kind === 'case' && change.after) await followCaseSlas(repos!, change.after);
    },
    (record, error) => logger.error('following SLAs failed', { eventID: record.eventID, error }),
  );
  return { batchItemFailures };
});
