/**
 * Writes history from DynamoDB Streams: one entry per change of an alert, case
 * or work note. Each write is conditional on a key derived from the change, so
 * a retried batch writes nothing twice; failures are reported per record.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { historyWriteFor } from '../../lib/domain/history.js';
import { HistoryRepository } from '../../lib/store/history.js';
import { logged, observed } from '../../lib/observability.js';
import { storeFromEnv } from '../../lib/store/store.js';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
let history: HistoryRepository | undefined;

type Image = Parameters<typeof unmarshall>[0];
const imageOf = (image: unknown) => (image ? unmarshall(image as Image) : undefined);

async function recordHistory(record: DynamoDBRecord): Promise<void> {
  const write = historyWriteFor(imageOf(record.dynamodb?.OldImage), imageOf(record.dynamodb?.NewImage));
  if (!write) return; // not an alert, case or note change: our own history writes land here too
  history ??= new HistoryRepository(storeFromEnv().db);
  await history.append(write);
}

export const handler = observed(async (event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, logged(recordHistory), processor, { context }),
);
