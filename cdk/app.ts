/**
 * `npx cdk synth` / `npx cdk deploy`. Settings come from context
 * (`-c name=value` or cdk.json):
 * - `stackName` (default `AlertToCase`)
 * - `dataRemovalPolicy`: `retain` (default) or `destroy`, for the table and user pool
 * - `deletionProtection`: `true` (default) or `false`
 * - `jwtIssuer` + `jwtAudience` (comma-separated): trust an external OIDC issuer instead of a Cognito user pool
 */
import { App, Aspects, RemovalPolicy } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlertToCaseStack } from './stacks/alert-to-case-stack.js';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};

const jwtIssuer = context('jwtIssuer');
const jwtAudience = context('jwtAudience');
if (Boolean(jwtIssuer) !== Boolean(jwtAudience)) throw new Error('give both jwtIssuer and jwtAudience, or neither');

new AlertToCaseStack(app, context('stackName') ?? 'AlertToCase', {
  description: 'alert-to-case: monitoring and security alerts into cases',
  dataRemovalPolicy: context('dataRemovalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  deletionProtection: context('deletionProtection') !== 'false',
  jwt: jwtIssuer && jwtAudience ? { issuer: jwtIssuer, audience: jwtAudience.split(',').map((a) => a.trim()) } : undefined,
});

// AWS Solutions checks run on every synth: an unsuppressed finding fails it.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
