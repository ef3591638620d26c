/**
 * The caller, from the claims API Gateway's JWT authorizer puts on the request
 * (`requestContext.authorizer.jwt.claims`). The local server puts them in the
 * same place and the same shape, so handlers cannot tell the two apart.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpProblem } from './problem.js';
import { isAllowed, ROLES, type Permission, type Role } from '../contract/permissions.js';

export interface User {
  sub: string;
  roles: Role[];
}

/**
 * The group names of the `cognito:groups` claim, exactly as named. API
 * Gateway's JWT authorizer hands an array claim to the function as one string,
 * `[a b]`: the names joined by single spaces inside brackets. Nothing else is
 * split out of a name (no commas, no quotes stripped), so a group called
 * `readers,evt_mgmt_admin` is that group and grants nothing. A group name
 * cannot contain whitespace (Cognito allows none; docs/operations.md says so
 * for external issuers). A bare string is one group name.
 */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string' || claim === '') return [];
  const flattened = /^\[(.*)\]$/s.exec(claim);
  return flattened ? flattened[1].split(' ').filter((g) => g !== '') : [claim];
}

/** Formats groups the way API Gateway's JWT authorizer hands them to a function. */
export const formatGroupsClaim = (groups: string[]) => `[${groups.join(' ')}]`;

/**
 * Subjects the service's own actors use (SPEC §2 History: `schedule`,
 * `rule:proactive-case`, `playbook:<id>`, `alert:<id>`, `integration:<id>`):
 * a token naming one could write history indistinguishable from the system's.
 */
export const isSystemActorName = (sub: string) => sub === 'schedule' || sub.includes(':');

export function userOf(event: APIGatewayProxyEventV2): User {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) {
    throw new HttpProblem(401, 'Unauthorized', 'A valid bearer token is required.', { 'www-authenticate': 'Bearer' });
  }
  if (isSystemActorName(sub)) {
    throw new HttpProblem(401, 'Unauthorized', "The token's subject is reserved for the service's own actors.", { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  const roles = parseGroups(claims?.['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  return { sub, roles };
}

/** The user of a request, if their roles hold `permission` (401 without a valid token, 403 without the right). */
export function authorize(event: APIGatewayProxyEventV2, permission: Permission): User {
  const user = userOf(event);
  if (!isAllowed(user.roles, permission)) {
    throw new HttpProblem(403, 'Forbidden', `Your roles (${user.roles.join(', ') || 'none'}) do not allow ${event.routeKey}.`);
  }
  return user;
}
