/**
 * Lists: pages over one or more partitions (a list's write shards), merged in
 * order, with one parallel wave of queries per page and an opaque cursor that
 * resumes every partition where the page left it.
 */
import { createHash } from 'node:crypto';
import type { Entity } from 'dynamodb-toolbox/entity';
import { QueryCommand, type Query } from 'dynamodb-toolbox/table/actions/query';
import { decodeCursor, encodeCursor, invalidCursor } from '../domain/cursor.js';
import { idInListSortKey, partitionsOf, type Db, type ListIndex, type ListPattern, type PatternQuery, type TableKey } from './entities.js';
import { guard } from './errors.js';
import { indexKeys, PARTITION_KEY, SORT_KEY } from './table.js';

export { CURSOR_PATTERN, invalidCursor } from '../domain/cursor.js';
export type { TableKey } from './entities.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every item of a paged read, a page after another. */
export async function allPages<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** A page read, and the cursor that resumes after any number of its first items (to cut it short). */
export interface ReadPage<T> extends Page<T> {
  cursorAfter(count: number): string | null;
}

/**
 * What a page's items may add up to, as the JSON that will be sent (SPEC §4:
 * every response under 5 MB). A page stops early before the item that would
 * pass it, with a cursor for the rest; one item always fits (an item is at
 * most 400 KB stored, so its JSON is under 2.5 MB even if every character
 * needs escaping).
 */
export const PAGE_BUDGET_BYTES = 4 * 1024 * 1024;
export const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * The longest start of `entries` whose items fit the budget, at least one.
 * Entries that are undefined (gone, or no longer matching) are passed over
 * but count as read. `cursorAfter` counts entries, not items.
 */
export function withinBudget<T>(
  entries: (T | undefined)[],
  page: { nextCursor: string | null; cursorAfter(count: number): string | null },
  view: (item: T) => unknown = (item) => item,
): Page<T> {
  const items: T[] = [];
  let bytes = 0;
  for (const [i, entry] of entries.entries()) {
    if (entry === undefined) continue;
    bytes += jsonBytes(view(entry)) + 1;
    if (bytes > PAGE_BUDGET_BYTES && items.length > 0) return { items, nextCursor: page.cursorAfter(i) };
    items.push(entry);
  }
  return { items, nextCursor: page.nextCursor };
}

type Item = Record<string, unknown>;

/**
 * A list: what an access pattern reads (its partitions, the list's write
 * shards, all read at once by a page), in one order, maybe filtered.
 */
export interface ListQuery extends ListPattern {
  /** Which list this is (what, under which parent, with which filters): a cursor works only for the list it came from. */
  list: string;
  newestFirst: boolean;
  /** Attribute equality filters, applied by the query. */
  filters?: Record<string, string | boolean>;
}

/** A query's key condition: one partition of what a pattern reads (its first, unless told). */
export function keyCondition(pattern: PatternQuery, partition = pattern.partitions[0]): Query<Db['table']> {
  const range = pattern.between ? { between: pattern.between } : pattern.prefix ? { beginsWith: pattern.prefix } : undefined;
  return pattern.index ? { index: pattern.index, partition, range } : { partition, range };
}

/** Reads of the table are strongly consistent; an index offers only eventually consistent ones. */
export const consistency = (pattern: PatternQuery) => (pattern.index ? {} : { consistent: true });

/** Where a partition's reading stands: not started, after this sort key, or done. */
type Position = null | string | 0;
const DONE = 0;

const bad = () => invalidCursor();

const listTag = (q: ListQuery) => createHash('sha256').update(JSON.stringify([q.list, q.index ?? '', q.partitions[0], q.partitions.length])).digest('base64url').slice(0, 12);

/** What a cursor shows of a position: the sort key without the list's prefix (no key names, no prefixes). */
const shown = (q: ListQuery, position: Position) => (typeof position === 'string' && q.prefix ? position.slice(q.prefix.length) : position);

function listCursor(q: ListQuery, positions: Position[]): string | null {
  if (positions.every((p) => p === DONE)) return null;
  return encodeCursor({ l: listTag(q), p: positions.map((p) => shown(q, p)) });
}

/**
 * A position within the list's range: one before it starts the partition
 * afresh, one past it is done. A range may move between pages (one up to
 * now), and a query resumed outside its range is refused by the database.
 */
function inRange(q: ListQuery, position: Position): Position {
  if (typeof position !== 'string' || !q.between) return position;
  return position < q.between[0] ? null : position > q.between[1] ? DONE : position;
}

