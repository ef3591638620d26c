/**
 * Team metrics' counters (SPEC §2 "Team metrics"): one item per UTC day
 * holding every cell's counters, one item for the backlog, and beside each
 * case and alert a cursor saying what of it was counted. What a batch of
 * changes counted is written in transactions: each record's cursor over the
 * one read, with the batch's deltas summed into one write per day item and
 * one of the backlog. A cursor changed meanwhile (a retried batch, another
 * consumer) cancels its transaction, and the caller counts those records
 * again from a fresh read, so a change is counted once.
 *
 * A day two days over is sealed by the roll-up (`seal`): its counters as one
 * compressed value in its week's item, written only while the day's `rev` is
 * the one read. Any later write to a day before today deletes its week's
 * seals in the same transaction, so a seal is always its day's counters; a
 * summary reads the weeks, and the day items only of the days without a seal.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { BatchDeleteRequest } from 'dynamodb-toolbox/entity/actions/batchDelete';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { ConditionCheck } from 'dynamodb-toolbox/entity/actions/transactCheck';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add, $get, $sum } from 'dynamodb-toolbox/entity/actions/update';
import { clock } from '../clock.js';
import { COUNTERS, daysBefore, daysBetween, tally, type Backlog, type Counter, type DayCounters, type MetricsDelta } from '../domain/metrics.js';
import { STAGES, type Stage } from '../domain/stage-transitions.js';
import { mapLimit } from '../concurrency.js';
import { batchGet, batchWrite, chunks } from './batch.js';
import { metricsOwnerOf, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { metricsEntities } from './metrics-entities.js';
import { commitUnlessRefused, type Transaction } from './transactions.js';

/** A case or an alert whose changes are counted. */
export interface MetricsOwner {
  kind: 'case' | 'alert';
  id: string;
}

/** What was counted of a record: the versions counted (the case's, its SLA item's) and the firsts. */
export interface MetricsCursor {
  version: number;
  slasVersion?: number;
  assigned?: boolean;
  settled?: boolean;
  converted?: boolean;
}

/**
 * What a record's changes in a batch counted: its cursor as read (undefined:
 * none yet) and as it is after them, and their deltas. SLA changes counted
 * without reading the cursor say so by `slasFrom`, the SLA version of the
 * first of them: their write moves only the cursor's SLA version, on
 * condition that it is still below that one.
 */
export interface CountedChanges {
  owner: MetricsOwner;
  read: MetricsCursor | undefined;
  slasFrom?: number;
  next: MetricsCursor;
  deltas: MetricsDelta[];
}

/** A counter's place in its day item, and the backlog bucket's in the backlog item ('|' is in no queue, priority, stage or source). */
const SEPARATOR = '|';
const cellKey = (counter: Counter, queue: string, priority: string, source: string) => [counter, queue, priority, source].join(SEPARATOR);
const bucketKey = (b: Omit<Backlog, 'count'>) => [b.queue, b.priority, b.stage].join(SEPARATOR);
const COUNTER_SET: ReadonlySet<string> = new Set(COUNTERS);
const STAGE_SET: ReadonlySet<string> = new Set(STAGES);

/** A count's update: its number so far in the `counts` map (none: 0) plus what is added. */
const addTo = (key: string, n: number) => $sum($get(`counts['${key}']` as `counts['${string}']`, 0), n);
type Additions = Record<string, ReturnType<typeof addTo>>;

/** Items one transaction may hold: the records' cursors, the day items they count on and the backlog. */
const TRANSACTION_ITEMS = 100;
/**
 * Counts one update may move: each is a `SET` of about 45 characters, and
 * DynamoDB takes an expression of at most 4 KB.
 */
const COUNTS_PER_UPDATE = 60;

/** The count-map entries a record's deltas move: per day item, and the backlog's. */
function entriesOf(change: CountedChanges): Map<string, Set<string>> {
  const entries = new Map<string, Set<string>>();
  const add = (item: string, key: string) => entries.set(item, (entries.get(item) ?? new Set()).add(key));
  for (const { increments, backlog } of change.deltas) {
    for (const { cell, counter } of increments) add(cell.day, cellKey(counter, cell.queue, cell.priority, cell.source));
    for (const b of backlog) add('backlog', bucketKey(b));
  }
  return entries;
}

/** UTC today, and the day a day must be before to be sealed (over for a whole day: a day's margin for clocks). */
const todayOf = (now: number) => new Date(now).toISOString().slice(0, 10);
const sealedBefore = (today: string) => daysBefore(today, 1);

/** Items a write to these count maps holds: the day items, the week of each day before today (its seals deleted), and the backlog. */
const itemsOf = (entries: Map<string, Set<string>>, today: string) => {
  const days = [...entries.keys()].filter((item) => item !== 'backlog');
  return entries.size + byWeek(days.filter((day) => day < today), itself).size;
};

