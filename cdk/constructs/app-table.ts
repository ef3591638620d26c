/**
 * The one table, built from lib/store/table.ts: the local runtime creates its
 * DynamoDB Local table from the same definition, so the two cannot drift.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { INDEXES, PARTITION_KEY, SORT_KEY, STREAM_VIEW_TYPE, TTL_ATTRIBUTE, indexKeys } from '../../lib/store/table.js';

export interface AppTableProps {
  /** @default RETAIN: deleting the stack never deletes cases and alerts. */
  removalPolicy?: RemovalPolicy;
  /** @default true */
  deletionProtection?: boolean;
}

export class AppTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: AppTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[STREAM_VIEW_TYPE],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const index of INDEXES) {
      const keys = indexKeys(index.name);
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: keys.pk, type: AttributeType.STRING },
        sortKey: { name: keys.sk, type: AttributeType.STRING },
        ...(index.project === 'ALL' ? { projectionType: ProjectionType.ALL } : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.project] }),
      });
    }
  }
}
