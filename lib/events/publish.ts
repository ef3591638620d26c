/** Puts events on the bus with source `alert-to-case`; reports which ones the bus refused. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_ENV, EVENTS_ENDPOINT_ENV, OWN_SOURCE } from './rules.js';
import type { OutEvent } from './changes.js';
import { traceAwsClient, withoutSdkLogging } from '../tracing.js';

let client: EventBridgeClient | undefined;
const clientFromEnv = () => {
  const endpoint = process.env[EVENTS_ENDPOINT_ENV] || undefined;
  client ??= traceAwsClient(
    withoutSdkLogging(new EventBridgeClient({
      region: process.env.AWS_REGION || 'us-east-1',
      endpoint,
      credentials: endpoint ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
      // A stalled bus fails the record (retried by the stream) instead of holding the function to its timeout.
      requestHandler: { connectionTimeout: 1000, requestTimeout: 5000, throwOnRequestTimeout: true },
    })),
  );
  return client;
};

/** PutEvents takes at most this many entries a call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Publishes up to ten events in one call; returns the positions of those the bus did not accept. */
export async function publishBatch(events: OutEvent[]): Promise<number[]> {
  const busName = process.env[EVENT_BUS_ENV];
  if (!busName) throw new Error(`${EVENT_BUS_ENV} is not set`);
  const out = await clientFromEnv().send(
    new PutEventsCommand({
      Entries: events.map((e) => ({
        EventBusName: busName,
        Source: OWN_SOURCE,
        DetailType: e.detailType,
        Detail: JSON.stringify(e.detail),
        Time: new Date(e.detail.at),
      })),
    }),
  );
  return (out.Entries ?? []).flatMap((entry, j) => (entry.ErrorCode ? [j] : []));
}
