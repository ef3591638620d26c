import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WILDCARD_RESOURCE_ACTIONS } from '../../cdk/stacks/nag-suppressions.js';
import { synthStack } from './synth.js';

describe('AWS Solutions checks (cdk-nag)', () => {
  it('find nothing that is not suppressed with a reason', () => {
    const { app, stack } = synthStack();
    Aspects.of(app).add(new AwsSolutionsChecks());
    // With cdk.json's feature flags an unsuppressed error fails synthesis, naming the rule and the resource.
    const annotations = Annotations.fromStack(stack);
    const summarize = (found: ReturnType<typeof annotations.findError>) => found.map((f) => `${f.id}: ${String(f.entry.data).split(':')[0]}`);
    expect(summarize(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-')))).toEqual([]);
    expect(summarize(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-')))).toEqual([]);
  });

  it('suppress a wildcard resource only for the actions that need one, so a new wildcard on any function role fails', () => {
    const { app, stack } = synthStack();
    stack.functions['cases-api'].addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    Aspects.of(app).add(new AwsSolutionsChecks());
    // Synthesis fails, naming the role and the action.
    expect(() => Annotations.fromStack(stack)).toThrow(/CasesApiFunction: s3:GetObject on Resource::\*/);
    expect(WILDCARD_RESOURCE_ACTIONS).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams']);
  });
});
