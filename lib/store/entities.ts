/**
 * Every item in the one table, as dynamodb-toolbox entities: each entity's
 * schema, its primary key (`computeKey`) and its index keys (linked
 * attributes, hidden from what a read returns) live here and nowhere else.
 * Repositories build commands from these entities and speak the domain to
 * their callers; nothing outside `lib/store` sees a key. Every query is one
 * of the named access patterns here (`ALERT_LISTS`, `CASE_LISTS`,
 * `ACCESS_PATTERNS`): repositories name the pattern, never an index or a key.
 * docs/access-patterns.md is generated from them (`npm run access-patterns`).
 */
import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity } from 'dynamodb-toolbox/entity';
import { $remove, isExtension } from 'dynamodb-toolbox/entity/actions/update/symbols';
import { any } from 'dynamodb-toolbox/schema/any';
import { boolean } from 'dynamodb-toolbox/schema/boolean';
import { item } from 'dynamodb-toolbox/schema/item';
import { list } from 'dynamodb-toolbox/schema/list';
import { map } from 'dynamodb-toolbox/schema/map';
import { number } from 'dynamodb-toolbox/schema/number';
import { record } from 'dynamodb-toolbox/schema/record';
import { set } from 'dynamodb-toolbox/schema/set';
import { string } from 'dynamodb-toolbox/schema/string';
import { Table } from 'dynamodb-toolbox/table';
import { ALERT_STATES, IDENTIFIER_PATTERN, type AttributeValue } from '../domain/alert.js';
import { CASE_ORIGINS, MAJOR_CASE_STATES } from '../domain/case.js';
import { CLOSED_REASONS } from '../domain/closed-reason.js';
import { ALERT_ID_PATTERN, CASE_ID_PATTERN } from '../domain/ids.js';
import type { ImpactedCi } from '../domain/impact.js';
import { INTEGRATION_KINDS, type Integration, type IntegrationMapping } from '../domain/integration.js';
import { ACCOUNT_TYPES } from '../domain/install-base.js';
import type { PlaybookAction, PlaybookConditions } from '../domain/playbooks.js';
import type { BreachWindow } from '../domain/sla.js';
import { PRIORITIES, SEVERITIES } from '../domain/priority.js';
import { CI_CLASSES, OPERATIONAL_STATUSES } from '../domain/service-map.js';
import { STAGES } from '../domain/stage-transitions.js';
import { ASSIGNMENT_MODES, PRESENCES, STRATEGIES } from '../domain/assignment.js';
import { ALERT_SHARDS, CASE_SHARDS, sharded, shardPartitions, TIMER_SHARDS, WORK_SHARDS } from './shards.js';
import { ENTITY_ATTRIBUTE, INDEX_NAMES, indexKeys, PARTITION_KEY, SORT_KEY, type IndexName } from './table.js';

/**
 * Entities defined apart from the table's others (so that only the functions
 * that use them bundle them), made once per table: `define` wrapped.
 */
export function perTable<T>(define: (table: Db['table']) => T): (db: Db) => T {
  const defined = new WeakMap<Db['table'], T>();
  return (db) => {
    let entities = defined.get(db.table);
    if (!entities) defined.set(db.table, (entities = define(db.table)));
    return entities;
  };
}

/** A list served by an index: which index, its partition key for a filter value, over how many write shards. */
export interface ListIndex {
  index: IndexName;
  partition: (value: string) => string;
  shards: number;
}

const listIndex = (index: IndexName, prefix: string, shards: number): ListIndex => ({
  index,
  partition: (value) => (value === '' ? prefix : `${prefix}#${value}`),
  shards,
});

/** The partitions of a list (one per write shard), for a filter value ('' for the whole list). */
export const partitionsOf = (list: ListIndex, value: string) =>
  list.shards > 1 ? shardPartitions(list.partition(value), list.shards) : [list.partition(value)];

/** The partition an item with this id writes to in a list. */
export const partitionFor = (list: ListIndex, value: string, id: string) =>
  list.shards > 1 ? sharded(list.partition(value), id, list.shards) : list.partition(value);

/** Alert lists, newest first: all, and by each filter, most selective first. */
export const ALERT_LISTS = {
  all: listIndex('gsi1', 'ALERT', ALERT_SHARDS),
  source: listIndex('gsi4', 'ALERT#SOURCE', ALERT_SHARDS),
  severity: listIndex('gsi3', 'ALERT#SEVERITY', ALERT_SHARDS),
  state: listIndex('gsi2', 'ALERT#STATE', ALERT_SHARDS),
} as const;

/** Case lists, newest first: all, and by each indexed filter, most selective first. */
export const CASE_LISTS = {
  all: listIndex('gsi1', 'CASE', CASE_SHARDS),
  parentCaseId: listIndex('gsi7', 'CASE#PARENT', 1),
  accountId: listIndex('gsi5', 'CASE#ACCOUNT', CASE_SHARDS),
  assignee: listIndex('gsi4', 'CASE#ASSIGNEE', CASE_SHARDS),
  queue: listIndex('gsi3', 'CASE#QUEUE', CASE_SHARDS),
  stage: listIndex('gsi2', 'CASE#STAGE', CASE_SHARDS),
} as const;

/** Index sort key of a listed item: newest first by creation, the id breaking ties. */
export const listSortKey = (createdAt: string, id: string) => `${createdAt}#${id}`;
/** The id in a list sort key, if it is one (a cursor names positions by sort key). */
export function idInListSortKey(sortKey: string, idPattern: RegExp): string | undefined {
  const m = /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z#(.+)$/.exec(sortKey);
  return m && idPattern.test(m[1]) ? m[1] : undefined;
}

