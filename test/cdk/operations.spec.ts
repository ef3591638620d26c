/**
 * What the team running the stack is told, and where: one encrypted SNS topic
 * that every alarm notifies, alarms on every dead-letter queue, every
 * function's errors, the API's 5xx and each stream consumer's lag, and logs
 * that expire.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../../lib/functions.js';
import { METRICS_NAMESPACE, SERVICE_NAME, TEAM_FIGURES } from '../../lib/observability-names.js';
import { SLA_BREACH_THRESHOLD } from '../../cdk/constructs/monitoring.js';
import { alarmTopicIdOf } from './queues.js';
import { functionLogicalId, resourcesOf, defaultStack, synthStack } from './synth.js';

const { stack, template } = defaultStack();
const topicId = alarmTopicIdOf(template);
const alarms = () => Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const queueIds = Object.keys(resourcesOf(template, 'AWS::SQS::Queue'));
const streamFunctions = FUNCTIONS.filter((f) => f.trigger === 'stream');

/** The one alarm on `metric` in `namespace` whose dimension `name` is `value`. */
function alarmOn(namespace: string, metric: string, name: string, value: unknown) {
  const found = alarms().filter(
    (a) => a.Namespace === namespace && a.MetricName === metric && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: name, Value: value }]),
  );
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every alarm reports both turning bad and recovering to the topic, and no data is not a failure. */
const toTheTopic = { AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }], TreatMissingData: 'notBreaching', EvaluationPeriods: 1 };

describe('the alarm topic', () => {
  it('is encrypted with a rotated key that CloudWatch may use', () => {
    const keyId = resourcesOf(template, 'AWS::SNS::Topic')[topicId].Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const key = resourcesOf(template, 'AWS::KMS::Key')[keyId].Properties;
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        }),
      ]),
    );
  });

  it('refuses publishing without TLS and takes alarms of this account only', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it('is named in an output for the team to subscribe to', () => {
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });
});

describe('the alarms', () => {
  it('are one per dead-letter queue, one per function, one per stream consumer, one for the API and one for SLA breaches', () => {
    expect(alarms()).toHaveLength(queueIds.length + FUNCTIONS.length + streamFunctions.length + 1 + 1);
  });

  it('all notify the alarm topic, in alarm and back to OK, under a name that starts with the stack name', () => {
    for (const alarm of alarms()) {
      expect(alarm).toMatchObject({ AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }] });
      expect(alarm.AlarmName).toMatch(new RegExp(`^${stack.stackName}-`));
      expect(alarm.AlarmDescription).toEqual(expect.any(String));
    }
    expect(new Set(alarms().map((a) => a.AlarmName)).size).toBe(alarms().length);
  });

  it.each(queueIds.map((id) => [id]))('watch dead-letter queue %s from its first message', (queueId) => {
    expect(alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', { 'Fn::GetAtt': [queueId, 'QueueName'] })).toMatchObject({
      ...toTheTopic,
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(FUNCTIONS.map((f) => [f.name]))('watch %s for its first error in 5 minutes', (name) => {
    expect(alarmOn('AWS/Lambda', 'Errors', 'FunctionName', { Ref: functionLogicalId(stack, name) })).toMatchObject({
      ...toTheTopic,
      AlarmName: `${stack.stackName}-errors-${name}`,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(streamFunctions.map((f) => [f.name]))('watch stream consumer %s for falling more than 60 s behind', (name) => {
    expect(alarmOn('AWS/Lambda', 'IteratorAge', 'FunctionName', { Ref: functionLogicalId(stack, name) })).toMatchObject({
      ...toTheTopic,
      AlarmName: `${stack.stackName}-iterator-age-${name}`,
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it("watch the HTTP API's 5xx answers", () => {
    const [apiId] = Object.keys(resourcesOf(template, 'AWS::ApiGatewayV2::Api'));
    expect(alarmOn('AWS/ApiGateway', '5xx', 'ApiId', { Ref: apiId })).toMatchObject({
      ...toTheTopic,
      AlarmName: `${stack.stackName}-api-5xx`,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});

describe("the team's figures", () => {
  it('alarm when 5 or more SLAs breach in 5 minutes', () => {
    expect(alarmOn(METRICS_NAMESPACE, TEAM_FIGURES.slaBreached, 'service', SERVICE_NAME)).toMatchObject({
      ...toTheTopic,
      AlarmName: `${stack.stackName}-team-sla-breaches`,
      Statistic: 'Sum',
      Period: 300,
      Threshold: SLA_BREACH_THRESHOLD,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('are drawn on the team dashboard: every figure the metrics functions write, in their namespace and by their service', () => {
    const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard')).map((d) => d.Properties);
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0].DashboardBody);
    for (const name of Object.values(TEAM_FIGURES)) expect(body).toContain(`\\"${METRICS_NAMESPACE}\\",\\"${name}\\",\\"service\\",\\"${SERVICE_NAME}\\"`);
  });
});

describe('the logs', () => {
  it('of every function and of the API expire after a month by default', () => {
    const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
    // One per function, one for the API's access logs, one for CDK's provider that copies the console's files.
    expect(Object.keys(logGroups)).toHaveLength(FUNCTIONS.length + 2);
    for (const group of Object.values(logGroups)) expect(group.Properties.RetentionInDays).toBe(30);
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    expect(logGroups).toHaveProperty([stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]]);
    for (const { name } of FUNCTIONS) {
      const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(stack, name)].Properties;
      expect(logGroups).toHaveProperty([fn.LoggingConfig.LogGroup.Ref]);
    }
    // Retention is a property of each log group, not a custom resource that sets it after the fact.
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('expire after the retention the stack is given', () => {
    const { template: week } = synthStack({ logRetention: RetentionDays.ONE_WEEK });
    for (const group of Object.values(resourcesOf(week, 'AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(7);
  });
});
