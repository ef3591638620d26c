/** Parses a value with a zod schema; a failure is an `Invalid` naming each offending field. */
import type * as z from 'zod/mini';
import { Invalid, type FieldError } from '../domain/errors.js';

type Issue = z.core.$ZodIssue;

/** The shape of what a route without a body, a query string or path parameters accepts: nothing. */
export type Nothing = z.ZodMiniObject<{}, z.core.$strict>;

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required (${issue.expected})` : `expected ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' ? `at least ${issue.minimum} characters` : issue.origin === 'array' ? `at least ${issue.minimum} items` : `at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string' ? `at most ${issue.maximum} characters` : issue.origin === 'array' ? `at most ${issue.maximum} items` : `at most ${issue.maximum}`;
    case 'invalid_value':
      return `one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field(s): ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has characters or a shape that is not allowed' : `not a valid ${issue.format}`;
    case 'invalid_union':
      return 'not one of the allowed types';
    case 'invalid_key':
      return 'has a key that is not allowed';
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'invalid';
  }
}

export function fieldErrors(issues: readonly Issue[], prefix = ''): FieldError[] {
  return issues.slice(0, 20).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { path: path || '(body)', message: describe(issue) };
  });
}

export const invalid = (what: string, errors: FieldError[]) =>
  new Invalid(`The ${what} is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`, errors);

export function parseWith<S extends z.ZodMiniType>(schema: S, value: unknown, what: string, prefix = ''): z.infer<S> {
  // With the input on each issue, a wrong type ("expected string") is told apart from a missing field ("required").
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw invalid(what, fieldErrors(result.error.issues, prefix));
}

/** Parses with the route's schema when it has one; a route without one takes nothing. */
export function parseInput<S extends z.ZodMiniType>(schema: S | undefined, value: unknown, what: string): z.infer<S> {
  return schema ? parseWith(schema, value, what) : (parseNothing(value, what) as z.infer<S>);
}

/**
 * What `parseWith(z.strictObject({}), …)` does, without zod: a route that takes
 * no body, query string or path parameters refuses any, naming them. (zod
 * stays out of functions that validate nothing else: /health.)
 */
export function parseNothing(value: unknown, what: string): z.infer<Nothing> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(what, [{ path: '(body)', message: 'expected object' }]);
  const keys = Object.keys(value);
  if (keys.length > 0) throw invalid(what, [{ path: '(body)', message: `unknown field(s): ${keys.join(', ')}` }]);
  return {};
}