/** A primary key. */
export type TableKey = { pk: string; sk: string };

/** Primary keys of the items lists point to. */
export const alertKey = (alertId: string): TableKey => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' });
export const caseKey = (caseId: string): TableKey => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
/** The record a history entry belongs to. */
const historyOwnerKey = (kind: string, id: string) => (kind === 'alert' ? alertKey(id) : caseKey(id));

const SOLD_PRODUCT = 'SOLDPRODUCT';
const INSTALL_BASE_ITEM = 'INSTALLBASEITEM';
const accountKey = (accountId: string): TableKey => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' });
const soldProductKey = (soldProductId: string): TableKey => ({ pk: `${SOLD_PRODUCT}#${soldProductId}`, sk: SOLD_PRODUCT });
const installBaseItemKey = (installBaseItemId: string): TableKey => ({ pk: `${INSTALL_BASE_ITEM}#${installBaseItemId}`, sk: INSTALL_BASE_ITEM });

/** Sort key prefixes of the items that share a partition with others (or may one day). */
const SK_PREFIX = { note: 'NOTE#', history: 'HISTORY#', impact: 'IMPACT#', queue: 'QUEUE#', playbook: 'PLAYBOOK#', integration: 'INTEGRATION#' } as const;
/** The partitions that hold a whole small collection (read in one query). */
const COLLECTION = { queues: 'QUEUES', playbooks: 'PLAYBOOKS', integrations: 'INTEGRATIONS' } as const;
/** An impacted CI's position in its generation, zero-padded so positions sort as numbers. */
const POSITION_DIGITS = 6;
const impactSortKey = (generation: string, position: number) => `${SK_PREFIX.impact}${generation}#${String(position).padStart(POSITION_DIGITS, '0')}`;

/**
 * A queue's open work items (queued, then offered), sharded by case so a storm
 * into one queue heats no key; within a shard, queued items sort by priority
 * (critical first), then by when they were queued.
 */
export const WORK_ITEM_LISTS = { open: /* @__PURE__ */ listIndex('gsi2', 'WORK', WORK_SHARDS) };
export const WORK_STATE_PREFIX = { queued: 'q#', offered: 'o#' } as const;
export const workItemSortKey = (state: keyof typeof WORK_STATE_PREFIX, rank: number, queuedAt: string, caseId: string) => `${WORK_STATE_PREFIX[state]}${rank}#${queuedAt}#${caseId}`;
/** Timers (offer expiries; SLA clocks next): by due time, over write shards, each swept up to now; the index holds the whole item. */
export const TIMER_LIST = /* @__PURE__ */ listIndex('gsi8', 'TIMER', TIMER_SHARDS);
/** What a timer times: an offer's work item, or a case's SLAs (the sort key names it, and the item it stands for). */
export type TimerKind = 'offer' | 'sla';
export const timerSortKey = (dueAt: string, kind: TimerKind, id: string) => `${dueAt}#${kind}#${id}`;

/** A case's alerts, in the order they joined it (at most MAX_CASE_ALERTS, so one partition). */
const caseAlertsPartition = (caseId: string) => `ALERT#CASE#${caseId}`;
/** The install base by account and by CI, and impacted CIs by CI: unsharded (written by imports and refreshes, not per alert). */
const accountPartition = (accountId: string) => `ACCOUNT#${accountId}`;
const ciInstallBasePartition = (ciId: string) => `INSTALLBASE#CI#${ciId}`;
/**
 * Accounts by name: a few write shards (an import writes thousands at once),
 * the name lower-cased so a prefix matches whatever its case, then the id
 * after a separator that sorts below every character a name has ("acme"
 * before "acme labs").
 */
const ACCOUNT_NAMES = 'ACCOUNT#NAME';
const ACCOUNT_NAME_SHARDS = 4;
const NAME_END = '\u0001';
const accountNameKey = (name: string, accountId: string) => `${name.toLowerCase()}${NAME_END}${accountId}`;
/** The account an accounts-by-name sort key stands for. */
export const accountOfNameKey = (sortKey: string) => (sortKey.includes(NAME_END) ? sortKey.slice(sortKey.lastIndexOf(NAME_END) + 1) : undefined);
const impactedPartition = (ciId: string) => `IMPACTED#${ciId}`;
/** The account index lists an account's sold products, then its install base items, each by its own partition key. */
const ACCOUNT_ENTRY = { soldproduct: soldProductKey(''), installbaseitem: installBaseItemKey('') } as const;
/** The sold product or install base item an account index sort key stands for. */
function accountEntryKey(sortKey: string): TableKey | undefined {
  for (const { pk: prefix, sk } of Object.values(ACCOUNT_ENTRY)) if (sortKey.length > prefix.length && sortKey.startsWith(prefix)) return { pk: sortKey, sk };
  return undefined;
}

/** The index keys that list an alert under the case it joins at `at` (set by the writes that attach and move it). */
export const caseAlertListKeys = (caseId: string, at: string, alertId: string) => ({ gsi5pk: caseAlertsPartition(caseId), gsi5sk: listSortKey(at, alertId) });
/** What takes an alert out of its case's list (the write that detaches it). */
export const caseAlertListRemoval = () => ({ gsi5pk: $remove(), gsi5sk: $remove() });

