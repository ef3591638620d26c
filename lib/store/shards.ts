/**
 * Write shards for the lists every alert or case lands in. DynamoDB limits one
 * partition key value to 1,000 write units/s however much capacity the table
 * has; a list partition shared by all alerts (`ALERT`, `ALERT#STATE#open`)
 * would cap ingest near that. Each such list is spread over N partitions, the
 * item's shard fixed by a hash of its id (so an alert stays in its shard when
 * its state changes); a page reads every shard in one parallel wave
 * (`pagination.ts`). Capacity figures: docs/scale.md.
 */
export const ALERT_SHARDS = 16;
export const CASE_SHARDS = 8;
/** A queue's open work items: a storm of cases into one queue spreads like the case lists. */
export const WORK_SHARDS = 8;
/** Timers by due time: every offer (and SLA clock) writes one; swept all at once. */
export const TIMER_SHARDS = 16;

/** FNV-1a (32 bit): cheap and evenly spread over random and hashed ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const label = (shard: number) => String(shard).padStart(2, '0');

/** The shard of an item, as it appears at the end of its list partition keys. */
export const shardOf = (id: string, shards: number) => label(fnv1a(id) % shards);

/** `<prefix>#<shard>`: one list partition key. */
export const sharded = (prefix: string, id: string, shards: number) => `${prefix}#${shardOf(id, shards)}`;

/** Every partition key of a sharded list, in shard order. */
export const shardPartitions = (prefix: string, shards: number) => Array.from({ length: shards }, (_, i) => `${prefix}#${label(i)}`);
