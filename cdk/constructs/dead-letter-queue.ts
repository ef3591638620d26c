/** Where events and stream batches that could not be processed wait for a person. */
import { Duration, Stack } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData, type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** Short, for the alarm's name `<stack>-dlq-<label>`, e.g. `stream-history`. */
  label: string;
  /** What lands here, for the alarm's description. */
  holds: string;
}

export class DeadLetterQueue extends Queue {
  /** In alarm from the first message (the stack sends it to the alarm topic). */
  readonly notEmptyAlarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id, {
      // SQS-managed keys: EventBridge and Lambda can send without a KMS key policy to maintain.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS keeps a message: time for someone to look and redrive.
      retentionPeriod: Duration.days(14),
    });
    // A message here is work nobody did yet: alarm on the first one.
    this.notEmptyAlarm = this.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }).createAlarm(this, 'NotEmpty', {
      alarmName: `${Stack.of(this).stackName}-dlq-${props.label}`,
      alarmDescription: `Dead-letter queue ${props.label} holds ${props.holds}: look, fix the cause, redrive (docs/operations.md).`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
