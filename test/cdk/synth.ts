/**
 * Builds the stack the way `npx cdk synth` does (cdk.json's feature flags),
 * with esbuild bundling skipped unless a test asks for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../cdk/constructs/app-function.js';
import { AlertToCaseStack, type AlertToCaseStackProps } from '../../cdk/stacks/alert-to-case-stack.js';

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

export interface SynthOptions {
  /** Run esbuild for real (slow). */
  bundle?: boolean;
  outdir?: string;
}

export function synthStack(props: AlertToCaseStackProps = {}, options: SynthOptions = {}) {
  const app = new App({
    outdir: options.outdir,
    context: { ...cdkJson.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new AlertToCaseStack(app, 'AlertToCaseTest', props);
  return { app, stack, template: Template.fromStack(stack) };
}

let shared: ReturnType<typeof synthStack> | undefined;
/**
 * The stack with default props, synthesized once for every spec of test/cdk/stack.test.ts that only reads it.
 * A test that changes what it synthesizes (adds an aspect, a policy) takes its own from synthStack.
 */
export function defaultStack() {
  shared ??= synthStack();
  return shared;
}

type Resources = Record<string, { Type: string; Properties: Record<string, any>; [key: string]: unknown }>;

/** Resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id of the Lambda function built for a lib/functions.ts entry. */
export function functionLogicalId(stack: AlertToCaseStack, name: string): string {
  const fn = stack.functions[name];
  if (!fn) throw new Error(`the stack has no function named ${name}`);
  return stack.getLogicalId(fn.node.defaultChild as CfnElement);
}
