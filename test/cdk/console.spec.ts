/**
 * The console in the stack (SPEC §8): a private bucket behind CloudFront with
 * origin access control, a Cognito app client for code + PKCE with its hosted
 * domain, the API accepting that client's tokens from the console's origin,
 * and no trace of the local-only sign-in route.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { LOCAL_TOKEN_PATH } from '../../local/http-adapter.js';
import { functionLogicalId, resourcesOf, defaultStack } from './synth.js';

const { stack, template } = defaultStack();
const json = JSON.stringify(template.toJSON());
const [distributionId] = Object.keys(resourcesOf(template, 'AWS::CloudFront::Distribution'));

describe('the console in the stack', () => {
  it('keeps its files in private, encrypted buckets that refuse plain HTTP', () => {
    const buckets = Object.values(resourcesOf(template, 'AWS::S3::Bucket'));
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    for (const bucket of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('serves them through CloudFront with origin access control, over HTTPS only, with logs', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const { DistributionConfig: config } = resourcesOf(template, 'AWS::CloudFront::Distribution')[distributionId].Properties;
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Origins[0].S3OriginConfig).toBeDefined();
    expect(config.Logging).toBeDefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
  });

  it("sends every file with the console's CSP (naming the API and the sign-in domain) and nosniff", () => {
    const { DistributionConfig: config } = resourcesOf(template, 'AWS::CloudFront::Distribution')[distributionId].Properties;
    const policyId = config.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref as string;
    const headers = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy')[policyId].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of ["script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "connect-src 'self' https://"]) expect(csp).toContain(directive);
    // The API by its region's API Gateway host (its id would make a cycle: its CORS names the distribution), and the
    // Cognito domain itself.
    expect(csp).toContain('https://*.execute-api.');
    const [domainId] = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPoolDomain'));
    expect(csp).toContain(domainId);
  });

  it('signs people in through a Cognito app client for the authorization code flow with PKCE (no secret) and a hosted domain', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const clients = Object.entries(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
    const [consoleId, consoleClient] = clients.find(([, c]) => c.Properties.AllowedOAuthFlows)!;
    expect(consoleClient.Properties).toMatchObject({ AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: false });
    expect(JSON.stringify(consoleClient.Properties.CallbackURLs)).toContain('/console/');
    // The API takes the console client's tokens as well as the API client's.
    const [authorizer] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizer.Properties.JwtConfiguration.Audience).toContainEqual({ Ref: consoleId });
  });

  it("lets the console's origin call the API from a browser", () => {
    const [api] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Api'));
    const cors = api.Properties.CorsConfiguration;
    expect(JSON.stringify(cors.AllowOrigins)).toContain(distributionId);
    expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'if-match', 'if-none-match', 'idempotency-key']));
    expect(cors.ExposeHeaders).toEqual(['etag']);
  });

  it('puts the built console and its config (the API, the sign-in) in the bucket, and GET /console on the API leads there', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    const env = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(stack, 'public-api')].Properties.Environment.Variables;
    expect(JSON.stringify(env.CONSOLE_URL)).toContain(distributionId);
    expect(Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey)).toContain('GET /console');
  });

  it("keeps the files of the deploy before, so a page loaded before it still finds its chart chunk", () => {
    const [deployment] = Object.values(resourcesOf(template, 'Custom::CDKBucketDeployment'));
    expect(deployment.Properties.Prune).toBe(false);
  });

  it('has no local-only sign-in route: nothing in the template names it', () => {
    expect(LOCAL_TOKEN_PATH).toBe('/_local/token');
    expect(json).not.toContain('_local');
    expect(Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).some((r) => String(r.Properties.RouteKey).includes('token'))).toBe(false);
  });
});
