import { Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS, TABLE_ACTIONS, type FunctionSpec } from '../../lib/functions.js';
import { INDEXES, TABLE_NAME_ENV } from '../../lib/store/table.js';
import { functionLogicalId, resourcesOf, defaultStack } from './synth.js';

const { stack, template } = defaultStack();
const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));

/** The newest Node.js runtime this aws-cdk-lib knows, the one cdk-nag's AwsSolutions-L1 asks for. */
const latestNodeRuntime = Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS && /^nodejs\d+\.x$/.test(r.name))
  .map((r) => r.name)
  .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
  .at(-1);

const functionProps = (name: string) => resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(stack, name)].Properties;

/** Every statement of the policies attached to a function's role. */
function statementsOf(name: string): { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const roleId = functionProps(name).Role['Fn::GetAtt'][0] as string;
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** A resource of a policy statement as `table`, `index/<name>`, `stream` or `*`; anything else as its JSON. */
function resourceLabel(resource: unknown): string {
  const json = JSON.stringify(resource);
  if (json === JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] })) return 'table';
  if (json === JSON.stringify({ 'Fn::GetAtt': [tableId, 'StreamArn'] })) return 'stream';
  if (resource === '*') return '*';
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join && join[0] === '' && join[1].length === 2 && JSON.stringify(join[1][0]) === JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] })) {
    return String(join[1][1]).replace(/^\//, ''); // `${tableArn}/index/<name>` → index/<name>
  }
  return json;
}

/** Every `dynamodb:<action> on <resource>` a function's role allows, sorted. */
function dynamoGrantsOf(name: string): string[] {
  const grants = new Set<string>();
  for (const statement of statementsOf(name)) {
    const actions = [statement.Action].flat().filter((action) => action.startsWith('dynamodb:'));
    if (actions.length === 0) continue;
    expect(statement.Effect).toBe('Allow');
    for (const action of actions) for (const resource of [statement.Resource].flat()) grants.add(`${action} on ${resourceLabel(resource)}`);
  }
  return [...grants].sort();
}

/** What lib/functions.ts says a function may do with the table (and, for a stream function, what its event source needs). */
function expectedGrantsOf(spec: FunctionSpec): string[] {
  const grants = [
    ...(spec.table?.actions ?? []).map((action) => `dynamodb:${action} on table`),
    ...(spec.table?.indexes ?? []).map((index) => `dynamodb:Query on index/${index}`),
    // The stream event source: the stream itself, and ListStreams, which has no resource-level permissions.
    ...(spec.trigger === 'stream'
      ? ['dynamodb:DescribeStream on stream', 'dynamodb:GetRecords on stream', 'dynamodb:GetShardIterator on stream', 'dynamodb:ListStreams on *']
      : []),
  ];
  return [...new Set(grants)].sort();
}

/** Every DynamoDB action a function's role may take on the table or its indexes (not its stream). */
function tableActionsOf(name: string): Set<string> {
  return new Set(
    dynamoGrantsOf(name)
      .filter((grant) => / on (table|index\/.+)$/.test(grant))
      .map((grant) => grant.split(' ')[0]),
  );
}

describe('the functions', () => {
  it("are one per entry of lib/functions.ts, besides CDK's provider that copies the console's files", () => {
    const ids = Object.keys(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(ids.filter((id) => !id.startsWith('CustomCDKBucketDeployment'))).toHaveLength(FUNCTIONS.length);
    expect(ids.filter((id) => id.startsWith('CustomCDKBucketDeployment'))).toHaveLength(1);
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

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))(
    '%s may take exactly the table actions and query exactly the indexes lib/functions.ts declares, nothing else of DynamoDB',
    (name, spec) => {
      expect(dynamoGrantsOf(name)).toEqual(expectedGrantsOf(spec));
      // …and nothing arrives by another way: no inline or managed policies on the role itself.
      const role = resourcesOf(template, 'AWS::IAM::Role')[functionProps(name).Role['Fn::GetAtt'][0]].Properties;
      expect(role.Policies).toBeUndefined();
      expect(role.ManagedPolicyArns).toBeUndefined();
    },
  );

  it('declare only actions and indexes that exist, and every table function at least one action', () => {
    const indexNames: string[] = INDEXES.map((i) => i.name);
    const actions: readonly string[] = TABLE_ACTIONS;
    for (const spec of FUNCTIONS.filter((f) => f.table)) {
      const { actions: declared, indexes } = spec.table!;
      expect({ fn: spec.name, unknown: declared.filter((a) => !actions.includes(a)) }).toEqual({ fn: spec.name, unknown: [] });
      expect({ fn: spec.name, unknown: indexes.filter((i) => !indexNames.includes(i)) }).toEqual({ fn: spec.name, unknown: [] });
      expect(declared.length + indexes.length).toBeGreaterThan(0);
    }
  });

  it('grant no wildcard on the table: no index/*, no dynamodb:*, no Scan', () => {
    const everyStatement = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(JSON.stringify(everyStatement)).not.toContain('/index/*');
    const dynamoActions = everyStatement
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
      .filter((a: string) => a.startsWith('dynamodb:'));
    expect(dynamoActions).not.toContain('dynamodb:*');
    expect(dynamoActions).not.toContain('dynamodb:Scan');
  });

  it('let the functions that query indexes query them by name', () => {
    // Not a vacuous check: some function does query an index, and its grant names it.
    const querying = FUNCTIONS.filter((f) => (f.table?.indexes.length ?? 0) > 0);
    expect(querying.length).toBeGreaterThan(0);
    for (const spec of querying) expect(dynamoGrantsOf(spec.name)).toContain(`dynamodb:Query on index/${spec.table!.indexes[0]}`);
  });

  it('let the history writer write but not read the table', () => {
    const actions = tableActionsOf('history');
    expect(actions.has('dynamodb:BatchWriteItem')).toBe(true);
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

describe('the metrics rebuild (an operator invokes it)', () => {
  const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
  const [metricsMappingId] = Object.entries(mappings).filter(([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: functionLogicalId(stack, 'metrics') })).map(([id]) => id);

  it('is told the metrics function’s stream mapping, and may look at it and pause it, no other', () => {
    expect(metricsMappingId).toBeDefined();
    expect(functionProps('metrics-rebuild').Environment.Variables.PAUSED_MAPPING_UUID).toEqual({ Ref: metricsMappingId });
    const lambdaStatements = statementsOf('metrics-rebuild').filter((s) => [s.Action].flat().some((a) => a.startsWith('lambda:')));
    expect(lambdaStatements).toHaveLength(1);
    expect(lambdaStatements[0]).toMatchObject({ Effect: 'Allow', Action: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'] });
    // The mapping's own ARN: no wildcard, no other mapping.
    expect(JSON.stringify(lambdaStatements[0].Resource)).toContain(metricsMappingId);
    expect(JSON.stringify(lambdaStatements[0].Resource)).not.toContain('*');
  });

  it('runs on no trigger: no stream, schedule, rule or route invokes it', () => {
    const id = functionLogicalId(stack, 'metrics-rebuild');
    const mentions = (type: string) => Object.values(resourcesOf(template, type)).filter((r) => JSON.stringify(r).includes(`"${id}"`));
    for (const type of ['AWS::Lambda::EventSourceMapping', 'AWS::Scheduler::Schedule', 'AWS::Events::Rule', 'AWS::ApiGatewayV2::Integration', 'AWS::Lambda::Permission']) expect(mentions(type)).toEqual([]);
  });
});
