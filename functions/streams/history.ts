/**
 * Writes history from DynamoDB Streams: one entry per change of an alert, case
 * or work note. An entry's key is derived from the change (owner, time,
 * version or note id), so writing it again writes the very same item: a
 * retried batch never makes a second entry. The batch's entries are written
 * 25 to a call (in a storm, a twenty-fifth of the calls one per record would
 * make). A record whose image cannot be read is reported alone; writes the
 * database does not answer in time are tried again while the function has
 * time; if they fail, every record that had one is reported, and the retry
 * rewrites them.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { historyWritesFor, type HistoryWrite } from '../../lib/domain/history.js';
import { HistoryRepository } from '../../lib/store/history.js';
import { logger, observed } from '../../lib/observability.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';

let history: HistoryRepository | undefined;

/** Time kept back from the function's timeout: writes that run late give up with this much left, and the batch is retried. */
const MARGIN_MS = 5000;

export const handler = observed(async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  const failed: DynamoDBRecord[] = [];
  const writes: { record: DynamoDBRecord; write: HistoryWrite }[] = [];
  for (const record of event.Records) {
    try {
      // Not an alert, case or note change (our own history writes land here too): nothing to write.
      for (const write of historyWritesFor(recordChangeOf(record))) writes.push({ record, write });
    } catch (error) {
      logger.error('stream record failed', { eventID: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber, error: error as Error });
      failed.push(record);
    }
  }
  if (writes.length) {
    history ??= new HistoryRepository(storeFromEnv().db);
    try {
      await history.appendAll(
        writes.map((w) => w.write),
        Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS,
      );
    } catch (error) {
      logger.error('history writes failed', { records: writes.length, error: error as Error });
      failed.push(...writes.map((w) => w.record));
    }
  }
  const failedIds = new Set(failed);
  return { batchItemFailures: event.Records.filter((r) => failedIds.has(r)).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
});
