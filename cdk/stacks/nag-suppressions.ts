/**
 * The cdk-nag (AWS Solutions) findings this stack accepts, each with its
 * reason, in one place for a reviewer. Called once the stack is complete, so
 * the grants' policies exist.
 */
import type { Stack } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { NagSuppressions } from 'cdk-nag';
import { AppFunction } from '../constructs/app-function.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { FunctionSchedule } from '../constructs/function-schedule.js';

export function addNagSuppressions(stack: Stack): void {
  for (const construct of stack.node.findAll()) {
    if (construct instanceof AppFunction && construct.role) {
      NagSuppressions.addResourceSuppressions(
        construct.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'xray:PutTraceSegments/PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream event source) support no resource-level permissions.',
            appliesTo: ['Resource::*'],
          },
        ],
        true,
      );
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
