/**
 * Publishes the events of SPEC §5 from the table's stream: a change is
 * published after it is stored, never instead of it. A record whose events the
 * bus refused is reported as a batch item failure and retried.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { eventsForChange } from '../../lib/events/changes.js';
import { publish } from '../../lib/events/publish.js';
import { logged, observed } from '../../lib/observability.js';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

type Image = Parameters<typeof unmarshall>[0];
const imageOf = (image: unknown) => (image ? unmarshall(image as Image) : undefined);

async function publishChange(record: DynamoDBRecord): Promise<void> {
  const events = eventsForChange(imageOf(record.dynamodb?.OldImage), imageOf(record.dynamodb?.NewImage));
  if (events.length === 0) return;
  const refused = await publish(events);
  if (refused.length) throw new Error(`The bus refused ${refused.map((e) => e.detail.eventId).join(', ')}`);
}

// One record after the other: two changes of one case go out in the order they were made.
export const handler = observed(async (event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, logged(publishChange), processor, { context, processInParallel: false }),
);
