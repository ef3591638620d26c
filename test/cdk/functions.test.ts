import { Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../../lib/functions.js';
import { TABLE_NAME_ENV } from '../../lib/store/table.js';
import { functionLogicalId, resourcesOf, synthStack } from './synth.js';

const { stack, template } = synthStack();
const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));

/** The newest Node.js runtime this aws-cdk-lib knows, the one cdk-nag's AwsSolutions-L1 asks for. */
const latestNodeRuntime = Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS && /^nodejs\d+\.x$/.test(r.name))
  .map((r) => r.name)
  .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
  .at(-1);

const functionProps = (name: string) => resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(stack, name)].Properties;

/** Every DynamoDB action a function's role may take on the table (or its indexes). */
function tableActionsOf(name: string): Set<string> {
  const roleId = functionProps(name).Role['Fn::GetAtt'][0] as string;
  const actions = new Set<string>();
  for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    if (!policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId)) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      if (!JSON.stringify(statement.Resource).includes(`"${tableId}","Arn"`)) continue;
      for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return actions;
}

describe('the functions', () => {
  it('are one per entry of lib/functions.ts', () => {
    template.resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length);
  });

  it.each(FUNCTIONS.map((f) => [f.name]))('%s runs on arm64 with the latest Node.js runtime', (name) => {
    expect(latestNodeRuntime).toBeDefined();
    expect(functionProps(name)).toMatchObject({ Runtime: latestNodeRuntime, Architectures: ['arm64'], Handler: 'index.handler' });
  });

  it.each(FUNCTIONS.map((f) => [f.name]))('%s is traced and maps stack traces to source', (name) => {
    const props = functionProps(name);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Environment.Variables).toMatchObject({ NODE_OPTIONS: '--enable-source-maps' });
  });

  it.each(FUNCTIONS.filter((f) => f.table).map((f) => [f.name]))('%s knows the table', (name) => {
    expect(functionProps(name).Environment.Variables).toMatchObject({ [TABLE_NAME_ENV]: { Ref: tableId } });
  });

  it.each(FUNCTIONS.filter((f) => !f.table).map((f) => [f.name]))('%s has no table: neither its name nor any grant', (name) => {
    expect(functionProps(name).Environment.Variables).not.toHaveProperty(TABLE_NAME_ENV);
    expect([...tableActionsOf(name)]).toEqual([]);
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s has the timeout lib/functions.ts gives it', (name, spec) => {
    const timeout = functionProps(name).Timeout as number;
    expect(timeout).toBe(spec.timeoutSeconds);
    // API Gateway gives up after 30 s: an HTTP function must answer before.
    if (spec.trigger === 'http') expect(timeout).toBeLessThan(30);
  });

  it('give the catalog imports 29 s and the impact schedule 10 minutes', () => {
    expect(functionProps('catalog-api').Timeout).toBe(29);
    expect(functionProps('impact-schedule').Timeout).toBe(600);
  });

  it.each(FUNCTIONS.map((f) => [f.name]))('%s logs as JSON to its own log group, which expires', (name) => {
    const props = functionProps(name);
    const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
    expect(props.LoggingConfig.LogFormat).toBe('JSON');
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it.each(FUNCTIONS.filter((f) => f.table).map((f) => [f.name, f.table!] as const))('%s may %s the table, nothing more', (name, access) => {
    const actions = tableActionsOf(name);
    const reads = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    for (const action of reads) expect({ action, granted: actions.has(action) }).toEqual({ action, granted: access !== 'write' });
    for (const action of writes) expect({ action, granted: actions.has(action) }).toEqual({ action, granted: access !== 'read' });
    if (access === 'readwrite') expect(actions.has('dynamodb:ConditionCheckItem')).toBe(true);
  });

  it('let the history writer write but not read the table', () => {
    const actions = tableActionsOf('history');
    expect(actions.has('dynamodb:PutItem')).toBe(true);
    for (const read of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem']) expect(actions.has(read)).toBe(false);
  });

  it.each(FUNCTIONS.map((f) => [f.name]))('%s may write to its own log group only, not through AWSLambdaBasicExecutionRole', (name) => {
    const props = functionProps(name);
    const roleId = props.Role['Fn::GetAtt'][0] as string;
    const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
    expect(resourcesOf(template, 'AWS::IAM::Role')[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
        ]),
      },
    });
  });
});