const SLOTS = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6'] as const;
type Slot = (typeof SLOTS)[number];
/** A day's week (named by its first day; weeks of 7 days from the epoch) and its slot in it. */
function slotOf(day: string): { week: string; slot: Slot } {
  const n = Date.parse(`${day}T00:00:00Z`) / 86_400_000;
  return { week: new Date((n - (n % 7)) * 86_400_000).toISOString().slice(0, 10), slot: SLOTS[n % 7] };
}
/** Items by the week of their day. */
function byWeek<T>(items: readonly T[], dayOf: (item: T) => string): Map<string, T[]> {
  const weeks = new Map<string, T[]>();
  for (const item of items) {
    const { week } = slotOf(dayOf(item));
    weeks.set(week, [...(weeks.get(week) ?? []), item]);
  }
  return weeks;
}
const itself = (day: string) => day;

/** Records in chunks that fit a transaction each: cursors, day items (and seals) and the backlog at most 100 items, each update at most 60 counts. */
function transactionChunks(changes: CountedChanges[], today: string): CountedChanges[][] {
  const parts: CountedChanges[][] = [];
  let part: CountedChanges[] = [];
  let entries = new Map<string, Set<string>>();
  for (const change of changes) {
    const mine = entriesOf(change);
    const joined = new Map(entries);
    for (const [item, keys] of mine) joined.set(item, new Set([...(joined.get(item) ?? []), ...keys]));
    const fits = part.length + 1 + itemsOf(joined, today) <= TRANSACTION_ITEMS && [...joined.values()].every((keys) => keys.size <= COUNTS_PER_UPDATE);
    if (part.length > 0 && !fits) {
      parts.push(part);
      [part, entries] = [[], mine];
    } else entries = joined;
    part.push(change);
  }
  if (part.length) parts.push(part);
  return parts;
}

export class MetricsRepository {
  private readonly entities;
  /** Day items (and the backlog item) known to exist: a counter is added to a map that is there. */
  private readonly made = new Set<string>();

  constructor(private readonly db: Db) {
    this.entities = metricsEntities(db);
  }

  /** The cursors of these records, in order (undefined where nothing was counted yet). */
  async cursors(owners: MetricsOwner[]): Promise<(MetricsCursor | undefined)[]> {
    const { metricsCursor } = this.entities;
    const found = (
      await Promise.all(chunks(owners, 100).map((part) => batchGet(this.db, part.map((o) => metricsCursor.build(BatchGetRequest).key({ owner: metricsOwnerOf(o.kind, o.id) })))))
    ).flat();
    return found.map((c) => c && { version: c.version, slasVersion: c.slasVersion, assigned: c.assigned, settled: c.settled, converted: c.converted });
  }

  /**
   * Writes what records' changes counted, a transaction per chunk of
   * records; returns the records of the chunks whose cursors changed since
   * they were read (none of their counts were written: count them again).
   */
  async count(changes: CountedChanges[]): Promise<MetricsOwner[]> {
    const refused: MetricsOwner[] = [];
    const today = todayOf(clock.now());
    for (const part of transactionChunks(changes, today)) {
      const { days, backlog } = tally(part.flatMap((c) => c.deltas));
      await this.make(days.map((d) => d.day), backlog.length > 0);
      const writes: Transaction[] = [
        ...part.map((c) => this.cursorWrite(c)),
        ...days.map((d) => this.dayWrite(d)),
        // A day that may be sealed is no longer as sealed: its week's seals go (the roll-up seals its days again). A delete makes no item where there was none.
        ...[...byWeek(days.map((d) => d.day).filter((day) => day < today), itself).keys()].map((week) => this.entities.metricsWeek.build(DeleteTransaction).key({ week })),
        ...(backlog.length ? [this.backlogWrite(backlog)] : []),
      ];
      if (await commitUnlessRefused(writes)) refused.push(...part.map((c) => c.owner));
    }
    return refused;
  }

