/**
 * The entities of team metrics (a day's counters, the backlog, a record's
 * metrics cursor), defined apart from the table's others so that only the
 * functions that keep or read metrics bundle them.
 */
import { Entity } from 'dynamodb-toolbox/entity';
import { binary } from 'dynamodb-toolbox/schema/binary';
import { boolean } from 'dynamodb-toolbox/schema/boolean';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { record } from 'dynamodb-toolbox/schema/record';
import { string } from 'dynamodb-toolbox/schema/string';
import { metricsBacklogKey, metricsCursorKey, metricsDayKey, metricsWeekKey, perTable, type Db } from './entities.js';

function define(table: Db['table']) {
  const common = { table, timestamps: false } as const;
  /** A UTC day's counters: `<counter>|<queue>|<priority>|<source>` → the number so far; `rev` moves with every write. */
  const metricsDay = new Entity({
    ...common,
    name: 'metricsday',
    schema: item({ day: string().key(), counts: record(string(), number()), rev: number().optional() }),
    computeKey: ({ day }: { day: string }) => metricsDayKey(day),
  });
  /**
   * A week's days that are over, sealed: each day's counters at the time as
   * one compressed value in the slot of its weekday (`d0`..`d6`, weeks of 7
   * days from the epoch), a tenth of the map's size and read without
   * formatting a map. Any later write to one of its days deletes the week,
   * and the roll-up seals its days again.
   */
  const metricsWeek = new Entity({
    ...common,
    name: 'metricsweek',
    schema: item({
      week: string().key(),
      d0: binary().optional(),
      d1: binary().optional(),
      d2: binary().optional(),
      d3: binary().optional(),
      d4: binary().optional(),
      d5: binary().optional(),
      d6: binary().optional(),
    }),
    computeKey: ({ week }: { week: string }) => metricsWeekKey(week),
  });
  /** Open cases now: `<queue>|<priority>|<stage>` → how many. */
  const metricsBacklog = new Entity({
    ...common,
    name: 'metricsbacklog',
    schema: item({ scope: string().key(), counts: record(string(), number()) }),
    computeKey: () => metricsBacklogKey(),
  });
  /** What was counted of a case or an alert: the versions counted, and the firsts (assignment, settling, conversion). */
  const metricsCursor = new Entity({
    ...common,
    name: 'metricscursor',
    schema: item({
      owner: string().key(),
      version: number(),
      slasVersion: number().optional(),
      assigned: boolean().optional(),
      settled: boolean().optional(),
      converted: boolean().optional(),
    }),
    computeKey: ({ owner }: { owner: string }) => metricsCursorKey(owner),
  });
  return { metricsDay, metricsWeek, metricsBacklog, metricsCursor };
}

/** The metrics entities on a table (defined once per table). */
export const metricsEntities = /* @__PURE__ */ perTable(define);
