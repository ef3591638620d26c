import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { INDEX_NAMES, INDEXES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE, createTableInput } from '../../lib/store/table.js';
import { resourcesOf, defaultStack, synthStack } from './synth.js';

const { template } = defaultStack();
const table = () => Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'));

describe('the table', () => {
  it('is the only table, keyed by pk/sk strings and billed per request', () => {
    expect(table()).toHaveLength(1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
        { AttributeName: SORT_KEY, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has the same indexes and attribute definitions as the table DynamoDB Local gets', () => {
    const local = createTableInput('local');
    const deployed = table()[0].Properties;
    expect(deployed.GlobalSecondaryIndexes).toHaveLength(INDEXES.length);
    // The names the functions' code uses are the indexes there are.
    expect(INDEXES.map((i) => i.name)).toEqual([...INDEX_NAMES]);
    expect(new Set(deployed.GlobalSecondaryIndexes)).toEqual(new Set(local.GlobalSecondaryIndexes));
    expect(new Set(deployed.AttributeDefinitions)).toEqual(new Set(local.AttributeDefinitions));
  });

  it('streams new and old images, which the history handler diffs', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('expires idempotency records by TTL and keeps point-in-time recovery on', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('survives deleting the stack by default: retained and deletion-protected', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('publishes its name', () => {
    const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));
    template.hasOutput('TableName', { Value: { Ref: tableId } });
  });

  it('can be made disposable for a throwaway stage', () => {
    const { template: disposable } = synthStack({ dataRemovalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    disposable.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });
});
