import { Match } from 'aws-cdk-lib/assertions';
import { BUS_NAME, BUS_RULES, EVENT_BUS_ENV, EVENTS_ENDPOINT_ENV } from '../../lib/events/rules.js';
import { FUNCTIONS } from '../../lib/functions.js';
import { expectSafeDeadLetterQueue, queueIdOf } from './queues.js';
import { functionLogicalId, resourcesOf, defaultStack } from './synth.js';

const { stack, template } = defaultStack();
const [busId] = Object.keys(resourcesOf(template, 'AWS::Events::EventBus'));
const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));

const streamFunctions = FUNCTIONS.filter((f) => f.trigger === 'stream');
const publishers = FUNCTIONS.filter((f) => f.publishes);
const functionProps = (name: string) => resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(stack, name)].Properties;

/** Every statement of the policies attached to a function's role. */
function statementsOf(name: string): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  const roleId = functionProps(name).Role['Fn::GetAtt'][0] as string;
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('the event bus', () => {
  it(`is named ${BUS_NAME}`, () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: BUS_NAME });
    template.hasOutput('EventBusName', { Value: { Ref: busId } });
  });

  it.each(BUS_RULES.map((r) => [r.name, r] as const))('routes %s by the same pattern the local runtime uses, on its bus', (_name, rule) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      // AWS services put their events on the account's default bus.
      EventBusName: rule.bus === 'default' ? 'default' : { Ref: busId },
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
      expectSafeDeadLetterQueue(template, queueIdOf(target.DeadLetterConfig.Arn));
    },
  );

  it.each(BUS_RULES.map((r) => [r.target]))('%s parks events its code failed on in the dead-letter queue too', (target) => {
    const invokeConfig = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).find(
      (c) => c.Properties.FunctionName.Ref === functionLogicalId(stack, target),
    );
    expect(invokeConfig?.Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expectSafeDeadLetterQueue(template, queueIdOf(invokeConfig!.Properties.DestinationConfig.OnFailure.Destination));
  });
});

describe('the publishers', () => {
  it('include the stream consumer that publishes changes', () => {
    expect(publishers.map((f) => f.name)).toContain('events');
  });

  it.each(publishers.map((f) => [f.name]))('%s may put events on the bus, and on no other', (name) => {
    const putEvents = statementsOf(name).filter((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(putEvents).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } }]);
  });

  it.each(publishers.map((f) => [f.name]))('%s knows the bus by name and never a local endpoint', (name) => {
    const variables = functionProps(name).Environment.Variables;
    expect(variables[EVENT_BUS_ENV]).toEqual({ Ref: busId });
    expect(variables).not.toHaveProperty(EVENTS_ENDPOINT_ENV);
  });

  it.each(FUNCTIONS.filter((f) => !f.publishes).map((f) => [f.name]))('%s does not publish', (name) => {
    expect(functionProps(name).Environment.Variables).not.toHaveProperty(EVENT_BUS_ENV);
    expect(statementsOf(name).flatMap((s) => [s.Action].flat())).not.toContain('events:PutEvents');
  });
});

describe('the stream mappings', () => {
  const mappingOf = (name: string) => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
      (m) => m.Properties.FunctionName.Ref === functionLogicalId(stack, name),
    );
    expect(mappings).toHaveLength(1);
    return mappings[0].Properties;
  };
  const streamCases = streamFunctions.map((f) => [f.name, f] as const);

  it('are one per stream function of lib/functions.ts, history and events among them', () => {
    expect(streamFunctions.map((f) => f.name)).toEqual(expect.arrayContaining(['history', 'events']));
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', streamFunctions.length);
  });

  it.each(streamCases)("%s reads the table's stream from the oldest record", (name) => {
    expect(mappingOf(name)).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
    });
  });

  it.each(streamCases)('%s receives only the records its stream filter in lib/functions.ts passes', (_name, spec) => {
    expect(spec.streamFilter).toBeDefined();
    expect(mappingOf(spec.name).FilterCriteria).toEqual({ Filters: [{ Pattern: JSON.stringify(spec.streamFilter) }] });
  });

  it('keeps history writes away from the history writer: its filter passes only alert, case and note changes', () => {
    expect(FUNCTIONS.find((f) => f.name === 'history')?.streamFilter).toEqual({
      dynamodb: { NewImage: { entity: { S: expect.not.arrayContaining(['history']) } } },
    });
  });

  it.each(streamCases)('%s isolates failing records and retries a bounded number of times', (name) => {
    const props = mappingOf(name);
    expect(props).toMatchObject({ BisectBatchOnFunctionError: true, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(props.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(props.MaximumRetryAttempts).toBeLessThanOrEqual(10);
  });

  it.each(streamCases)('%s sends batches that still fail to its own safe dead-letter queue, named in an output', (name) => {
    const queueId = queueIdOf(mappingOf(name).DestinationConfig.OnFailure.Destination);
    expectSafeDeadLetterQueue(template, queueId);
    const others = streamFunctions.filter((f) => f.name !== name).map((f) => queueIdOf(mappingOf(f.name).DestinationConfig.OnFailure.Destination));
    expect(others).not.toContain(queueId);
    const outputs = Object.values(template.findOutputs('*', { Value: { Ref: queueId } }));
    expect(outputs).toHaveLength(1);
  });

  it.each(streamCases)('%s may read the stream, and the table only as lib/functions.ts says', (name, spec) => {
    const streamRead = statementsOf(name).find((s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [tableId, 'StreamArn'] }));
    expect([streamRead?.Action].flat()).toEqual(expect.arrayContaining(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']));
    if (!spec.table) {
      const tableStatements = statementsOf(name).filter((s) => JSON.stringify(s.Resource).includes(`"${tableId}","Arn"`));
      expect(tableStatements).toEqual([]);
    }
  });
});