/**
 * What a named access pattern reads: an index (the table itself when
 * absent), its partitions (one, or a list's write shards), which of their
 * sort keys (those beginning with `prefix`, or `between` two, both
 * included), and the item at a sort key (undefined when none of the
 * pattern's items can be there: a cursor's positions are checked with it).
 */
export interface PatternQuery {
  index?: IndexName;
  partitions: string[];
  prefix?: string;
  between?: [string, string];
  tableKeyOf?(sortKey: string): TableKey | undefined;
}

/** A pattern that is paged through: the item at each of its sort keys is known. */
export interface ListPattern extends PatternQuery {
  tableKeyOf(sortKey: string): TableKey | undefined;
}

/** The alert a case-alert list sort key stands for. */
const listedAlert = (sortKey: string) => {
  const id = idInListSortKey(sortKey, ALERT_ID_PATTERN);
  return id === undefined ? undefined : alertKey(id);
};

/** The items of one partition of the table, sort keys beginning with `prefix`. */
const inPartition = (pk: string, prefix: string): ListPattern => ({ partitions: [pk], prefix, tableKeyOf: (sk) => ({ pk, sk }) });

/**
 * The queries other than the alert and case lists, each named for what it
 * reads. Their keys are built by the same functions as the entities' keys (a
 * change to one is a change to both); docs/access-patterns.md says what each
 * serves and which repository methods make it.
 */
/* Each access pattern is its own binding, so a function bundles only the patterns its repositories read. */
/** A case's alerts, in the order they joined it: an alert is listed under its case while it is attached. */
export const alertsOfCase = (caseId: string): ListPattern => ({ index: 'gsi5', partitions: [caseAlertsPartition(caseId)], tableKeyOf: listedAlert });
/** An account's sold products, then its install base items, in key order; or those of one kind. */
export const installBaseOfAccount = (accountId: string, kind?: keyof typeof ACCOUNT_ENTRY): ListPattern => ({
  index: 'gsi5',
  partitions: [accountPartition(accountId)],
  ...(kind ? { prefix: ACCOUNT_ENTRY[kind].pk } : {}),
  tableKeyOf: accountEntryKey,
});
/** Accounts by name, case-insensitively, those whose name begins with `prefix` (all when empty), A to Z. */
export const accountsByName = (prefix = ''): ListPattern => ({
  index: 'gsi6',
  partitions: shardPartitions(ACCOUNT_NAMES, ACCOUNT_NAME_SHARDS),
  ...(prefix ? { prefix: prefix.toLowerCase() } : {}),
  tableKeyOf: (sk) => {
    const id = accountOfNameKey(sk);
    return id !== undefined && IDENTIFIER_PATTERN.test(id) ? accountKey(id) : undefined;
  },
});
/** The install base items running on a CI. */
export const installBaseOnCi = (ciId: string): PatternQuery => ({ index: 'gsi6', partitions: [ciInstallBasePartition(ciId)] });
/** The impacted-CI items naming a CI: each an alert's impact generation that includes it. */
export const impactsOnCi = (ciId: string): PatternQuery => ({ index: 'gsi7', partitions: [impactedPartition(ciId)] });
/** A case's work notes, oldest first. */
export const workNotesOfCase = (caseId: string): ListPattern => inPartition(caseKey(caseId).pk, SK_PREFIX.note);
/** The history of an alert or a case, oldest first. */
export const historyOf = (owner: { kind: 'alert' | 'case'; id: string }): ListPattern => inPartition(historyOwnerKey(owner.kind, owner.id).pk, SK_PREFIX.history);
/** The history entries after one (its sort key without the prefix): what a look for news reads, nothing when there is none. */
export const historyAfter = (owner: { kind: 'alert' | 'case'; id: string }, after: string): PatternQuery => ({
  partitions: [historyOwnerKey(owner.kind, owner.id).pk],
  between: [`${SK_PREFIX.history}${after}\u0000`, `${SK_PREFIX.history}\uffff`],
});
/** The impacted CIs of one impact generation of an alert, in walk order. */
export const impactedCisOf = (alertId: string, generation: string): ListPattern => {
  const { pk } = alertKey(alertId);
  const prefix = `${SK_PREFIX.impact}${generation}#`;
  const position = new RegExp(`^\\d{${POSITION_DIGITS}}$`);
  return { partitions: [pk], prefix, tableKeyOf: (sk) => (sk.startsWith(prefix) && position.test(sk.slice(prefix.length)) ? { pk, sk } : undefined) };
};
/** The impacted CIs of an alert's generations started up to `generation` (generations sort by when they started). */
export const impactGenerationsUpTo = (alertId: string, generation: string): PatternQuery => ({
  partitions: [alertKey(alertId).pk],
  between: [SK_PREFIX.impact, `${SK_PREFIX.impact}${generation}`],
});
/** Every queue that has an item. */
export const allQueues = (): ListPattern => inPartition(COLLECTION.queues, SK_PREFIX.queue);
/** Every playbook. */
export const allPlaybooks = (): ListPattern => inPartition(COLLECTION.playbooks, SK_PREFIX.playbook);
/** Every integration. */
export const allIntegrations = (): ListPattern => inPartition(COLLECTION.integrations, SK_PREFIX.integration);

