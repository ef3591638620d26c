/**
 * How a stream function goes through a batch (Lambda's partial batch
 * response): each item's records one after the other, in the order the
 * stream keeps, and different items at once. A record that fails is reported
 * with every later one, and the stream retries from there in order (what
 * came before it is done, and doing it again is harmless).
 */
import type { DynamoDBBatchItemFailure, DynamoDBRecord } from 'aws-lambda';
import { mapLimit } from './concurrency.js';

/** The records from `from` on, as a partial batch response names them. */
export const failuresFrom = (records: DynamoDBRecord[], from: number): DynamoDBBatchItemFailure[] =>
  records.slice(from).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' }));

/** Follows every record, `itemsAtOnce` items at once; returns the failures to report (none when all went). */
export async function followInOrder(
  records: DynamoDBRecord[],
  itemsAtOnce: number,
  follow: (record: DynamoDBRecord) => Promise<void>,
  onError: (record: DynamoDBRecord, error: Error) => void,
): Promise<DynamoDBBatchItemFailure[]> {
  const byItem = new Map<string, number[]>();
  records.forEach((record, i) => {
    const key = JSON.stringify(record.dynamodb?.Keys ?? i);
    byItem.set(key, [...(byItem.get(key) ?? []), i]);
  });
  let failedFrom = records.length;
  await mapLimit([...byItem.values()], itemsAtOnce, async (indexes) => {
    for (const i of indexes) {
      if (i >= failedFrom) return;
      try {
        await follow(records[i]);
      } catch (error) {
        onError(records[i], error as Error);
        failedFrom = Math.min(failedFrom, i);
        return;
      }
    }
  });
  return failuresFrom(records, failedFrom);
}