/** Accepts only a cursor this very list handed out: anything else is a 400 naming `cursor`, never a database error. */
function listPositions(q: ListQuery, cursor: string | undefined): Position[] {
  if (cursor === undefined) return q.partitions.map(() => null);
  return decodeCursor(cursor, ({ l, p }) => {
    if (l !== listTag(q) || !Array.isArray(p) || p.length !== q.partitions.length) return undefined;
    return p.map((shownPosition: unknown): Position => {
      if (shownPosition === null || shownPosition === DONE) return shownPosition;
      if (typeof shownPosition !== 'string' || shownPosition === '') throw bad();
      const position = `${q.prefix ?? ''}${shownPosition}`;
      if (Buffer.byteLength(position) > 1024 || !q.tableKeyOf(position)) throw bad();
      return inRange(q, position);
    });
  });
}

const keyAttributes = (q: ListQuery) => (q.index ? indexKeys(q.index) : { pk: PARTITION_KEY, sk: SORT_KEY });

function startKey(q: ListQuery, partition: string, position: Position) {
  if (typeof position !== 'string') return undefined;
  const attrs = keyAttributes(q);
  return { ...q.tableKeyOf(position)!, [attrs.pk]: partition, [attrs.sk]: position };
}

/**
 * A list's entries are read raw (index projections, or table items): their
 * index keys, which order and resume the list, are hidden from entity reads.
 */
interface Entry {
  item: Item;
  sortKey: string;
}

/** The sort key of a raw item or key: every key attribute of the table is a string (table.ts). */
const sortKeyOf = (raw: Item, sortAttr: string) => String(raw[sortAttr]);
const entryOf = (sortAttr: string) => (item: Item): Entry => ({ item, sortKey: sortKeyOf(item, sortAttr) });

/** A page of a list's raw entries, with the sort key each was found at. */
export interface ListPage extends ReadPage<Item> {
  sortKeys: string[];
}

function filterOf(filters: Record<string, string | boolean> | undefined) {
  const conditions = Object.entries(filters ?? {}).map(([attr, eq]) => ({ attr, eq }));
  if (conditions.length === 0) return undefined;
  return conditions.length === 1 ? conditions[0] : { and: conditions };
}

/**
 * One page of a list: every partition not yet done is queried at once for up
 * to `limit` entries; the merged entries are safe to return down to the
 * furthest point a partition with more to read has reached (an entry beyond
 * it could be preceded by one that partition has not shown yet). Returns the
 * raw entries (index projections, or table items), in list order.
 */
export async function listPage(db: Db, q: ListQuery, limit: number, cursor: string | undefined): Promise<ListPage> {
  const positions = listPositions(q, cursor);
  const sortAttr = keyAttributes(q).sk;
  const filter = filterOf(q.filters);
  const reads = await Promise.all(
    q.partitions.map(async (partition, i) => {
      if (positions[i] === DONE) return { items: [], last: undefined };
      const out = await guard(() =>
        db.table
          .build(QueryCommand)
          .query(keyCondition(q, partition))
          .options({ reverse: q.newestFirst, limit, ...consistency(q), filter, exclusiveStartKey: startKey(q, partition, positions[i]) })
          .send(),
      );
      return { items: (out.Items ?? []).map(entryOf(sortAttr)), last: out.LastEvaluatedKey ? sortKeyOf(out.LastEvaluatedKey, sortAttr) : undefined };
    }),
  );
  const before = (a: string, b: string) => (q.newestFirst ? a > b : a < b);
  // The furthest a partition with more to read has got: nothing past it is safe to return yet.
  const frontier = reads.reduce<string | undefined>((edge, r) => (r.last !== undefined && (edge === undefined || before(r.last, edge)) ? r.last : edge), undefined);
  const merged = reads
    .flatMap((r, partition) => r.items.map((entry) => ({ partition, ...entry })))
    .filter((e) => frontier === undefined || !before(frontier, e.sortKey))
    .sort((a, b) => (before(a.sortKey, b.sortKey) ? -1 : 1))
    .slice(0, limit);
  // Where each partition stands once the first `count` merged entries are returned.
  const cursorAfter = (count: number) => {
    const returned = merged.slice(0, count);
    return listCursor(
      q,
      positions.map((position, i): Position => {
        if (position === DONE) return DONE;
        const taken = returned.filter((e) => e.partition === i);
        const read = reads[i];
        // Every entry read was returned: go on from where the query stopped (past entries the filter left out), or done.
        if (taken.length === read.items.length) return read.last ?? DONE;
        return taken.length ? taken[taken.length - 1].sortKey : position;
      }),
    );
  };
  return { items: merged.map((e) => e.item), sortKeys: merged.map((e) => e.sortKey), nextCursor: cursorAfter(merged.length), cursorAfter };
}

