/**
 * The event bus and its rules, from lib/events/rules.ts: the local EventBridge
 * endpoint routes by the very same patterns.
 *
 * The bus exists before the functions (publishers need its name and a grant);
 * the rules are added once the functions they target exist (`addRules`).
 */
import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule, type EventPattern, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import type { Pattern } from '../../lib/events/patterns.js';
import { BUS_NAME, BUS_RULES, EVENT_BUS_ENV } from '../../lib/events/rules.js';
import { DeadLetterQueue } from './dead-letter-queue.js';

/**
 * Turns a pattern as EventBridge writes it into CDK's EventPattern. CDK renders
 * `detailType` back as `detail-type` and passes every other field through
 * unchanged, content filters such as `anything-but` included.
 */
export function toEventPattern(pattern: Pattern): EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...(detailType ? { detailType } : {}), ...rest } as EventPattern;
}

export class AlertBus extends Construct {
  readonly bus: EventBus;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: BUS_NAME });
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      label: 'event-targets',
      holds: 'bus events a rule could not deliver to its function, or the function failed on after its retries',
    });
  }

  /** Lets a function put events on the bus and tells it the bus's name. */
  bindPublisher(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.bus.grantPutEventsTo(fn);
    fn.addEnvironment(EVENT_BUS_ENV, this.bus.eventBusName);
  }

  /** One rule per entry of BUS_RULES. `functions`: the functions rules may target, by their name in lib/functions.ts. */
  addRules(functions: Record<string, IFunction>): void {
    const configured = new Set<IFunction>();
    let defaultBus: IEventBus | undefined;
    for (const rule of BUS_RULES) {
      const fn = functions[rule.target];
      if (!fn) throw new Error(`bus rule ${rule.name} targets unknown function ${rule.target}`);
      new Rule(this, `Rule-${rule.name}`, {
        // AWS services put their events on the account's default bus.
        eventBus: rule.bus === 'default' ? (defaultBus ??= EventBus.fromEventBusName(this, 'DefaultBus', 'default')) : this.bus,
        description: `${rule.name} → ${rule.target}`,
        eventPattern: toEventPattern(rule.pattern),
        targets: [
          new LambdaFunction(fn, {
            // EventBridge retries only failed deliveries (throttling, service errors), with backoff.
            maxEventAge: Duration.hours(6),
            retryAttempts: 50,
            deadLetterQueue: this.deadLetterQueue,
          }),
        ],
      });
      // EventBridge invokes asynchronously: errors thrown by the function are retried by
      // Lambda, and an event that still fails lands in the same queue instead of vanishing.
      if (!configured.has(fn)) {
        fn.configureAsyncInvoke({
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
          onFailure: new SqsDestination(this.deadLetterQueue),
        });
        configured.add(fn);
      }
    }
  }
}
