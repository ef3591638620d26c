/** Opaque list cursors and filtered queries that fill a page. */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { Invalid } from '../domain/errors.js';
import { guard } from './errors.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Key = Record<string, string>;

export function encodeCursor(key: Key | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * A cursor is only accepted when it decodes to exactly the key attributes of
 * the query it continues, with the same partition: a tampered cursor is a 400,
 * never a database error.
 */
export function decodeCursor(cursor: string | undefined, expected: { attributes: string[]; partition: [string, string] }): Key | undefined {
  if (cursor === undefined) return undefined;
  const bad = () => new Invalid('The cursor is not one this list returned.', [{ path: 'cursor', message: 'invalid cursor' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw bad();
  const entries = Object.entries(key as Record<string, unknown>);
  const names = entries.map(([k]) => k).sort();
  const wanted = [...new Set(expected.attributes)].sort();
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) throw bad();
  if (entries.some(([, v]) => typeof v !== 'string' || v.length === 0 || v.length > 1024)) throw bad();
  const [attr, value] = expected.partition;
  if ((key as Key)[attr] !== value) throw bad();
  return key as Key;
}

/** Every item a query returns, all pages. For partitions known to be small or needed whole. */
export async function queryAll(
  store: { doc: DynamoDBDocumentClient; tableName: string },
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await guard(() => store.doc.send(new QueryCommand({ ...input, TableName: store.tableName, ExclusiveStartKey: start })));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Query until `limit` items pass the filter or the partition ends (bounded, so a
 * sparse filter returns a short page with a cursor rather than scanning on).
 */
export async function queryPage<T>(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
  startKey: Key | undefined,
  maxRounds = 5,
): Promise<Page<T>> {
  const items: T[] = [];
  let key: Key | undefined = startKey;
  for (let round = 0; round < maxRounds; round++) {
    const out = await guard(() => doc.send(new QueryCommand({ ...input, Limit: limit - items.length, ExclusiveStartKey: key })));
    items.push(...((out.Items ?? []) as T[]));
    key = out.LastEvaluatedKey as Key | undefined;
    if (!key || items.length >= limit || !input.FilterExpression) break;
  }
  return { items, nextCursor: encodeCursor(key) };
}

/** A filter served by an index: when the filter is given, query `index` at `prefix + value`. */
export type IndexedFilter = readonly [field: string, index: string, prefix: string];

/**
 * Lists one entity kind newest first: queries the first index whose filter is
 * given (or `all` when none is) and narrows by the other filters.
 */
export async function listByFilters(
  store: { doc: DynamoDBDocumentClient; tableName: string },
  spec: { indexed: readonly IndexedFilter[]; all: readonly [index: string, partition: string] },
  filters: Record<string, string | boolean | undefined>,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Record<string, unknown>>> {
  const chosen = spec.indexed.find(([field]) => filters[field] !== undefined);
  const [index, partition] = chosen ? [chosen[1], `${chosen[2]}${filters[chosen[0]]}`] : spec.all;
  const names: Record<string, string> = { '#pk': `${index}pk` };
  const values: Record<string, unknown> = { ':pk': partition };
  const rest: string[] = [];
  for (const [field, value] of Object.entries(filters)) {
    if (value === undefined || field === chosen?.[0]) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    rest.push(`#${field} = :${field}`);
  }
  return queryPage(
    store.doc,
    {
      TableName: store.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: rest.length ? rest.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    limit,
    decodeCursor(cursor, { attributes: ['pk', 'sk', `${index}pk`, `${index}sk`], partition: [`${index}pk`, partition] }),
  );
}

/**
 * A page of a list that is read whole (queues, playbooks: a handful of items),
 * with the same `limit`/`cursor` contract as the queried lists.
 */
export function pageOfList<T>(items: readonly T[], idOf: (item: T) => string, limit: number, cursor: string | undefined): Page<T> {
  let start = 0;
  if (cursor !== undefined) {
    let after: unknown;
    try {
      after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).after;
    } catch {
      after = undefined;
    }
    const index = typeof after === 'string' ? items.findIndex((item) => idOf(item) === after) : -1;
    if (index < 0) throw new Invalid('The cursor is not one this list returned.', [{ path: 'cursor', message: 'invalid cursor' }]);
    start = index + 1;
  }
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: page, nextCursor: more ? Buffer.from(JSON.stringify({ after: idOf(page[page.length - 1]) })).toString('base64url') : null };
}
