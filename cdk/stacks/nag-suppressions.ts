/**
 * The cdk-nag (AWS Solutions) findings this stack accepts, each with its
 * reason, in one place for a reviewer. Called once the stack is complete, so
 * the grants' policies exist.
 */
import { Annotations, Aspects, Stack, type IAspect } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { CfnPolicy, Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { NagSuppressions } from 'cdk-nag';
import { AppFunction } from '../constructs/app-function.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { FunctionSchedule } from '../constructs/function-schedule.js';

/**
 * The only actions a function role may have on `Resource::*`: they support no
 * resource-level permissions (active tracing; a stream event source lists the
 * table's streams).
 */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'];

interface Statement {
  Action?: string | string[];
  Resource?: unknown;
}
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The actions a role's policies grant on `*`, as synthesized. */
function actionsOnEveryResource(role: Role): string[] {
  const stack = Stack.of(role);
  const policies = role.node.findAll().filter((c): c is CfnPolicy => c instanceof CfnPolicy);
  const statements = policies.flatMap((p) => asList((stack.resolve(p.policyDocument) as { Statement?: Statement[] }).Statement));
  return [...new Set(statements.filter((st) => asList(st.Resource).includes('*')).flatMap((st) => asList(st.Action)))].sort();
}

/**
 * Fails synthesis when a function role has any other action on `*` than
 * WILDCARD_RESOURCE_ACTIONS: cdk-nag's IAM5 suppression below is per role
 * and per finding (`Resource::*`), so without this check it would also hide a
 * wildcard added later.
 */
export class WildcardResourceCheck implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof AppFunction) || !(node.role instanceof Role)) return;
    const others = actionsOnEveryResource(node.role).filter((a) => !WILDCARD_RESOURCE_ACTIONS.includes(a));
    if (others.length > 0) {
      Annotations.of(node.role).addError(`${node.node.id}: ${others.join(', ')} on Resource::* (only ${WILDCARD_RESOURCE_ACTIONS.join(', ')} may be)`);
    }
  }
}

export function addNagSuppressions(stack: Stack): void {
  Aspects.of(stack).add(new WildcardResourceCheck());
  for (const construct of stack.node.findAll()) {
    if (construct instanceof AppFunction && construct.role instanceof Role) {
      const allowed = actionsOnEveryResource(construct.role).filter((a) => WILDCARD_RESOURCE_ACTIONS.includes(a));
      if (allowed.length > 0) {
        NagSuppressions.addResourceSuppressions(
          construct.role,
          [
            {
              id: 'AwsSolutions-IAM5',
              reason: `${allowed.join(', ')} on Resource::*: these actions support no resource-level permissions (active tracing; a stream event source). Any other action on * fails synthesis (WildcardResourceCheck).`,
              appliesTo: ['Resource::*'],
            },
          ],
          true,
        );
      }
    }
    if (construct instanceof CfnRoute && construct.authorizationType === 'NONE') {
      NagSuppressions.addResourceSuppressions(construct, [
        { id: 'AwsSolutions-APIG4', reason: `${construct.routeKey} is public by design (SPEC §4: liveness and API docs need no token).` },
      ]);
    }
    if (construct instanceof DeadLetterQueue) {
      NagSuppressions.addResourceSuppressions(construct, [
        { id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue (EventBridge and Scheduler target, Lambda on-failure destination).' },
      ]);
    }
    if (construct instanceof FunctionSchedule) {
      NagSuppressions.addResourceSuppressions(
        construct.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              "lambda:InvokeFunction on the scheduled function's versions and aliases (`<function ARN>:*`), which grantInvoke adds next to the function itself: no other function.",
            appliesTo: [{ regex: '/^Resource::<.+Function[0-9A-F]{8}\\.Arn>:\\*$/g' }],
          },
        ],
        true,
      );
    }
    if (construct instanceof Distribution) {
      NagSuppressions.addResourceSuppressions(construct, [
        { id: 'AwsSolutions-CFR1', reason: 'The console is for the operations and customer-service staff wherever they work; sign-in (Cognito, MFA required) guards it, not geography.' },
        { id: 'AwsSolutions-CFR2', reason: 'The distribution serves static files only (GET/HEAD from a private bucket); the API it calls has its own throttling. A WAF web ACL is an account-level addition.' },
        { id: 'AwsSolutions-CFR4', reason: "Served on CloudFront's default domain and certificate, which does not allow choosing the minimum TLS version; a custom domain with its own certificate lifts this." },
      ]);
    }
    // The BucketDeployment's provider (one per stack): CDK's own function, role and policy for copying the console's files.
    if (construct.node.id.startsWith('Custom::CDKBucketDeployment')) {
      NagSuppressions.addResourceSuppressions(
        construct,
        [
          { id: 'AwsSolutions-IAM4', reason: "CDK's BucketDeployment provider logs with AWSLambdaBasicExecutionRole; the function is CDK's, not ours." },
          {
            id: 'AwsSolutions-IAM5',
            reason: "CDK's BucketDeployment provider copies the console's files from the CDK asset bucket into the console bucket (object wildcards on those two buckets) and invalidates the distribution (CloudFront invalidations take no resource ARN).",
          },
          { id: 'AwsSolutions-L1', reason: "CDK's BucketDeployment provider runs the runtime this aws-cdk-lib version pins; it runs only at deploy time." },
        ],
        true,
      );
    }
    if (construct instanceof UserPool) {
      NagSuppressions.addResourceSuppressions(construct, [
        {
          id: 'AwsSolutions-COG8',
          reason: 'The Plus feature plan (threat protection) is billed per active user: an account-level decision; MFA is required either way.',
        },
      ]);
    }
  }
}
