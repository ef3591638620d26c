import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../../lib/functions.js';
import { ROLES } from '../../lib/contract/permissions.js';
import { OPERATIONS as ROUTES } from '../../lib/contract/api.js';
import type { Operation as RouteSpec } from '../../lib/contract/operation.js';

const routeKeyOf = (r: RouteSpec) => r.key;
import { functionLogicalId, resourcesOf, defaultStack, synthStack } from './synth.js';

const { stack, template } = defaultStack();
const routes = ROUTES as readonly RouteSpec[];

const deployedRoutes = () =>
  new Map(Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map((r) => [r.Properties.RouteKey as string, r.Properties]));

/** `integrations/<ref>` → the integration's properties. */
function integrationOf(route: Record<string, any>) {
  const target = route.Target['Fn::Join'][1] as unknown[];
  const ref = (target.find((part) => typeof part === 'object') as { Ref: string }).Ref;
  return resourcesOf(template, 'AWS::ApiGatewayV2::Integration')[ref].Properties;
}

describe('the HTTP API', () => {
  it('has exactly the routes of lib/http/routes.ts', () => {
    expect([...deployedRoutes().keys()].sort()).toEqual(routes.map(routeKeyOf).sort());
  });

  it.each(routes.map((r) => [routeKeyOf(r), r] as const))('%s reaches the function of its group with payload 2.0', (key, route) => {
    const integration = integrationOf(deployedRoutes().get(key)!);
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(integration.IntegrationUri).toEqual({ 'Fn::GetAtt': [functionLogicalId(stack, route.fn), 'Arn'] });
  });

  it('asks for a JWT on every route that names a permission', () => {
    const [authorizerId] = Object.keys(resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer'));
    for (const route of routes.filter((r) => r.permission)) {
      expect(deployedRoutes().get(routeKeyOf(route))).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('lets the public routes through without a token', () => {
    const publicRoutes = routes.filter((r) => !r.permission);
    expect(publicRoutes.map(routeKeyOf)).toContain('GET /health');
    for (const route of publicRoutes) {
      const deployed = deployedRoutes().get(routeKeyOf(route))!;
      expect(deployed.AuthorizationType).toBe('NONE');
      expect(deployed.AuthorizerId).toBeUndefined();
    }
  });

  it('reaches only functions without table access from the public routes', () => {
    // A route without a token must not be a way into the data: its function gets neither a grant nor the table's name.
    for (const route of routes.filter((r) => !r.permission && !r.ingest)) {
      expect({ route: routeKeyOf(route), table: FUNCTIONS.find((f) => f.name === route.fn)?.table }).toEqual({ route: routeKeyOf(route), table: undefined });
      expect(FUNCTIONS.find((f) => f.name === route.fn)).toBeDefined();
    }
  });

  it("serves the ingest routes without the JWT authorizer, from a function of their own that checks an integration's key", () => {
    const ingest = routes.filter((r) => r.ingest);
    expect(ingest.map(routeKeyOf).sort()).toEqual(['POST /integrations/alertmanager', 'POST /integrations/pagerduty/v2/enqueue']);
    for (const route of ingest) {
      const deployed = deployedRoutes().get(routeKeyOf(route))!;
      expect([routeKeyOf(route), deployed.AuthorizationType]).toEqual([routeKeyOf(route), 'NONE']);
      expect(route.fn).toBe('ingest-api');
    }
    // Nothing else is served by that function: a key opens the ingest routes only.
    expect(routes.filter((r) => r.fn === 'ingest-api').every((r) => r.ingest)).toBe(true);
  });

  it("trusts tokens of its own user pool (its API client's and the console's), whose groups are the four roles", () => {
    const [poolId] = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPool'));
    const clientIds = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
    expect(clientIds).toHaveLength(2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] }, Audience: Match.arrayWith(clientIds.map((id) => ({ Ref: id }))) },
    });
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    template.hasOutput('UserPoolId', { Value: { Ref: poolId } });
  });

  it('trusts an external OIDC issuer instead, when one is given, and creates no user pool', () => {
    const jwt = { issuer: 'https://login.example.com/tenant', audience: ['alert-to-case'] };
    const { template: external } = synthStack({ jwt });
    external.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: jwt.issuer, Audience: jwt.audience },
    });
    external.resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  it('logs every request and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('gives each ingest route (no token needed) a throttle of its own, after its route exists', () => {
    const [[stageId, stage]] = Object.entries(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    const ingest = routes.filter((r) => r.ingest).map(routeKeyOf);
    expect(ingest).toHaveLength(2);
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual([...ingest].sort());
    for (const key of ingest) expect(stage.Properties.RouteSettings[key]).toEqual({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
    const routeIds = Object.entries(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).filter(([, r]) => ingest.includes(r.Properties.RouteKey)).map(([id]) => id);
    expect(resourcesOf(template, 'AWS::ApiGatewayV2::Stage')[stageId].DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('may invoke each function it integrates', () => {
    for (const fn of new Set(routes.map((r) => r.fn))) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [functionLogicalId(stack, fn), 'Arn'] },
      });
    }
  });

  it('publishes the URL clients call', () => {
    const [apiId] = Object.keys(resourcesOf(template, 'AWS::ApiGatewayV2::Api'));
    template.hasOutput('ApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://', { Ref: apiId }])] } });
  });
});
