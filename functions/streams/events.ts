/**
 * Publishes the events of SPEC §5 from the table's stream: a change is
 * published after it is stored, never instead of it. The events of a whole
 * batch of records go out in order, ten to a PutEvents call (in a storm, a
 * tenth of the calls one per record would make). When the bus refuses an
 * event, that record and every later one are reported as batch item failures,
 * so the stream retries from there in order (consumers drop an event seen
 * twice by its `eventId`).
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { eventsForChange, type OutEvent } from '../../lib/events/changes.js';
import { publishBatch, PUT_EVENTS_MAX_ENTRIES } from '../../lib/events/publish.js';
import { recordChangeOf } from '../../lib/store/stream-image.js';
import { logger, observed } from '../../lib/observability.js';

/** The index of the first record whose events did not all get out, or -1. */
async function publishInOrder(records: DynamoDBRecord[]): Promise<number> {
  const events: { event: OutEvent; record: number }[] = records.flatMap((record, index) =>
    eventsForChange(recordChangeOf(record)).map((event) => ({ event, record: index })),
  );
  for (let i = 0; i < events.length; i += PUT_EVENTS_MAX_ENTRIES) {
    const chunk = events.slice(i, i + PUT_EVENTS_MAX_ENTRIES);
    try {
      const refused = await publishBatch(chunk.map((c) => c.event));
      if (refused.length) {
        const first = chunk[refused[0]];
        logger.error('the bus refused events', { eventIds: refused.map((j) => chunk[j].event.detail.eventId), eventID: records[first.record].eventID });
        return first.record;
      }
    } catch (error) {
      logger.error('publishing failed', { error: error as Error, eventID: records[chunk[0].record].eventID });
      return chunk[0].record;
    }
  }
  return -1;
}

export const handler = observed(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const failedFrom = await publishInOrder(event.Records);
  const failed = failedFrom === -1 ? [] : event.Records.slice(failedFrom);
  return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
});
