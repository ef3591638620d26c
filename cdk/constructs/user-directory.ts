/**
 * The Cognito user pool the API trusts when no external OIDC issuer is given:
 * one group per role of SPEC §3, so a user's roles arrive as `cognito:groups`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../lib/contract/permissions.js';
import type { JwtIssuer } from './http-api.js';

export interface UserDirectoryProps {
  /** @default RETAIN: users and their group memberships outlive the stack. */
  removalPolicy?: RemovalPolicy;
  /** @default true */
  deletionProtection?: boolean;
}

export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: UserDirectoryProps = {}) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are created by an administrator, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: `alert-to-case role ${role}` });
    }
    // A public client (consoles, scripts): no secret, SRP sign-in, short-lived tokens.
    this.client = this.userPool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }

  /** What API Gateway checks tokens against: this pool's issuer, and its client as the audience. */
  get jwtIssuer(): JwtIssuer {
    return { issuer: this.userPool.userPoolProviderUrl, audience: [this.client.userPoolClientId] };
  }
}
