/**
 * The whole service in one stack. Stateful: the table and the user pool
 * (retained when the stack goes). Stateless: the functions, the HTTP API, the
 * bus, the stream mappings and the schedule, all built from the definitions in
 * lib/ (lib/functions.ts above all) that the local runtime uses too. Operations:
 * alarms on every dead-letter queue, function errors, API 5xx and stream lag,
 * all on one topic (docs/operations.md).
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { everyMinutesOf, FUNCTIONS, IMPACT_SCHEDULE_MINUTES, type FunctionSpec } from '../../lib/functions.js';
import { FUNCTION_GROUPS, type FunctionGroup } from '../../lib/contract/operation.js';
import { AlertBus } from '../constructs/alert-bus.js';
import { AppFunction, bindTable } from '../constructs/app-function.js';
import { AppTable } from '../constructs/app-table.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { Monitoring } from '../constructs/monitoring.js';
import { FunctionSchedule } from '../constructs/function-schedule.js';
import { AppHttpApi, type JwtIssuer } from '../constructs/http-api.js';
import { UserDirectory } from '../constructs/user-directory.js';
import { addNagSuppressions } from './nag-suppressions.js';
import { ConsoleSite } from '../constructs/console.js';
import { CONSOLE_URL_ENV } from '../../lib/http/reference.js';
import { PAUSED_MAPPING_ENV } from '../../lib/stream-pause.js';

export interface AlertToCaseStackProps extends StackProps {
  /** What happens to the table and the user pool when the stack is deleted. @default RETAIN */
  dataRemovalPolicy?: RemovalPolicy;
  /** DynamoDB and Cognito deletion protection. @default true */
  deletionProtection?: boolean;
  /** Trust this OIDC issuer instead of creating a Cognito user pool. Its tokens must carry `cognito:groups`. */
  jwt?: JwtIssuer;
  /** @default one month */
  logRetention?: RetentionDays;
  throttle?: ThrottleSettings;
  /** Minutes between runs of the impact recalculation (the schedule functions without an interval of their own). @default IMPACT_SCHEDULE_MINUTES (15) */
  impactScheduleMinutes?: number;
}

const constructIdOf = (name: string) => name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

export class AlertToCaseStack extends Stack {
  readonly functions: Record<string, AppFunction>;
  /** The on-failure queue of each stream function's event source mapping, by function name. */
  readonly streamDeadLetterQueues: Record<string, DeadLetterQueue> = {};
  private readonly streamSources: Record<string, DynamoEventSource> = {};
  /** The schedule of each schedule function, by function name. */
  readonly schedules: Record<string, FunctionSchedule> = {};
  /** The alarms and the topic they report to. */
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: AlertToCaseStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const scheduleMinutes = props.impactScheduleMinutes ?? IMPACT_SCHEDULE_MINUTES;

    // Stateful
    const { table } = new AppTable(this, 'Data', {
      removalPolicy: props.dataRemovalPolicy,
      deletionProtection: props.deletionProtection,
    });
    const users = props.jwt
      ? undefined
      : new UserDirectory(this, 'Users', { removalPolicy: props.dataRemovalPolicy, deletionProtection: props.deletionProtection });

    // Stateless. The bus comes first: publishers need its name; its rules need the functions.
    const bus = new AlertBus(this, 'Events');

    this.functions = {};
    for (const spec of FUNCTIONS) {
      if (this.functions[spec.name]) throw new Error(`lib/functions.ts names ${spec.name} twice`);
      const fn = new AppFunction(this, `${constructIdOf(spec.name)}Function`, {
        entry: spec.entry,
        description: `alert-to-case ${spec.name} (${spec.trigger})`,
        timeout: Duration.seconds(spec.timeoutSeconds),
        logRetention,
        files: spec.files,
      });
      this.functions[spec.name] = fn;
      // No `table`, no grant and no TABLE_NAME: such a function cannot touch the table by accident.
      if (spec.table) bindTable(fn, table, spec.table);
      if (spec.publishes) bus.bindPublisher(fn);
      if (spec.trigger === 'stream') this.streamDeadLetterQueues[spec.name] = this.addStreamSource(spec, fn, table);
      else if (spec.streamFilter) throw new Error(`${spec.name} has a streamFilter but is not a stream function`);
      if (spec.trigger === 'schedule') {
        const everyMinutes = everyMinutesOf(spec, scheduleMinutes);
        this.schedules[spec.name] = new FunctionSchedule(this, `${constructIdOf(spec.name)}Schedule`, {
          fn,
          name: spec.name,
          everyMinutes,
          description: `alert-to-case ${spec.name}, every ${everyMinutes} min`,
        });
      }
    }

