/** Local tokens: HS256 with LOCAL_JWT_SECRET, the roles as `cognito:groups` like Cognito issues them. */
import { SignJWT } from 'jose';

export const DEFAULT_JWT_SECRET = 'local-dev-only-secret';

export async function signLocalToken(options: { sub: string; roles: string[]; ttlSeconds?: number; secret?: string }): Promise<string> {
  const secret = new TextEncoder().encode(options.secret ?? process.env.LOCAL_JWT_SECRET ?? DEFAULT_JWT_SECRET);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ 'cognito:groups': options.roles, token_use: 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .sign(secret);
}
