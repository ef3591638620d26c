/**
 * `npx cdk synth` / `npx cdk deploy`. Settings come from context
 * (`-c name=value` or cdk.json):
 * - `stackName` (default `AlertToCase`)
 * - `dataRemovalPolicy`: `retain` (default) or `destroy`, for the table and user pool
 * - `deletionProtection`: `true` (default) or `false`
 * - `jwtIssuer` + `jwtAudience` (comma-separated): trust an external OIDC issuer instead of a Cognito user pool
 * - `impactScheduleMinutes`: minutes between impact recalculations (default 15, SPEC §5)
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
const impactScheduleMinutes = context('impactScheduleMinutes');
if (impactScheduleMinutes !== undefined && !/^[1-9]\d*$/.test(impactScheduleMinutes)) {
  throw new Error(`impactScheduleMinutes must be a whole number of minutes ≥ 1, not ${impactScheduleMinutes}`);
}

new AlertToCaseStack(app, context('stackName') ?? 'AlertToCase', {
  description: 'alert-to-case: monitoring and security alerts into cases',
  dataRemovalPolicy: context('dataRemovalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  deletionProtection: context('deletionProtection') !== 'false',
  jwt: jwtIssuer && jwtAudience ? { issuer: jwtIssuer, audience: jwtAudience.split(',').map((a) => a.trim()) } : undefined,
  impactScheduleMinutes: impactScheduleMinutes === undefined ? undefined : Number(impactScheduleMinutes),
});

// AWS Solutions checks run on every synth: an unsuppressed finding fails it.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
