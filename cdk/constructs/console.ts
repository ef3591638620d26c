/**
 * The console in AWS (SPEC §8): its files in a private S3 bucket, served by
 * CloudFront through origin access control, and (with the stack's Cognito
 * pool) an app client and a hosted sign-in domain for authorization code with
 * PKCE. The files are built with esbuild at synth (web/build.ts), with a
 * `config.json` naming the API and the sign-in; the local-only sign-in route
 * of `npm start` is never part of it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { OAuthScope, UserPoolClient, UserPoolClientIdentityProvider, type UserPool } from 'aws-cdk-lib/aws-cognito';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildConsole, CONSOLE_PATH, consoleSecurityHeaders } from '../../web/build.js';

/** `/console` and `/console/` are the page; every other path is a file under `console/` in the bucket. */
const REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '${CONSOLE_PATH}' || request.uri === '${CONSOLE_PATH}/') request.uri = '${CONSOLE_PATH}/index.html';
  return request;
}`;

export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** The Cognito app client the console signs in with, when the stack has a user pool. */
  client?: UserPoolClient;
  private signIn?: { authority: string; clientId: string };
  /** Where the console's page calls besides its own origin (API Gateway's hosts in the region, the sign-in domain): its CSP's `connect-src`. */
  private connect: string[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Access logs of the bucket and of the distribution (CloudFront standard logging needs ACLs on its target).
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SPEC §8: the console's CSP (as the local server sends it, naming the API and the sign-in domain) and nosniff on every file.
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'alert-to-case console: CSP naming the API and the sign-in domain, nosniff, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({ produce: () => consoleSecurityHeaders(this.connect)['content-security-policy'] }),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'alert-to-case console',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: new CloudFrontFunction(this, 'Rewrite', { code: FunctionCode.fromInline(REWRITE) }) }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
  }

  /** Where the console is. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}${CONSOLE_PATH}/`;
  }

  /** An app client for the console on the user pool (code + PKCE, back to the console), and the pool's hosted sign-in domain. */
  addSignIn(userPool: UserPool): UserPoolClient {
    const domain = userPool.addDomain('ConsoleSignIn', { cognitoDomain: { domainPrefix: `alert-to-case-${Stack.of(this).account}` } });
    this.client = userPool.addClient('ConsoleClient', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
    this.signIn = { authority: domain.baseUrl(), clientId: this.client.userPoolClientId };
    return this.client;
  }

  /** Puts the built console and its `config.json` (the API's URL, the sign-in) into the bucket. */
  deploy(apiUrl: string, logRetention: RetentionDays): BucketDeployment {
    const dir = mkdtempSync(join(tmpdir(), 'alert-to-case-console-'));
    for (const [name, file] of buildConsole({})) if (name !== 'config.json') writeFileSync(join(dir, name), file.body);
    // The API by its region's API Gateway host, not by its id: the API lets the console's origin call it (CORS names the
    // distribution), so the distribution's headers cannot name the API in turn (a dependency cycle).
    this.connect = [`https://*.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`, ...(this.signIn ? [this.signIn.authority] : [])];
    const config = this.signIn
      ? { mode: 'cognito', apiUrl, authority: this.signIn.authority, clientId: this.signIn.clientId, redirectUri: this.url }
      : { mode: 'none', apiUrl };
    return new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(dir), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_PATH.slice(1),
      distribution: this.distribution,
      distributionPaths: [`${CONSOLE_PATH}/*`],
      // The files of the deploy before stay: a page loaded before it still loads its chart chunk (named by its hash) after.
      prune: false,
      memoryLimit: 256,
      // Its logs expire with the stack's others (CDK's default keeps them for ever).
      logGroup: new LogGroup(this, 'DeployLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
  }
}
