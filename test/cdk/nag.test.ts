import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
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
});