/** A list of alerts or cases: all of them, or those of the first indexed filter given; other filters run in the index. */
export interface FilteredList<T extends object> {
  /** What is listed (`alerts`, `cases`), for the cursor's list identity. */
  name: string;
  all: ListIndex;
  /** Filters that have an index, most selective first. */
  indexed: readonly (readonly [field: string, list: ListIndex])[];
  idPattern: RegExp;
  keyOf(id: string): TableKey;
  /** The items with these ids, as a single read returns them, in order (undefined where there is none). */
  read(ids: string[]): Promise<(T | undefined)[]>;
  /** An item as the API sends it (what the page's byte budget counts). */
  view(item: T): unknown;
}

/**
 * A page of a filtered list, newest first: one wave of queries over the
 * list's shards for the page's keys, then one read of the items themselves
 * (indexes project only keys and filter fields). An item that changed since
 * the index saw it and no longer matches is left out.
 */
export async function listByFilters<T extends object>(
  db: Db,
  spec: FilteredList<T>,
  filters: Record<string, string | boolean | undefined>,
  limit: number,
  cursor: string | undefined,
): Promise<ReadPage<T>> {
  const given = givenFilters(filters);
  const chosen = spec.indexed.find(([field]) => given[field] !== undefined);
  const list = chosen ? chosen[1] : spec.all;
  const rest = Object.fromEntries(Object.entries(given).filter(([field]) => field !== chosen?.[0]));
  const query: ListQuery = {
    list: filteredListName(spec, given),
    index: list.index,
    partitions: partitionsOf(list, chosen ? String(given[chosen[0]]) : ''),
    newestFirst: true,
    filters: rest,
    tableKeyOf: (sortKey) => {
      const id = idInListSortKey(sortKey, spec.idPattern);
      return id === undefined ? undefined : spec.keyOf(id);
    },
  };
  return listedItems(db, spec, given, query, limit, cursor);
}

/** The filters given (those not undefined). */
export const givenFilters = (filters: Record<string, string | boolean | undefined>) =>
  Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<string, string | boolean>;

/** A filtered list's identity, for its cursors: what is listed and with which filters. */
export const filteredListName = (spec: FilteredList<object>, given: Record<string, unknown>) => `${spec.name}?${JSON.stringify(Object.entries(given).sort())}`;

/**
 * A page of a list query's items, read with one read after the query: those
 * whose item still has every field of `given` (the list's filters that are
 * the item's fields).
 */
export async function listedItems<T extends object>(
  db: Db,
  spec: FilteredList<T>,
  given: Record<string, string | boolean>,
  query: ListQuery,
  limit: number,
  cursor: string | undefined,
): Promise<ReadPage<T>> {
  const page = await listPage(db, query, limit, cursor);
  const ids = page.sortKeys.map((sortKey) => idInListSortKey(sortKey, spec.idPattern)!);
  const read = await spec.read(ids);
  // An item gone, or changed since the index saw it so that it no longer matches, is passed over.
  const entries = read.map((item) => (item && Object.entries(given).every(([field, value]) => (item as Item)[field] === value) ? item : undefined));
  const fitted = withinBudget(entries, page, spec.view);
  // The entry each returned item stands at: resuming after n items resumes at the (n+1)th item's entry.
  const kept = entries.flatMap((entry, i) => (entry ? [i] : []));
  return { ...fitted, cursorAfter: (count) => (count >= fitted.items.length ? fitted.nextCursor : page.cursorAfter(kept[count])) };
}

/**
 * A query of every item of one entity that a single-partition pattern reads
 * (all pages), each formatted by the entity: for partitions known to be small
 * or needed whole. On an index, name the `attributes` it projects.
 */
export function queryWhole<E extends Entity>(db: Db, entity: E, pattern: PatternQuery) {
  return db.table.build(QueryCommand).entities(entity).query(keyCondition(pattern)).options({ maxPages: Infinity, ...consistency(pattern) });
}

/**
 * A page of a list that is read whole (queues, playbooks: a handful of items),
 * with the same `limit`/`cursor` contract as the queried lists.
 */
export function pageOfList<T>(items: readonly T[], idOf: (item: T) => string, limit: number, cursor: string | undefined): Page<T> {
  const start =
    cursor === undefined
      ? 0
      : decodeCursor(cursor, ({ after }) => {
          const index = typeof after === 'string' ? items.findIndex((item) => idOf(item) === after) : -1;
          return index < 0 ? undefined : index + 1;
        });
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: page, nextCursor: more ? encodeCursor({ after: idOf(page[page.length - 1]) }) : null };
}
