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
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME, TEAM_FIGURES } from '../../lib/observability-names.js';

/** SLAs breached in 5 minutes that page the team: more than a slow queue, a team that cannot keep up. */
export const SLA_BREACH_THRESHOLD = 5;

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

  /**
   * The team's figures as the metrics functions give them to CloudWatch
   * (EMF, SPEC §2 "Team metrics"): a dashboard of cases opened and resolved,
   * MTTA and MTTR, SLAs achieved and breached, the backlog and alerts
   * converted, and an alarm when SLAs breach in numbers.
   */
  teamFigures(): { dashboard: Dashboard; slaBreaches: Alarm } {
    const figure = (metricName: string, statistic: string = Stats.SUM, label?: string) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: SERVICE_NAME }, statistic, period: Duration.hours(1), label });
    const dashboard = new Dashboard(this, 'TeamDashboard', { dashboardName: `${this.prefix}-team`, defaultInterval: Duration.days(7) });
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Cases opened, resolved and closed (per hour)',
        left: [figure(TEAM_FIGURES.casesCreated, Stats.SUM, 'Opened'), figure(TEAM_FIGURES.casesResolved, Stats.SUM, 'Resolved'), figure(TEAM_FIGURES.casesClosed, Stats.SUM, 'Closed')],
      }),
      new GraphWidget({
        title: 'Time to assign and to resolve (seconds)',
        left: [
          figure(TEAM_FIGURES.toAssign, Stats.AVERAGE, 'MTTA mean'),
          figure(TEAM_FIGURES.toAssign, Stats.p(50), 'MTTA p50'),
          figure(TEAM_FIGURES.toResolve, Stats.AVERAGE, 'MTTR mean'),
          figure(TEAM_FIGURES.toResolve, Stats.p(50), 'MTTR p50'),
        ],
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'SLAs achieved and breached (per hour)', left: [figure(TEAM_FIGURES.slaAchieved, Stats.SUM, 'Achieved'), figure(TEAM_FIGURES.slaBreached, Stats.SUM, 'Breached')] }),
      new GraphWidget({ title: 'Open cases (backlog)', left: [figure(TEAM_FIGURES.backlog, Stats.MAXIMUM, 'Open cases')] }),
      new GraphWidget({ title: 'Alerts raised and converted (per hour)', left: [figure(TEAM_FIGURES.alertsRaised, Stats.SUM, 'Raised'), figure(TEAM_FIGURES.alertsConverted, Stats.SUM, 'Converted')] }),
    );
    const slaBreaches = figure(TEAM_FIGURES.slaBreached).with({ period: ALARM_PERIOD }).createAlarm(this, 'TeamSlaBreaches', {
      alarmName: `${this.prefix}-team-sla-breaches`,
      alarmDescription:
        `${SLA_BREACH_THRESHOLD} or more SLAs breached in 5 minutes: the team is not keeping up. ` +
        'Open the Team page (backlog by queue and priority) and the Cases page filtered to breached SLAs.',
      threshold: SLA_BREACH_THRESHOLD,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    return { dashboard, slaBreaches };
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
