/**
 * Reads the table's stream: a record's old and new images, as the table holds
 * them, become the change of a domain record (lib/domain/stream-image.ts).
 * The entity attribute names the kind of record; the table's keys, index keys
 * and entity attribute are stripped, so nothing past this point sees them.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { RecordChange } from '../domain/stream-image.js';
import { ENTITY_ATTRIBUTE, INDEX_NAMES, indexKeys, PARTITION_KEY, SORT_KEY } from './table.js';

/** A stream record as Lambda delivers it (only what is read of it). */
export interface StreamRecord {
  dynamodb?: { OldImage?: unknown; NewImage?: unknown };
}

/** An image, unmarshalled: the item's attributes as the table holds them. */
export type StreamImage = Record<string, unknown>;

type Marshalled = Parameters<typeof unmarshall>[0];

/** Attributes of the table, not of the record: keys, index keys and the entity attribute. */
const TABLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  PARTITION_KEY,
  SORT_KEY,
  ENTITY_ATTRIBUTE,
  ...INDEX_NAMES.flatMap((name) => Object.values(indexKeys(name))),
]);

/** Entities whose changes are records of the domain's (RecordChange); every other item is `other`. */
const RECORD_KINDS: ReadonlySet<unknown> = new Set<RecordChange['kind']>(['alert', 'case', 'note', 'workitem', 'agent', 'queue', 'caseslas']);

const imageOf = (image: unknown): StreamImage | undefined => (image ? unmarshall(image as Marshalled) : undefined);

const recordOf = (image: StreamImage | undefined) =>
  image && Object.fromEntries(Object.entries(image).filter(([attribute]) => !TABLE_ATTRIBUTES.has(attribute)));

/** The change between two unmarshalled images of an item (either absent: a put of a new item, or a removal). */
export function recordChangeOfImages(oldImage: StreamImage | undefined, newImage: StreamImage | undefined): RecordChange {
  const entity = (newImage ?? oldImage)?.[ENTITY_ATTRIBUTE];
  if (!RECORD_KINDS.has(entity)) return { kind: 'other' };
  return { kind: entity, before: recordOf(oldImage), after: recordOf(newImage) } as RecordChange;
}

/** The change a stream record reports. Throws when an image cannot be read. */
export const recordChangeOf = (record: StreamRecord): RecordChange =>
  recordChangeOfImages(imageOf(record.dynamodb?.OldImage), imageOf(record.dynamodb?.NewImage));
