/**
 * The stack's alarms and the one SNS topic they all report to. A team
 * subscribes to the topic (e-mail, chat, paging); docs/operations.md says what
 * each alarm means and what to check first.
 *
 * Every alarm is named `<stack>-<what>`, reports both ALARM and OK, and treats
 * missing data as fine (no traffic is not a failure).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';

/** Every alarm looks at 5-minute periods and fires on the first bad one. */
export const ALARM_PERIOD = Duration.minutes(5);
/** A stream consumer this far behind the newest record is late delivering history and events. */
export const ITERATOR_AGE_THRESHOLD = Duration.seconds(60);

export class Monitoring extends Construct {
  /** Where every alarm of the stack sends its ALARM and OK notifications. */
  readonly topic: Topic;
  private readonly action: SnsAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.prefix = stack.stackName;

    // A customer-managed key: CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key.
    const key = new Key(this, 'TopicKey', {
      description: `${stack.stackName} alarm topic`,
      enableKeyRotation: true,
      // The key protects notifications in flight only; nothing stored outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTheTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: `${stack.stackName} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // Only this account's alarms may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ThisAccountsAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
        },
      }),
    );
    this.action = new SnsAction(this.topic);
  }

  /** The function failed (threw, timed out, ran out of memory) at least once in 5 minutes. */
  alarmOnErrors(name: string, fn: IFunction): Alarm {
    return fn.metricErrors({ period: ALARM_PERIOD, statistic: Stats.SUM }).createAlarm(this, `Errors-${name}`, {
      alarmName: `${this.prefix}-errors-${name}`,
      alarmDescription: `Function ${name} failed (error, timeout or out of memory) at least once in 5 minutes. Look at its log group first.`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** The stream consumer's newest batch held a record older than 60 s: history and events are late. */
  alarmOnIteratorAge(name: string, fn: IFunction): Alarm {
    return fn.metric('IteratorAge', { period: ALARM_PERIOD, statistic: Stats.MAXIMUM }).createAlarm(this, `IteratorAge-${name}`, {
      alarmName: `${this.prefix}-iterator-age-${name}`,
      alarmDescription:
        `Stream consumer ${name} is more than ${ITERATOR_AGE_THRESHOLD.toSeconds()} s behind the table's newest change ` +
        '(retrying a failing batch, or too slow): history and events are late.',
      threshold: ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** The API answered 5xx at least once in 5 minutes: SPEC §4 allows one only when the database does not answer in 8 s (503). */
  alarmOnServerErrors(api: IHttpApi): Alarm {
    return api.metricServerError({ period: ALARM_PERIOD, statistic: Stats.SUM }).createAlarm(this, 'Api5xx', {
      alarmName: `${this.prefix}-api-5xx`,
      alarmDescription:
        'The HTTP API answered 5xx at least once in 5 minutes (a defect, a function timeout or crash, or the database not answering in 8 s). ' +
        'Look at the access log first.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** Sends every alarm found under `scope` (this construct's own and the dead-letter queues') to the topic. */
  notifyAll(scope: IConstruct): Alarm[] {
    const alarms = scope.node.findAll().filter((c): c is Alarm => c instanceof Alarm);
    for (const alarm of alarms) {
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
    }
    return alarms;
  }
}