/** A case's work item: beside the case. */
export const workItemKey = (caseId: string): TableKey => ({ pk: caseKey(caseId).pk, sk: 'WORKITEM' });
/** The work item a queue or timer sort key ends with (`…#<caseId>`). */
const listedWorkItem = (sortKey: string) => {
  const caseId = sortKey.slice(sortKey.lastIndexOf('#') + 1);
  return CASE_ID_PATTERN.test(caseId) ? workItemKey(caseId) : undefined;
};
/** A queue's open work items in one state (every shard), best first: by priority, then oldest. */
export const workItemsOfQueue = (queueId: string, state: keyof typeof WORK_STATE_PREFIX): ListPattern => ({
  index: WORK_ITEM_LISTS.open.index,
  partitions: partitionsOf(WORK_ITEM_LISTS.open, queueId),
  prefix: WORK_STATE_PREFIX[state],
  tableKeyOf: listedWorkItem,
});
/** The item a timer sort key (`<due>#<kind>#<caseId>`) times: an offer's work item, or a case's SLAs. */
const TIMED: Record<TimerKind, (caseId: string) => TableKey> = { offer: (caseId) => workItemKey(caseId), sla: (caseId) => caseSlasKey(caseId) };
const timedItem = (sortKey: string): TableKey | undefined => {
  const [kind, caseId] = sortKey.split('#').slice(-2);
  return CASE_ID_PATTERN.test(caseId) && Object.hasOwn(TIMED, kind) ? TIMED[kind as TimerKind](caseId) : undefined;
};
/** Timers due up to a time (every shard), earliest first: offers waiting for an answer, cases' SLAs with a threshold ahead. */
export const timersDue = (until: string): ListPattern => ({ index: TIMER_LIST.index, partitions: partitionsOf(TIMER_LIST, ''), between: ['0', `${until}#~`], tableKeyOf: timedItem });

/** SLA definitions: one small collection (at most MAX_SLA_DEFINITIONS), read in one query. */
const SLA_COLLECTION = 'SLAS';
const SLA_PREFIX = 'SLA#';
export const slaDefinitionKey = (slaId: string): TableKey => ({ pk: SLA_COLLECTION, sk: `${SLA_PREFIX}${slaId}` });
/** Every SLA definition. */
export const allSlaDefinitions = (): ListPattern => inPartition(SLA_COLLECTION, SLA_PREFIX);
/** A case's task SLAs: one item beside the case, timed (on the timer index) while a threshold of one is ahead. */
export const caseSlasKey = (caseId: string): TableKey => ({ pk: caseKey(caseId).pk, sk: 'SLAS' });
/**
 * Cases by the breach they are listed by (`listedBreach`), earliest first,
 * over the case lists' write shards: sparse, only cases with an SLA on the
 * clock. The index entry is the case's SLA item, which carries the case's
 * list filter fields so that filters run in the index.
 */
export const CASE_SLA_LIST = /* @__PURE__ */ listIndex('gsi2', 'SLA#BREACH', CASE_SHARDS);
/** The sort key of a case on the SLA list: its listed breach, then the case. */
export const breachSortKey = (breachAt: string, caseId: string) => listSortKey(breachAt, caseId);
/** The item an SLA list sort key stands for: the case's SLAs. */
const listedSlas = (sortKey: string) => {
  const caseId = idInListSortKey(sortKey, CASE_ID_PATTERN);
  return caseId === undefined ? undefined : caseSlasKey(caseId);
};
/**
 * Cases whose listed breach falls in a window, earliest first (every shard).
 * A sort key is `<breachAt>#<caseId>`, so `<t>#~` is past every case at `t`
 * and `<t>` before them all. A window no time fits reads `between` a
 * lower bound above the upper (`isEmptyRange`): nothing to query.
 */
export const casesBySlaBreach = (window: BreachWindow): ListPattern => {
  const upper = [window.through !== undefined ? `${window.through}#~` : '~', window.before ?? '~'].sort()[0];
  return { index: CASE_SLA_LIST.index, partitions: partitionsOf(CASE_SLA_LIST, ''), between: [window.after !== undefined ? `${window.after}#~` : '0', upper], tableKeyOf: listedSlas };
};
/** Whether a pattern's range holds no sort key at all (a query of it would be refused). */
export const isEmptyRange = (pattern: PatternQuery) => pattern.between !== undefined && pattern.between[0] > pattern.between[1];

/** Team metrics: a day's counters (and the days of a week sealed once over), the backlog, and what was counted of a case or an alert (beside it). */
export const metricsDayKey = (day: string): TableKey => ({ pk: `METRICS#${day}`, sk: 'DAY' });
export const metricsWeekKey = (week: string): TableKey => ({ pk: `METRICS#WEEK#${week}`, sk: 'SEALED' });
export const metricsBacklogKey = (): TableKey => ({ pk: 'METRICS#BACKLOG', sk: 'BACKLOG' });
export const metricsCursorKey = (owner: string): TableKey => ({ pk: owner, sk: 'METRICS' });
/** The record a metrics cursor is beside: a case's or an alert's partition. */
export const metricsOwnerOf = (kind: 'case' | 'alert', id: string) => (kind === 'case' ? caseKey(id) : alertKey(id)).pk;

/** Every named access pattern, by name (docs/access-patterns.md is made from these). */
export const ACCESS_PATTERNS = {
  alertsOfCase,
  installBaseOfAccount,
  accountsByName,
  installBaseOnCi,
  impactsOnCi,
  workNotes: workNotesOfCase,
  history: historyOf,
  historyAfter,
  impactedCis: impactedCisOf,
  impactGenerationsUpTo,
  queues: allQueues,
  workItemsOfQueue,
  timersDue,
  playbooks: allPlaybooks,
  integrations: allIntegrations,
  slaDefinitions: allSlaDefinitions,
  casesBySlaBreach,
};

