/**
 * The one table as DynamoDB sees it: keys, indexes and what each projects,
 * stream, TTL. Both the CDK stack and the local runtime build the table from
 * this definition, so they cannot drift apart. What lives in it (items, key
 * shapes, index keys, the named access patterns) is defined by the toolbox
 * entities in `entities.ts`; docs/access-patterns.md is generated from both.
 */
export const TABLE_NAME_ENV = 'TABLE_NAME';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Items carry `expiresAt` (epoch seconds) when they should expire: idempotency records, delivery markers, locks. */
export const TTL_ATTRIBUTE = 'expiresAt';
/** Every item names its entity here (the toolbox's entity attribute): stream filters and history read it. */
export const ENTITY_ATTRIBUTE = 'entity';

/**
 * The table layout these entities write. `npm start` refuses a `.data/` table
 * written by another layout rather than run half-migrated (local/dynamodb.ts).
 * 1: the first layout (every index projecting ALL, one partition per list);
 * 2: sharded list indexes with narrow projections, case numbers in blocks;
 * 3: cases count their alerts, alerts are listed under their case (gsi5);
 *    the list of cases by origin alert (gsi6 `CASE#ALERT#…`) went, so gsi6
 *    holds only install base items by CI;
 * 4: each source has an owner (an integration, or alerts raised by API);
 * 5: accounts are listed by name on gsi6 (`ACCOUNT#NAME#<shard>`), for pickers;
 * 6: work items beside their case, listed in their queue while open (gsi2
 *    `WORK#<queueId>#<shard>`) and timed while offered (gsi3 `TIMER#<shard>`);
 *    agents (`USER#<sub>`); queues carry their assignment settings;
 * 7: timers on an index of their own (gsi8 `TIMER#<shard>`) that projects
 *    the whole timed item, so a sweep reads what it fires from the index.
 */
export const LAYOUT_VERSION = 7;

/** What a case or alert list filters on: projected into every index that serves a list, so filters run in the index. */
const LIST_FILTER_ATTRIBUTES = [
  ENTITY_ATTRIBUTE,
  'state',
  'severity',
  'source',
  'stage',
  'queue',
  'assignee',
  'accountId',
  'proactive',
  'alertId',
  'parentCaseId',
] as const;
/** What the install base reads by account and by CI need: the whole (small) install base item and sold product. */
const INSTALL_BASE_ATTRIBUTES = ['installBaseItemId', 'soldProductId', 'ciId', 'name'] as const;
/** What the health check reads of an impacted CI: which alert and which of its impact generations. */
const IMPACT_ATTRIBUTES = ['generation', 'ciId'] as const;

/**
 * Global secondary indexes. Each is overloaded (its key means something per
 * entity, see docs/access-patterns.md) and projects keys plus only what its
 * reads need: a list reads the page's keys from the index and the items
 * themselves with one BatchGetItem, so an alert's repeat, which changes
 * nothing a list filters on, writes no index at all. Lists shared by every
 * alert or case are spread over write shards (`shards.ts`). The timer index
 * alone projects ALL (see gsi8). Made by a pure call so that function
 * bundles, which need only INDEX_NAMES, leave it out.
 */
export const INDEXES = /* @__PURE__ */ (() =>
  [
    { name: 'gsi1', purpose: 'every alert / case, newest first (sharded)', project: [...LIST_FILTER_ATTRIBUTES] },
    { name: 'gsi2', purpose: 'alerts by state, cases by stage, queues\' open work items, cases by SLA breach (sharded)', project: [...LIST_FILTER_ATTRIBUTES] },
    { name: 'gsi3', purpose: 'alerts by severity, cases by queue (sharded)', project: [...LIST_FILTER_ATTRIBUTES] },
    { name: 'gsi4', purpose: 'alerts by source, cases by assignee (sharded)', project: [...LIST_FILTER_ATTRIBUTES] },
    {
      name: 'gsi5',
      purpose: 'cases by account (sharded); sold products and install base items by account; a case\'s alerts',
      project: [...LIST_FILTER_ATTRIBUTES, ...INSTALL_BASE_ATTRIBUTES],
    },
    { name: 'gsi6', purpose: 'install base items by CI; accounts by name (sharded)', project: [...LIST_FILTER_ATTRIBUTES, ...INSTALL_BASE_ATTRIBUTES] },
    { name: 'gsi7', purpose: 'cases by parent (major) case; impacted CIs by CI', project: [...LIST_FILTER_ATTRIBUTES, ...IMPACT_ATTRIBUTES] },
    // Sparse: only an item while a timer of it runs (an offered work item) is on it, whole, so a sweep needs no other read.
    { name: 'gsi8', purpose: 'timers by due time (sharded): offers waiting for an answer, cases\' SLAs with a threshold ahead', project: 'ALL' },
  ] as const satisfies readonly { name: IndexName; purpose: string; project: readonly string[] | 'ALL' }[])();

/** The indexes by name: what the functions' code needs of them (INDEXES, with purposes and projections, is for the table's makers and its docs). */
export const INDEX_NAMES = ['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7', 'gsi8'] as const;
export type IndexName = (typeof INDEX_NAMES)[number];

export const indexKeys = (name: IndexName) => ({ pk: `${name}pk`, sk: `${name}sk` });

/** Entity kinds whose changes the history handler records (the stream filter keeps only these). */
export const HISTORY_SOURCE_ENTITIES = ['alert', 'case', 'note', 'caseslas'] as const;

export const STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES' as const;

/** CreateTable input for DynamoDB Local (the CDK stack builds the same shape from INDEXES). */
export function createTableInput(tableName: string) {
  const attributeNames = [PARTITION_KEY, SORT_KEY, ...INDEXES.flatMap((i) => Object.values(indexKeys(i.name)))];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' as const },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: INDEXES.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: indexKeys(i.name).pk, KeyType: 'HASH' as const },
        { AttributeName: indexKeys(i.name).sk, KeyType: 'RANGE' as const },
      ],
      Projection: i.project === 'ALL' ? { ProjectionType: 'ALL' as const } : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...i.project] },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  };
}
