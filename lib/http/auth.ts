/**
 * The caller, from the claims API Gateway's JWT authorizer puts on the request
 * (`requestContext.authorizer.jwt.claims`). The local server puts them in the
 * same place and the same shape, so handlers cannot tell the two apart.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpProblem } from './problem.js';
import { ROLES, type Role } from './permissions.js';

export interface User {
  sub: string;
  roles: Role[];
}

/**
 * API Gateway flattens an array claim into a string such as `[a b]`; a raw
 * array or a comma-separated string are accepted too.
 */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((g) => g.replace(/^"|"$/g, ''))
    .filter(Boolean);
}

/** Formats groups the way API Gateway's JWT authorizer hands them to a function. */
export const formatGroupsClaim = (groups: string[]) => `[${groups.join(' ')}]`;

export function userOf(event: APIGatewayProxyEventV2): User {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) {
    throw new HttpProblem(401, 'Unauthorized', 'A valid bearer token is required.', { 'www-authenticate': 'Bearer' });
  }
  const roles = parseGroups(claims?.['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  return { sub, roles };
}
