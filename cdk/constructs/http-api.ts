/**
 * The HTTP API: one route per operation of lib/contract/api.ts, each integrated
 * with the function of its group. Routes that name a permission need a valid
 * JWT (API Gateway answers 401 before any function runs); the handler then
 * checks the caller's roles against the permission (403). Public routes have
 * no authorizer.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type IHttpRouteAuthorizer,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OPERATIONS } from '../../lib/contract/api.js';
import type { FunctionGroup } from '../../lib/contract/operation.js';

/** One JSON line per request, with HTTP API variables (the CDK default format uses REST API ones). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
  }),
);

export interface JwtIssuer {
  /** The token issuer (`iss`), e.g. `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  issuer: string;
  /** Accepted audiences (`aud`, or `client_id` of an access token). */
  audience: string[];
}

export interface AppHttpApiProps {
  functions: Record<FunctionGroup, IFunction>;
  jwt: JwtIssuer;
  /** @default 50 requests/s steady, 100 burst, for the whole stage */
  throttle?: ThrottleSettings;
  /**
   * Each ingest route's own limit (SPEC §2 Alert sources): senders that need
   * no token, kept apart from people's routes, so a flood of webhooks (or of
   * guessed keys) cannot use up the console's share, nor theirs.
   * @default 100 requests/s steady, 200 burst, per ingest route
   */
  ingestThrottle?: ThrottleSettings;
  /** @default one month */
  logRetention?: RetentionDays;
  /** Origins whose pages may call the API from a browser (the console's). */
  corsOrigins?: string[];
}

export class AppHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: AppHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: 'alert-to-case',
      description: 'alert-to-case: alerts into cases',
      // The stage below carries access logs and throttling, which the implicit default stage cannot.
      createDefaultStage: false,
      ...(props.corsOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: props.corsOrigins,
              allowMethods: [CorsHttpMethod.ANY],
              allowHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key'],
              exposeHeaders: ['etag'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwt.issuer, {
      authorizerName: 'jwt',
      jwtAudience: props.jwt.audience,
    });
    const noAuthorizer = new HttpNoneAuthorizer();

    const integrations = new Map<FunctionGroup, HttpLambdaIntegration>();
    const integrationOf = (fn: FunctionGroup) => {
      let integration = integrations.get(fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${fn}-integration`, props.functions[fn], {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(fn, integration);
      }
      return integration;
    };

    const ingestThrottle = props.ingestThrottle ?? { rateLimit: 100, burstLimit: 200 };
    // CloudFormation's RouteSettings (a JSON map of route key to settings, in CloudFormation's own names).
    const routeSettings: Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }> = {};
    const stage = this.stage.node.defaultChild as CfnStage;
    for (const route of OPERATIONS) {
      const authorizer: IHttpRouteAuthorizer = route.permission ? jwtAuthorizer : noAuthorizer;
      const added = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.fn),
        authorizer,
      });
      if (route.ingest) {
        routeSettings[route.key] = { ThrottlingRateLimit: ingestThrottle.rateLimit, ThrottlingBurstLimit: ingestThrottle.burstLimit };
        // A stage's route settings name routes that must exist first.
        for (const r of added) stage.node.addDependency(r);
      }
    }
    stage.routeSettings = routeSettings;
  }

  get url(): string {
    return this.stage.url;
  }
}