/** How a CI came to be impacted (ImpactedCi['kind']): the alert's own CI, or a service depending on it. */
const IMPACTED_CI_KINDS = ['alert_ci', 'service'] as const satisfies readonly ImpactedCi['kind'][];

const hashed = (text: string) => createHash('sha256').update(text).digest('hex');

/** The value an update sets, unless it is an extension ($add, $remove...) or absent. */
const plain = <T>(value: T | unknown): T | undefined => (value === undefined || isExtension(value) ? undefined : (value as T));

const detection = map({
  id: string(),
  name: string(),
  tactic: string().optional(),
  technique: string().optional(),
  description: string().optional(),
});
// `castAs` types what a schema `any` holds (validated on the way in), so reads come back typed; not on attributes
// replaced with `$set` (the alert's impact), whose update types would then take no `$set`.
const attributeValues = record(string(), any().castAs<AttributeValue>());
const affectedItem = map({
  installBaseItemId: string(),
  accountId: string(),
  soldProductId: string(),
  ciId: string(),
  name: string(),
  accountName: string(),
  accountType: string().enum(...ACCOUNT_TYPES),
});
/** An alert's impact as last calculated (ImpactSummary in impact.ts). */
const impactSummary = map({
  generation: string(),
  refreshedAt: string(),
  truncated: boolean(),
  digest: string(),
  impactedCis: number(),
  affectedAccounts: number(),
  affectedItems: number(),
  affectedItemsTruncated: boolean(),
});
/** Who changed a record last and how: the history handler's `actor` and `action` (never returned by a read). */
const lastAction = string().hidden().optional();