    bus.addRules(this.functions);
    for (const spec of FUNCTIONS.filter((f) => f.pausesStreamOf)) this.letPause(this.requireFunction(spec.name), spec.pausesStreamOf!);

    const httpFunctions = Object.fromEntries(FUNCTION_GROUPS.map((group) => [group, this.requireFunction(group)])) as Record<
      FunctionGroup,
      AppFunction
    >;
    // The console: its own distribution; with the stack's user pool, an app client whose tokens the API accepts too.
    const site = new ConsoleSite(this, 'Console');
    const consoleClient = users ? site.addSignIn(users.userPool) : undefined;
    const jwt = props.jwt ?? { ...users!.jwtIssuer, audience: [...users!.jwtIssuer.audience, consoleClient!.userPoolClientId] };
    const api = new AppHttpApi(this, 'Http', {
      functions: httpFunctions,
      jwt,
      throttle: props.throttle,
      logRetention,
      corsOrigins: [`https://${site.distribution.distributionDomainName}`],
    });
    site.deploy(api.url, logRetention);
    httpFunctions['public-api'].addEnvironment(CONSOLE_URL_ENV, site.url);

    // Operations: every alarm of the stack (the dead-letter queues' included) reports to one topic.
    this.monitoring = new Monitoring(this, 'Monitoring');
    for (const spec of FUNCTIONS) {
      const fn = this.requireFunction(spec.name);
      this.monitoring.alarmOnErrors(spec.name, fn);
      if (spec.trigger === 'stream') this.monitoring.alarmOnIteratorAge(spec.name, fn);
    }
    this.monitoring.alarmOnServerErrors(api.api);
    this.monitoring.teamFigures();
    this.monitoring.notifyAll(this);

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'ConsoleUrl', { value: site.url, description: 'The console (SPEC §8)' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: bus.bus.eventBusName });
    new CfnOutput(this, 'EventDeadLetterQueueUrl', { value: bus.deadLetterQueue.queueUrl });
    for (const [name, queue] of Object.entries(this.streamDeadLetterQueues)) {
      new CfnOutput(this, `${constructIdOf(name)}StreamDeadLetterQueueUrl`, {
        value: queue.queueUrl,
        description: `Stream batches the ${name} function failed on`,
      });
    }
    for (const [name, schedule] of Object.entries(this.schedules)) {
      new CfnOutput(this, `${constructIdOf(name)}DeadLetterQueueUrl`, {
        value: schedule.deadLetterQueue.queueUrl,
        description: `Runs of ${name} that did not happen or failed`,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Every alarm of the stack notifies this SNS topic: subscribe the team that runs it',
    });
    if (users) {
      new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId });
    }

    addNagSuppressions(this);
  }

  /**
   * The function's own mapping on the table's stream, passing only the records
   * its filter matches (history: never its own writes). History is written
   * from the stream, never by the request path (SPEC §1); events are published
   * only after the change is stored.
   */
  private addStreamSource(spec: FunctionSpec, fn: AppFunction, table: ITable): DeadLetterQueue {
    if (!spec.streamFilter) throw new Error(`stream function ${spec.name} needs a streamFilter in lib/functions.ts`);
    const deadLetterQueue = new DeadLetterQueue(this, `${constructIdOf(spec.name)}StreamDeadLetterQueue`, {
      label: `stream-${spec.name}`,
      holds: `pointers (shard, sequence numbers) to stream batches the ${spec.name} function failed on after its retries`,
    });
    const source = new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      // A poison record is isolated by halving the batch; the handler reports the records that failed.
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      onFailure: new SqsDlq(deadLetterQueue),
      filters: [FilterCriteria.filter(spec.streamFilter)],
    });
    fn.addEventSource(source);
    this.streamSources[spec.name] = source;
    return deadLetterQueue;
  }

  /** Lets an operator's function pause and resume exactly one stream function's mapping (the metrics rebuild), and tells it which. */
  private letPause(fn: AppFunction, streamFunction: string) {
    const source = this.streamSources[streamFunction];
    if (!source) throw new Error(`lib/functions.ts: ${streamFunction} is not a stream function to pause`);
    fn.addEnvironment(PAUSED_MAPPING_ENV, source.eventSourceMappingId);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'], resources: [source.eventSourceMappingArn] }));
  }

  private requireFunction(name: string): AppFunction {
    const fn = this.functions[name];
    if (!fn) throw new Error(`lib/functions.ts has no function named ${name}`);
    return fn;
  }
}