  /**
   * The days' counters (those with any) and the backlog: the weeks of the
   * days that may be sealed, the day items of the others and of the days
   * found unsealed; each read of at most 100 items.
   */
  async counters(days: string[]): Promise<{ days: DayCounters[]; backlog: Backlog[] }> {
    const { metricsWeek, metricsBacklog } = this.entities;
    const before = sealedBefore(todayOf(clock.now()));
    const [old, recent] = [days.filter((day) => day < before), days.filter((day) => day >= before)];
    const weeks = [...byWeek(old, itself).keys()];
    const [weekItems, recentDays, [backlogItem]] = await Promise.all([
      this.readAll(weeks.map((week) => metricsWeek.build(BatchGetRequest).key({ week }))),
      this.dayItems(recent),
      batchGet(this.db, [metricsBacklog.build(BatchGetRequest).key({ scope: 'all' })]),
    ]);
    const found = new Map(weeks.map((week, i) => [week, weekItems[i]]));
    const sealed = old.map((day) => {
      const { week, slot } = slotOf(day);
      const packed = found.get(week)?.[slot];
      return packed && { day, cells: unpack(packed) };
    });
    const unsealed = await this.dayItems(old.filter((_, i) => !sealed[i]));
    return {
      days: [...sealed.flatMap((d) => d ?? []), ...recentDays, ...unsealed].filter((d) => d.cells.length > 0).sort((a, b) => a.day.localeCompare(b.day)),
      backlog: backlogOf(backlogItem?.counts ?? {}),
    };
  }

  /**
   * The roll-up: seals each day with counters from a year before `today` to
   * two days before it (over for a whole day) that has no seal, a
   * transaction per week; returns the days sealed. A week with a day written
   * meanwhile is left for the next roll-up.
   */
  async seal(today = todayOf(clock.now())): Promise<string[]> {
    const { metricsDay, metricsWeek } = this.entities;
    const range = daysBetween(daysBefore(today, 366), daysBefore(sealedBefore(today), 1));
    const weeks = [...byWeek(range, itself).keys()];
    const weekItems = new Map((await this.readAll(weeks.map((week) => metricsWeek.build(BatchGetRequest).key({ week })))).map((item, i) => [weeks[i], item]));
    const open = range.filter((day) => {
      const { week, slot } = slotOf(day);
      return !weekItems.get(week)?.[slot];
    });
    const found = (await this.readAll(open.map((day) => metricsDay.build(BatchGetRequest).key({ day })))).flatMap((item) => item ?? []);
    const sealedNow: string[] = [];
    await mapLimit([...byWeek(found, (d) => d.day)], 8, async ([week, items]) => {
      const refused = await commitUnlessRefused([
        ...items.map(({ day, rev }) =>
          metricsDay
            .build(ConditionCheck)
            .key({ day })
            .condition(rev === undefined ? { attr: 'rev', exists: false } : { attr: 'rev', eq: rev }),
        ),
        metricsWeek.build(UpdateTransaction).item({ week, ...Object.fromEntries(items.map(({ day, counts }) => [slotOf(day).slot, pack(cellsOf(counts))])) }),
      ]);
      if (!refused) sealedNow.push(...items.map((d) => d.day));
    });
    return sealedNow.sort();
  }

  /** The day items of these days (those there are), as counters. */
  private async dayItems(days: string[]): Promise<DayCounters[]> {
    const { metricsDay } = this.entities;
    const found = await this.readAll(days.map((day) => metricsDay.build(BatchGetRequest).key({ day })));
    return found.flatMap((item) => (item ? [{ day: item.day, cells: cellsOf(item.counts) }] : []));
  }

  /** Items of one entity by key, 100 a call, the calls at once. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async readAll<R extends BatchGetRequest<any>>(requests: R[]) {
    return (await Promise.all(chunks(requests, 100).map((part) => batchGet(this.db, part)))).flat();
  }

  /**
   * Replaces the counters whole (a rebuild): the days' items as given, the
   * backlog and the records' cursors; the item of any other day of `range`
   * is deleted. Nothing may count meanwhile (the metrics function paused).
   */
  async replace(state: { days: DayCounters[]; backlog: Backlog[]; cursors: { owner: MetricsOwner; cursor: MetricsCursor }[] }, range: string[]): Promise<void> {
    const { metricsDay, metricsBacklog, metricsCursor } = this.entities;
    const kept = new Set(state.days.map((d) => d.day));
    const existing = (await this.counters(range)).days.map((d) => d.day).filter((day) => !kept.has(day));
    const countsOf = (cells: DayCounters['cells']) =>
      Object.fromEntries(
        cells.flatMap(({ cell, counts }) => (Object.entries(counts) as [Counter, number][]).map(([counter, n]) => [cellKey(counter, cell.queue, cell.priority, cell.source), n] as const)),
      );
    // A new rev: a roll-up that read a day before cannot seal it after. Seals of the range go once the days are written.
    const rev = clock.now();
    await batchWrite(this.db, [
      ...state.days.map((d) => metricsDay.build(BatchPutRequest).item({ day: d.day, counts: countsOf(d.cells), rev })),
      ...existing.map((day) => metricsDay.build(BatchDeleteRequest).key({ day })),
      metricsBacklog.build(BatchPutRequest).item({ scope: 'all', counts: Object.fromEntries(state.backlog.map((b) => [bucketKey(b), b.count])) }),
      ...state.cursors.map(({ owner, cursor }) => metricsCursor.build(BatchPutRequest).item({ owner: metricsOwnerOf(owner.kind, owner.id), ...cursor })),
    ]);
    await batchWrite(this.db, [...byWeek(range, itself).keys()].map((week) => this.entities.metricsWeek.build(BatchDeleteRequest).key({ week })));
    for (const day of state.days) this.made.add(`day:${day.day}`);
    this.made.add('backlog');
  }