export function defineTable(documentClient: DynamoDBDocumentClient, name: string) {
  const indexes = Object.fromEntries(
    INDEX_NAMES.map((name) => [
      name,
      { type: 'global' as const, partitionKey: { name: indexKeys(name).pk, type: 'string' as const }, sortKey: { name: indexKeys(name).sk, type: 'string' as const } },
    ]),
  ) as Record<IndexName, { type: 'global'; partitionKey: { name: string; type: 'string' }; sortKey: { name: string; type: 'string' } }>;
  const table = new Table({
    name,
    documentClient,
    partitionKey: { name: PARTITION_KEY, type: 'string' },
    sortKey: { name: SORT_KEY, type: 'string' },
    indexes,
    entityAttributeSavedAs: ENTITY_ATTRIBUTE,
  });
  const common = { table, timestamps: false } as const;

  const alertSchema = item({
    alertId: string().key(),
    source: string(),
    sourceAlertId: string().optional(),
    severity: string().enum(...SEVERITIES),
    state: string().enum(...ALERT_STATES),
    ciId: string().optional(),
    description: string(),
    type: string().optional(),
    attributes: attributeValues,
    detections: list(detection),
    occurrences: number(),
    /** The sender's name for the current occurrence (Alertmanager's `startsAt`): the same again is a re-sent notification. */
    occurrence: string().optional(),
    firstOccurredAt: string(),
    lastOccurredAt: string(),
    incidentId: string().optional(),
    caseId: string().optional(),
    caseNumber: string().optional(),
    createdAt: string(),
    updatedAt: string(),
    createdBy: string(),
    updatedBy: string(),
    version: number(),
    /** The summary of the current impact generation. */
    impact: impactSummary.optional(),
    /** The affected install base of the current impact, at most MAX_AFFECTED_ITEMS. */
    impactAffected: list(affectedItem).optional(),
    /** A generation being written, not yet switched to (impact.ts). */
    impactPending: string().optional(),
    /** The request that wrote it last: an SDK retry of a write that did land is known as ours, not taken for another's. */
    writeToken: string().optional().hidden(),
    lastAction,
  });
  const alert = new Entity({
    ...common,
    name: 'alert',
    schema: alertSchema.and((prev) => ({
      gsi1pk: string().hidden().putLink<typeof prev>(({ alertId }) => partitionFor(ALERT_LISTS.all, '', alertId)),
      gsi1sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      gsi2pk: string()
        .hidden()
        .putLink<typeof prev>(({ state, alertId }) => partitionFor(ALERT_LISTS.state, state, alertId))
        .updateLink<typeof prev>(({ state, alertId }) => {
          const to = plain<string>(state);
          const id = plain<string>(alertId);
          return to === undefined || id === undefined ? undefined : partitionFor(ALERT_LISTS.state, to, id);
        }),
      gsi2sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      gsi3pk: string()
        .hidden()
        .putLink<typeof prev>(({ severity, alertId }) => partitionFor(ALERT_LISTS.severity, severity, alertId))
        .updateLink<typeof prev>(({ severity, alertId }) => {
          const to = plain<string>(severity);
          const id = plain<string>(alertId);
          return to === undefined || id === undefined ? undefined : partitionFor(ALERT_LISTS.severity, to, id);
        }),
      gsi3sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      gsi4pk: string().hidden().putLink<typeof prev>(({ source, alertId }) => partitionFor(ALERT_LISTS.source, source, alertId)),
      gsi4sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      /** The case's alerts, in the order they joined it: set by the writes that attach, move and detach (caseAlertListKeys). */
      gsi5pk: string().optional().hidden(),
      gsi5sk: string().optional().hidden(),
    })),
    computeKey: ({ alertId }: { alertId: string }) => alertKey(alertId),
  });

  const caseSchema = item({
    caseId: string().key(),
    number: string(),
    origin: string().enum(...CASE_ORIGINS),
    proactive: boolean(),
    shortDescription: string(),
    description: string().optional(),
    priority: string().enum(...PRIORITIES),
    stage: string().enum(...STAGES),
    closedReason: string().enum(...CLOSED_REASONS).optional(),
    closedReasonText: string().optional(),
    queue: string().optional(),
    assignee: string().optional(),
    accountId: string().optional(),
    alertId: string().optional(),
    /** The source of the alert it was made from (team metrics count cases by it). */
    source: string().optional(),
    /** Alerts attached now (at most MAX_CASE_ALERTS). */
    alertCount: number(),
    alertAttributes: attributeValues.optional(),
    detections: list(detection).optional(),
    /** The ids of `detections`, for the conditions that keep them unique when alerts join at once (written with them, never shown). */
    detectionIds: set(string()).optional().hidden(),
    /** The alerts the write that made this version attached or detached (history names them). */
    changedAlerts: list(string()).optional().hidden(),
    majorCase: string().enum(...MAJOR_CASE_STATES),
    parentCaseId: string().optional(),
    affectedInstallBase: record(string(), affectedItem).optional(),
    createdAt: string(),
    updatedAt: string(),
    createdBy: string(),
    updatedBy: string(),
    version: number(),
    lastAction,
  });
  /** A case's entry in a list when `value` (its filter field) is set; sparse otherwise. */
  const caseListKeys = (list: ListIndex, value: string | undefined, caseId: string) => (value ? partitionFor(list, value, caseId) : undefined);
  const kase = new Entity({
    ...common,
    name: 'case',
    schema: caseSchema.and((prev) => ({
      gsi1pk: string().hidden().putLink<typeof prev>(({ caseId }) => partitionFor(CASE_LISTS.all, '', caseId)),
      gsi1sk: string().hidden().putLink<typeof prev>(({ createdAt, caseId }) => listSortKey(createdAt, caseId)),
      gsi2pk: string().hidden().putLink<typeof prev>(({ stage, caseId }) => partitionFor(CASE_LISTS.stage, stage, caseId)),
      gsi2sk: string().hidden().putLink<typeof prev>(({ createdAt, caseId }) => listSortKey(createdAt, caseId)),
      gsi3pk: string().optional().hidden().putLink<typeof prev>(({ queue, caseId }) => caseListKeys(CASE_LISTS.queue, queue, caseId)),
      gsi3sk: string().optional().hidden().putLink<typeof prev>(({ queue, createdAt, caseId }) => (queue ? listSortKey(createdAt, caseId) : undefined)),
      gsi4pk: string().optional().hidden().putLink<typeof prev>(({ assignee, caseId }) => caseListKeys(CASE_LISTS.assignee, assignee, caseId)),
      gsi4sk: string().optional().hidden().putLink<typeof prev>(({ assignee, createdAt, caseId }) => (assignee ? listSortKey(createdAt, caseId) : undefined)),
      gsi5pk: string().optional().hidden().putLink<typeof prev>(({ accountId, caseId }) => caseListKeys(CASE_LISTS.accountId, accountId, caseId)),
      gsi5sk: string().optional().hidden().putLink<typeof prev>(({ accountId, createdAt, caseId }) => (accountId ? listSortKey(createdAt, caseId) : undefined)),
      gsi7pk: string().optional().hidden().putLink<typeof prev>(({ parentCaseId, caseId }) => caseListKeys(CASE_LISTS.parentCaseId, parentCaseId, caseId)),
      gsi7sk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ parentCaseId, createdAt, caseId }) => (parentCaseId ? listSortKey(createdAt, caseId) : undefined)),
    })),
    computeKey: ({ caseId }: { caseId: string }) => caseKey(caseId),
  });

  /** A case number taken: written with its case, so no number is ever used twice; read by `GET /cases/CS…`. */
  const caseNumber = new Entity({
    ...common,
    name: 'casenumber',
    schema: item({ number: string().key(), caseId: string() }),
    computeKey: ({ number }: { number: string }) => ({ pk: `CASENUMBER#${number}`, sk: 'CASENUMBER' }),
  });

  /**
   * Counters, each changed only by atomic `ADD`: `case` = case numbers reserved
   * in blocks (the case-number reservation, case-numbers.ts); `playbooks` =
   * playbooks stored (at most MAX_PLAYBOOKS).
   */
  const counter = new Entity({
    ...common,
    name: 'counter',
    schema: item({ counter: string().key(), value: number() }),
    computeKey: ({ counter }: { counter: string }) => ({ pk: `COUNTER#${counter}`, sk: 'COUNTER' }),
  });

  const workNote = new Entity({
    ...common,
    name: 'note',
    schema: item({ caseId: string().key(), createdAt: string().key(), noteId: string().key(), text: string(), author: string() }),
    computeKey: ({ caseId, createdAt, noteId }: { caseId: string; createdAt: string; noteId: string }) => ({
      pk: caseKey(caseId).pk,
      sk: `${SK_PREFIX.note}${createdAt}#${noteId}`,
    }),
  });

  /** Queues are few and read whole: one partition. */
  const queue = new Entity({
    ...common,
    name: 'queue',
    schema: item({
      queueId: string().key(),
      members: list(string()),
      assignment: string().enum(...ASSIGNMENT_MODES).optional(),
      strategy: string().enum(...STRATEGIES).optional(),
      offerTimeoutSeconds: number().optional(),
      targetWaitSeconds: number().optional(),
      rejectReasons: list(map({ code: string(), label: string(), reassignable: boolean() })).optional(),
      onTimeout: string().enum(...PRESENCES).optional(),
      updatedAt: string(),
      updatedBy: string(),
    }),
    computeKey: ({ queueId }: { queueId: string }) => ({ pk: COLLECTION.queues, sk: `${SK_PREFIX.queue}${queueId}` }),
  });

  /** A history entry lives under its alert or case, in order of time. */
  const history = new Entity({
    ...common,
    name: 'history',
    schema: item({
      ownerKind: string().key(),
      ownerId: string().key(),
      at: string().key(),
      changeId: string().key(),
      actor: string(),
      action: string(),
      alertId: string().optional(),
      changes: any(),
    }),
    computeKey: ({ ownerKind, ownerId, at, changeId }: { ownerKind: string; ownerId: string; at: string; changeId: string }) => ({
      pk: historyOwnerKey(ownerKind, ownerId).pk,
      sk: `${SK_PREFIX.history}${at}#${changeId}`,
    }),
  });

  /** The first result of a POST with Idempotency-Key, keyed by a hash of its scope and key. */
  const idempotency = new Entity({
    ...common,
    name: 'idempotency',
    schema: item({
      requestId: string().key(),
      status: string(),
      fingerprint: string(),
      response: any().optional(),
      /** A large response, gzipped JSON in base64 (so a first result that must be kept fits an item). */
      responseGzip: string().optional(),
      /** The first result of a use case that keeps its own record (a creation: the case); gzipped JSON in base64 when large. */
      result: any().optional(),
      resultGzip: string().optional(),
      expiresAt: number(),
    }),
    computeKey: ({ requestId }: { requestId: string }) => ({ pk: `IDEMPOTENCY#${requestId}`, sk: 'IDEMPOTENCY' }),
  });

  /** An event delivery already applied (EventBridge delivers at least once). */
  const delivery = new Entity({
    ...common,
    name: 'delivery',
    schema: item({ deliveryId: string().key(), expiresAt: number() }),
    computeKey: ({ deliveryId }: { deliveryId: string }) => ({ pk: `DELIVERY#${hashed(deliveryId)}`, sk: 'DELIVERY' }),
  });

  const ci = new Entity({
    ...common,
    name: 'ci',
    schema: item({
      ciId: string().key(),
      name: string().optional(),
      class: string().enum(...CI_CLASSES).optional(),
      operationalStatus: string().enum(...OPERATIONAL_STATUSES).optional(),
      /** The CIs that depend on this one, and that it depends on. */
      parents: set(string()).optional(),
      children: set(string()).optional(),
      updatedAt: string().optional(),
    }),
    computeKey: ({ ciId }: { ciId: string }) => ({ pk: `CI#${ciId}`, sk: 'CI' }),
  });

  const account = new Entity({
    ...common,
    name: 'account',
    schema: item({ accountId: string().key(), name: string(), type: string().enum(...ACCOUNT_TYPES), updatedAt: string() }).and((prev) => ({
      gsi6pk: string().hidden().putLink<typeof prev>(({ accountId }) => sharded(ACCOUNT_NAMES, accountId, ACCOUNT_NAME_SHARDS)),
      gsi6sk: string().hidden().putLink<typeof prev>(({ name, accountId }) => accountNameKey(name, accountId)),
    })),
    computeKey: ({ accountId }: { accountId: string }) => accountKey(accountId),
  });

  const soldProduct = new Entity({
    ...common,
    name: 'soldproduct',
    schema: item({ soldProductId: string().key(), accountId: string(), name: string(), updatedAt: string() }).and((prev) => ({
      gsi5pk: string().hidden().putLink<typeof prev>(({ accountId }) => accountPartition(accountId)),
      gsi5sk: string().hidden().putLink<typeof prev>(({ soldProductId }) => soldProductKey(soldProductId).pk),
    })),
    computeKey: ({ soldProductId }: { soldProductId: string }) => soldProductKey(soldProductId),
  });

  const installBaseItem = new Entity({
    ...common,
    name: 'installbaseitem',
    schema: item({
      installBaseItemId: string().key(),
      accountId: string(),
      soldProductId: string(),
      ciId: string(),
      name: string(),
      updatedAt: string(),
    }).and((prev) => ({
      gsi5pk: string().hidden().putLink<typeof prev>(({ accountId }) => accountPartition(accountId)),
      gsi5sk: string().hidden().putLink<typeof prev>(({ installBaseItemId }) => installBaseItemKey(installBaseItemId).pk),
      gsi6pk: string().hidden().putLink<typeof prev>(({ ciId }) => ciInstallBasePartition(ciId)),
      gsi6sk: string().hidden().putLink<typeof prev>(({ accountId, installBaseItemId }) => `${accountId}#${installBaseItemId}`),
    })),
    computeKey: ({ installBaseItemId }: { installBaseItemId: string }) => installBaseItemKey(installBaseItemId),
  });

  /** One impacted CI of an alert's impact generation, in walk order. */
  const impactedCi = new Entity({
    ...common,
    name: 'impactedci',
    schema: item({
      alertId: string().key(),
      generation: string().key(),
      position: number().key(),
      ciId: string(),
      name: string(),
      class: string().enum(...CI_CLASSES),
      kind: string().enum(...IMPACTED_CI_KINDS),
      path: list(string()),
    }).and((prev) => ({
      gsi7pk: string().hidden().putLink<typeof prev>(({ ciId }) => impactedPartition(ciId)),
      gsi7sk: string().hidden().putLink<typeof prev>(({ alertId }) => alertId),
    })),
    computeKey: ({ alertId, generation, position }: { alertId: string; generation: string; position: number }) => ({
      pk: alertKey(alertId).pk,
      sk: impactSortKey(generation, position),
    }),
  });

  const lock = new Entity({
    ...common,
    name: 'lock',
    schema: item({ lockId: string().key(), since: string(), expiresAt: number(), /** What holds it: the same work sent again may take it over. */ holder: string().optional() }),
    computeKey: ({ lockId }: { lockId: string }) => ({ pk: `LOCK#${lockId}`, sk: 'LOCK' }),
  });

  /** A rule's settings (the proactive case rule: `enabled`; the case-sync rule: its two switches): absent means the defaults. */
  const config = new Entity({
    ...common,
    name: 'config',
    schema: item({
      configId: string().key(),
      enabled: boolean().optional(),
      raisePriorityOnEscalation: boolean().optional(),
      closeAlertsWithCase: boolean().optional(),
      updatedAt: string(),
      updatedBy: string(),
    }),
    computeKey: ({ configId }: { configId: string }) => ({ pk: `CONFIG#${configId}`, sk: 'CONFIG' }),
  });

  /** Playbooks are few (at most 200) and read whole: one partition. */
  const playbook = new Entity({
    ...common,
    name: 'playbook',
    schema: item({
      playbookId: string().key(),
      name: string(),
      enabled: boolean(),
      order: number(),
      conditions: any().castAs<PlaybookConditions>(),
      action: any().castAs<PlaybookAction>(),
      createdAt: string(),
      updatedAt: string(),
      updatedBy: string(),
    }),
    computeKey: ({ playbookId }: { playbookId: string }) => ({ pk: COLLECTION.playbooks, sk: `${SK_PREFIX.playbook}${playbookId}` }),
  });

  /** Integrations are few (at most MAX_INTEGRATIONS) and listed whole: one partition. Never holds the key. */
  const integration = new Entity({
    ...common,
    name: 'integration',
    schema: item({
      integrationId: string().key(),
      name: string(),
      kind: string().enum(...INTEGRATION_KINDS),
      mapping: any().castAs<IntegrationMapping>(),
      source: string(),
      createdAt: string(),
      createdBy: string(),
      /** Names the key's credential item (the first characters of the key, not a secret on their own; never shown). */
      keyId: string(),
    }),
    computeKey: ({ integrationId }: { integrationId: string }) => ({ pk: COLLECTION.integrations, sk: `${SK_PREFIX.integration}${integrationId}` }),
  });

  /** What an ingest request reads, by the key's name: the key's hash and a copy of its integration (one GetItem). */
  const integrationKey = new Entity({
    ...common,
    name: 'integrationkey',
    schema: item({ keyId: string().key(), keyHash: string(), integration: any().castAs<Integration>() }),
    computeKey: ({ keyId }: { keyId: string }) => ({ pk: `INTEGRATIONKEY#${keyId}`, sk: 'INTEGRATIONKEY' }),
  });

  /**
   * Who a `source` belongs to (SPEC §2 Alert sources): `integration` (a live
   * one, `integrationId`; deleted when it is revoked) or `alerts` (raised
   * through POST /alerts or `Alert Raised`; for good).
   */
  const sourceOwner = new Entity({
    ...common,
    name: 'sourceowner',
    schema: item({ source: string().key(), owner: string().enum('integration', 'alerts'), integrationId: string().optional() }),
    computeKey: ({ source }: { source: string }) => ({ pk: `SOURCE#${source}`, sk: 'SOURCE' }),
  });

  /**
   * The case a grouping playbook opened for one group (SPEC §2 Grouping),
   * written with that case: alerts of the group join it while it gathers; a
   * new case for the group replaces it only if it still names the old one.
   */
  const caseGroup = new Entity({
    ...common,
    name: 'casegroup',
    schema: item({
      playbookId: string().key(),
      groupKey: string().key(),
      caseId: string(),
      caseNumber: string(),
      openedAt: string(),
      /** Removed by TTL a day after its window: by then no alert can join its case. */
      expiresAt: number(),
    }),
    computeKey: ({ playbookId, groupKey }: { playbookId: string; groupKey: string }) => ({ pk: `CASEGROUP#${playbookId}#${hashed(groupKey)}`, sk: 'CASEGROUP' }),
  });

  /** Written with a major case's child for one account: one child per account, however often accept runs. */
  const majorCaseChild = new Entity({
    ...common,
    name: 'majorchild',
    schema: item({ majorCaseId: string().key(), accountId: string().key(), caseId: string() }),
    computeKey: ({ majorCaseId, accountId }: { majorCaseId: string; accountId: string }) => ({
      pk: `MAJORCHILD#${majorCaseId}`,
      sk: `ACCOUNT#${accountId}`,
    }),
  });

  /** Which layout wrote the table (LAYOUT_VERSION). */
  const layout = new Entity({
    ...common,
    name: 'layout',
    schema: item({ layoutId: string().key(), version: number() }),
    computeKey: ({ layoutId }: { layoutId: string }) => ({ pk: `META#${layoutId}`, sk: 'META' }),
  });

  return {
    table,
    alert,
    case: kase,
    caseNumber,
    counter,
    workNote,
    queue,
    history,
    idempotency,
    delivery,
    ci,
    account,
    soldProduct,
    installBaseItem,
    impactedCi,
    lock,
    config,
    playbook,
    integration,
    integrationKey,
    sourceOwner,
    majorCaseChild,
    caseGroup,
    layout,
  };
}

export type Db = ReturnType<typeof defineTable>;
