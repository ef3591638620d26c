/** Shared assertions on the stack's dead-letter queues. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { resourcesOf } from './synth.js';

/** The logical id of a queue referenced as `{ 'Fn::GetAtt': [id, 'Arn'] }`. */
export const queueIdOf = (arn: unknown) => (arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

/** The dead-letter queue is encrypted, refuses plain-HTTP access, keeps messages 14 days and alarms on the first one, to the alarm topic. */
export function expectSafeDeadLetterQueue(template: Template, queueId: string) {
  const queue = resourcesOf(template, 'AWS::SQS::Queue')[queueId];
  expect(queue).toBeDefined();
  expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
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
    // …which tells the team through the stack's one alarm topic.
    AlarmActions: [{ Ref: alarmTopicIdOf(template) }],
  });
}

/** The logical id of the one SNS topic every alarm notifies. */
export function alarmTopicIdOf(template: Template): string {
  const topics = Object.keys(resourcesOf(template, 'AWS::SNS::Topic'));
  expect(topics).toHaveLength(1);
  return topics[0];
}
