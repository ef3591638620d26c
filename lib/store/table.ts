/**
 * The one table: keys, indexes and stream. Both the CDK stack and the local
 * runtime build the table from this definition, so they cannot drift apart.
 * Key shapes and the access patterns they serve: docs/access-patterns.md.
 */
export const TABLE_NAME_ENV = 'TABLE_NAME';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Items carry `expiresAt` (epoch seconds) when they should expire: idempotency records. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Global secondary indexes, all projecting every attribute. Each is overloaded:
 * its key means something different per entity (see docs/access-patterns.md).
 */
export const INDEXES = [
  { name: 'gsi1', purpose: 'every alert / case / queue, newest first' },
  { name: 'gsi2', purpose: 'alerts by state, cases by stage' },
  { name: 'gsi3', purpose: 'alerts by severity, cases by queue' },
  { name: 'gsi4', purpose: 'alerts by source, cases by assignee' },
  { name: 'gsi5', purpose: 'cases by account' },
  { name: 'gsi6', purpose: 'cases by alert' },
  { name: 'gsi7', purpose: 'cases by parent (major) case' },
] as const;
export type IndexName = (typeof INDEXES)[number]['name'];

export const indexKeys = (name: IndexName) => ({ pk: `${name}pk`, sk: `${name}sk` });

/** Entity kinds whose changes the history handler records (the stream filter keeps only these). */
export const HISTORY_SOURCE_ENTITIES = ['alert', 'case', 'note'] as const;

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
      Projection: { ProjectionType: 'ALL' as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  };
}
