import { Match } from 'aws-cdk-lib/assertions';
import { BUS_NAME, BUS_RULES, HISTORY_STREAM_FILTER } from '../../lib/events/rules.js';
import { functionLogicalId, resourcesOf, synthStack } from './synth.js';

const { stack, template } = synthStack();
const [busId] = Object.keys(resourcesOf(template, 'AWS::Events::EventBus'));
const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));

const queueIdOf = (arn: unknown) => (arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

/** The dead-letter queue is encrypted and refuses plain-HTTP access. */
function expectSafeDeadLetterQueue(queueId: string) {
  const queue = resourcesOf(template, 'AWS::SQS::Queue')[queueId];
  expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: queueId }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    Threshold: 1,
  });
}

describe('the event bus', () => {
  it(`is named ${BUS_NAME}`, () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: BUS_NAME });
    template.hasOutput('EventBusName', { Value: { Ref: busId } });
  });

  it.each(BUS_RULES.map((r) => [r.name, r] as const))('routes %s by the same pattern the local runtime uses', (_name, rule) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: Match.exact(rule.pattern),
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId(stack, rule.target), 'Arn'] } })],
    });
  });

  it('never routes its own Alert Raised events back in', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'detail-type': ['Alert Raised'], source: [{ 'anything-but': ['alert-to-case'] }] },
    });
  });

  it.each(BUS_RULES.map((r) => [r.name, r] as const))(
    '%s retries deliveries and parks what still fails in a safe dead-letter queue',
    (_name, rule) => {
      const target = Object.values(resourcesOf(template, 'AWS::Events::Rule'))
        .flatMap((r) => r.Properties.Targets as Record<string, any>[])
        .find((t) => t.Arn['Fn::GetAtt'][0] === functionLogicalId(stack, rule.target))!;
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThan(0);
      expectSafeDeadLetterQueue(queueIdOf(target.DeadLetterConfig.Arn));
    },
  );

  it.each(BUS_RULES.map((r) => [r.target]))('%s parks events its code failed on in the dead-letter queue too', (target) => {
    const invokeConfig = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).find(
      (c) => c.Properties.FunctionName.Ref === functionLogicalId(stack, target),
    );
    expect(invokeConfig?.Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expectSafeDeadLetterQueue(queueIdOf(invokeConfig!.Properties.DestinationConfig.OnFailure.Destination));
  });
});

describe('the history stream mapping', () => {
  const mapping = () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    return mappings[0].Properties;
  };

  it("feeds the table's stream to the history function from the oldest record", () => {
    expect(mapping()).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      FunctionName: { Ref: functionLogicalId(stack, 'history') },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
    });
  });

  it('passes only alert, case and note changes, so history writes never loop back', () => {
    expect(mapping().FilterCriteria).toEqual({ Filters: [{ Pattern: JSON.stringify(HISTORY_STREAM_FILTER) }] });
  });

  it('isolates failing records and retries a bounded number of times', () => {
    const props = mapping();
    expect(props).toMatchObject({ BisectBatchOnFunctionError: true, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(props.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(props.MaximumRetryAttempts).toBeLessThanOrEqual(10);
  });

  it('sends batches that still fail to a safe dead-letter queue', () => {
    expectSafeDeadLetterQueue(queueIdOf(mapping().DestinationConfig.OnFailure.Destination));
  });
});
