/**
 * A function invoked on a fixed rate by EventBridge Scheduler, with a
 * dead-letter queue for invocations that never reached it and for runs that
 * failed.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';

export interface FunctionScheduleProps {
  fn: IFunction;
  /** The function's name in lib/functions.ts: its dead-letter queue's alarm is `<stack>-dlq-schedule-<name>`. */
  name: string;
  /** Whole minutes between runs. */
  everyMinutes: number;
  description?: string;
}

const clamp = (value: Duration, min: Duration, max: Duration) =>
  Duration.seconds(Math.min(Math.max(value.toSeconds(), min.toSeconds()), max.toSeconds()));

export class FunctionSchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: DeadLetterQueue;
  /** What Scheduler acts as: may invoke the function and send to the dead-letter queue. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    if (!Number.isInteger(props.everyMinutes) || props.everyMinutes < 1) {
      throw new Error(`a schedule runs every whole number of minutes (≥ 1), not ${props.everyMinutes}`);
    }
    const interval = Duration.minutes(props.everyMinutes);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      label: `schedule-${props.name}`,
      holds: `runs of ${props.name} that Scheduler could not deliver, or that failed`,
    });
    // Its own role (rather than the one the target would create at stack level), assumable only by
    // Scheduler acting for a schedule of this account's default group.
    const stack = Stack.of(this);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });

    this.schedule = new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.rate(interval),
      description: props.description,
      target: new LambdaInvoke(props.fn, {
        role: this.role,
        // Scheduler retries failed deliveries (throttling, service errors) until the next run is due:
        // an older invocation is superseded by the next one.
        retryAttempts: 10,
        maxEventAge: clamp(interval, Duration.minutes(1), Duration.hours(24)),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });

    // Scheduler invokes asynchronously. A run that failed is not retried (the next run is the
    // retry, and a retried long run would overlap it) but parked in the queue, whose alarm tells someone.
    props.fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: clamp(interval, Duration.minutes(1), Duration.hours(6)),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
  }
}
