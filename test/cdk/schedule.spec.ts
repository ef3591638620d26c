import { everyMinutesOf, FUNCTIONS, IMPACT_SCHEDULE_MINUTES } from '../../lib/functions.js';
import { expectSafeDeadLetterQueue, queueIdOf } from './queues.js';
import { functionLogicalId, resourcesOf, defaultStack, synthStack } from './synth.js';

const { stack, template } = defaultStack();
const scheduleFunctions = FUNCTIONS.filter((f) => f.trigger === 'schedule');
const scheduleCases = scheduleFunctions.map((f) => [f.name] as const);

const functionArn = (name: string) => ({ 'Fn::GetAtt': [functionLogicalId(stack, name), 'Arn'] });
const scheduleOf = (name: string, t = template) => {
  const found = Object.values(resourcesOf(t, 'AWS::Scheduler::Schedule')).filter(
    (s) => JSON.stringify(s.Properties.Target.Arn) === JSON.stringify(functionArn(name)),
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
};

describe('the schedule', () => {
  it('invokes each schedule function of lib/functions.ts, impact-schedule among them', () => {
    expect(scheduleFunctions.map((f) => f.name)).toContain('impact-schedule');
    template.resourceCountIs('AWS::Scheduler::Schedule', scheduleFunctions.length);
  });

  const minutes = (name: string) => everyMinutesOf(FUNCTIONS.find((f) => f.name === name)!);
  it('runs the impact recalculation every 15 minutes by default, and the timer sweep every minute', () => {
    expect([IMPACT_SCHEDULE_MINUTES, minutes('impact-schedule'), minutes('timers')]).toEqual([15, 15, 1]);
  });

  it.each(scheduleCases)('runs %s at its interval, on time', (name) => {
    expect(scheduleOf(name)).toMatchObject({
      ScheduleExpression: minutes(name) === 1 ? 'rate(1 minute)' : `rate(${minutes(name)} minutes)`,
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
  });

  it.each(scheduleCases)('retries delivering to %s until the next run is due', (name) => {
    const { RetryPolicy } = scheduleOf(name).Target;
    expect(RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(RetryPolicy.MaximumEventAgeInSeconds).toBe(Math.max(60, minutes(name) * 60));
  });

  it.each(scheduleCases)('parks runs of %s that were never delivered, or failed, in its own safe dead-letter queue', (name) => {
    const queueId = queueIdOf(scheduleOf(name).Target.DeadLetterConfig.Arn);
    expectSafeDeadLetterQueue(template, queueId);
    expect(Object.values(template.findOutputs('*', { Value: { Ref: queueId } }))).toHaveLength(1);
    // Scheduler invokes asynchronously: a run the function failed is not retried (the next run is) but parked.
    const invokeConfig = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).find(
      (c) => c.Properties.FunctionName.Ref === functionLogicalId(stack, name),
    );
    expect(invokeConfig?.Properties).toMatchObject({
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it.each(scheduleCases)('acts for %s with a role Scheduler alone assumes, which may invoke it and fill its queue', (name) => {
    const { Target } = scheduleOf(name);
    const roleId = Target.RoleArn['Fn::GetAtt'][0] as string;
    const queueId = queueIdOf(Target.DeadLetterConfig.Arn);
    const [trust] = resourcesOf(template, 'AWS::IAM::Role')[roleId].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: expect.arrayContaining([functionArn(name)]) }),
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } }),
      ]),
    );
  });

  it('runs the impact recalculation at the rate the stack is given, and the timer sweep every minute still', () => {
    const { template: every5 } = synthStack({ impactScheduleMinutes: 5 });
    expect(scheduleOf('impact-schedule', every5).ScheduleExpression).toBe('rate(5 minutes)');
    expect(scheduleOf('impact-schedule', every5).Target.RetryPolicy.MaximumEventAgeInSeconds).toBe(300);
    expect(scheduleOf('timers', every5).ScheduleExpression).toBe('rate(1 minute)');
  });

  it.each([0, -5, 2.5])('refuses a rate of %s minutes', (minutes) => {
    expect(() => synthStack({ impactScheduleMinutes: minutes })).toThrow(/whole number of minutes/);
  });
});
