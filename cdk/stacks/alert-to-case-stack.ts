/**
 * The whole service in one stack. Stateful: the table and the user pool
 * (retained when the stack goes). Stateless: the functions, the HTTP API, the
 * bus and the stream mapping, all built from the definitions in lib/ that the
 * local runtime uses too.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { HISTORY_STREAM_FILTER } from '../../lib/events/rules.js';
import { FUNCTIONS, type FunctionSpec } from '../../lib/functions.js';
import { FUNCTION_GROUPS, type FunctionGroup } from '../../lib/http/routes.js';
import { AlertBus } from '../constructs/alert-bus.js';
import { AppFunction, bindTable, type TableAccess } from '../constructs/app-function.js';
import { AppTable } from '../constructs/app-table.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { AppHttpApi, type JwtIssuer } from '../constructs/http-api.js';
import { UserDirectory } from '../constructs/user-directory.js';
import { addNagSuppressions } from './nag-suppressions.js';

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
}

/** What each kind of function may do with the table: the history writer never reads it. */
const TABLE_ACCESS: Record<FunctionSpec['trigger'], TableAccess> = { http: 'readwrite', stream: 'write', event: 'readwrite' };
const TIMEOUT: Record<FunctionSpec['trigger'], Duration> = {
  http: Duration.seconds(10),
  stream: Duration.seconds(60),
  event: Duration.seconds(30),
};
const HISTORY_FUNCTION = 'history';

const constructIdOf = (name: string) => name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

export class AlertToCaseStack extends Stack {
  readonly functions: Record<string, AppFunction>;

  constructor(scope: Construct, id: string, props: AlertToCaseStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    // Stateful
    const { table } = new AppTable(this, 'Data', {
      removalPolicy: props.dataRemovalPolicy,
      deletionProtection: props.deletionProtection,
    });
    const users = props.jwt
      ? undefined
      : new UserDirectory(this, 'Users', { removalPolicy: props.dataRemovalPolicy, deletionProtection: props.deletionProtection });

    // Stateless
    this.functions = {};
    for (const spec of FUNCTIONS) {
      const fn = new AppFunction(this, `${constructIdOf(spec.name)}Function`, {
        entry: spec.entry,
        description: `alert-to-case ${spec.name} (${spec.trigger})`,
        timeout: TIMEOUT[spec.trigger],
        logRetention,
      });
      bindTable(fn, table, TABLE_ACCESS[spec.trigger]);
      this.functions[spec.name] = fn;
    }

    const httpFunctions = Object.fromEntries(FUNCTION_GROUPS.map((group) => [group, this.requireFunction(group)])) as Record<
      FunctionGroup,
      AppFunction
    >;
    const api = new AppHttpApi(this, 'Http', {
      functions: httpFunctions,
      jwt: props.jwt ?? users!.jwtIssuer,
      throttle: props.throttle,
      logRetention,
    });

    const bus = new AlertBus(this, 'Events', { functions: this.functions });

    // History is written from the stream, never by the request path (SPEC §1).
    const historyDlq = new DeadLetterQueue(this, 'HistoryStreamDeadLetterQueue');
    this.requireFunction(HISTORY_FUNCTION).addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        // A poison record is isolated by halving the batch; the handler reports the records that failed.
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(historyDlq),
        // Only alert, case and note changes: the handler's own history writes never come back to it.
        filters: [FilterCriteria.filter(HISTORY_STREAM_FILTER)],
      }),
    );

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: bus.bus.eventBusName });
    new CfnOutput(this, 'EventDeadLetterQueueUrl', { value: bus.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'HistoryDeadLetterQueueUrl', { value: historyDlq.queueUrl });
    if (users) {
      new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId });
    }

    addNagSuppressions(this);
  }

  private requireFunction(name: string): AppFunction {
    const fn = this.functions[name];
    if (!fn) throw new Error(`lib/functions.ts has no function named ${name}`);
    return fn;
  }
}