  /** Makes the day items (and the backlog item) a write adds to, unless known to be there. */
  private async make(days: string[], backlog: boolean) {
    const { metricsDay, metricsBacklog } = this.entities;
    const onlyNew = { condition: { attr: 'counts', exists: false } } as const;
    const puts = [
      ...days.map((day) => ({ id: `day:${day}`, send: async () => void (await metricsDay.build(PutItemCommand).item({ day, counts: {} }).options(onlyNew).send()) })),
      ...(backlog ? [{ id: 'backlog', send: async () => void (await metricsBacklog.build(PutItemCommand).item({ scope: 'all', counts: {} }).options(onlyNew).send()) }] : []),
    ].filter((p) => !this.made.has(p.id));
    // A few at once: a rebuild or a batch of old alerts may touch many days.
    await mapLimit(puts, 8, async (p) => {
      try {
        await guard(p.send);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      this.made.add(p.id);
    });
  }

  private cursorWrite({ owner, read, next, slasFrom }: CountedChanges): Transaction {
    if (slasFrom !== undefined)
      // A cursor made here has counted no change of the case itself (version 0), as when the SLA changes come first.
      return this.entities.metricsCursor
        .build(UpdateTransaction)
        .item({ owner: metricsOwnerOf(owner.kind, owner.id), slasVersion: next.slasVersion, version: $get('version', 0) })
        .options({ condition: { or: [{ attr: 'slasVersion', exists: false }, { attr: 'slasVersion', lt: slasFrom }] } });
    return this.entities.metricsCursor
      .build(PutTransaction)
      .item({ owner: metricsOwnerOf(owner.kind, owner.id), ...next })
      .options({
        condition: read
          ? { and: [{ attr: 'version', eq: read.version }, read.slasVersion === undefined ? { attr: 'slasVersion', exists: false } : { attr: 'slasVersion', eq: read.slasVersion }] }
          : { attr: 'version', exists: false },
      });
  }

  private dayWrite({ day, cells }: DayCounters): Transaction {
    const counts: Additions = {};
    for (const { cell, counts: byCounter } of cells) {
      for (const [counter, n] of Object.entries(byCounter) as [Counter, number][]) {
        const key = cellKey(counter, cell.queue, cell.priority, cell.source);
        counts[key] = addTo(key, n);
      }
    }
    return this.entities.metricsDay.build(UpdateTransaction).item({ day, counts, rev: $add(1) });
  }

  private backlogWrite(backlog: Backlog[]): Transaction {
    const counts: Additions = {};
    for (const b of backlog) counts[bucketKey(b)] = addTo(bucketKey(b), b.count);
    return this.entities.metricsBacklog.build(UpdateTransaction).item({ scope: 'all', counts });
  }
}

/** A day item's counts as cells. */
function cellsOf(counts: Record<string, number>): DayCounters['cells'] {
  const cells = new Map<string, DayCounters['cells'][number]>();
  for (const [key, n] of Object.entries(counts)) {
    const [counter, queue, priority, source] = key.split(SEPARATOR);
    if (!COUNTER_SET.has(counter) || source === undefined || n === 0) continue;
    const id = [queue, priority, source].join(SEPARATOR);
    const found = cells.get(id) ?? { cell: { queue, priority, source }, counts: {} };
    cells.set(id, found);
    found.counts[counter as Counter] = n;
  }
  return [...cells.values()];
}

/** The backlog item's counts as buckets (empty ones left out). */
function backlogOf(counts: Record<string, number>): Backlog[] {
  return Object.entries(counts).flatMap(([key, count]) => {
    const [queue, priority, stage] = key.split(SEPARATOR);
    return count !== 0 && stage !== undefined && STAGE_SET.has(stage) ? [{ queue, priority, stage: stage as Stage, count }] : [];
  });
}

/** A sealed day's cells: `[queue, priority, source, counts]` as JSON, deflated. */
function pack(cells: DayCounters['cells']): Uint8Array {
  return deflateRawSync(JSON.stringify(cells.map(({ cell, counts }) => [cell.queue, cell.priority, cell.source, counts])));
}

function unpack(packed: Uint8Array): DayCounters['cells'] {
  const rows = JSON.parse(inflateRawSync(packed).toString('utf8')) as [string, string, string, DayCounters['cells'][number]['counts']][];
  return rows.map(([queue, priority, source, counts]) => ({ cell: { queue, priority, source }, counts }));
}
