/**
 * problem+json (RFC 9457) responses, and the one place where errors become
 * HTTP statuses. Nothing else builds an error response.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  Conflict,
  DomainError,
  Forbidden,
  InProgress,
  Invalid,
  NotFound,
  PreconditionFailed,
  Unavailable,
  type FieldError,
} from '../domain/errors.js';

/** An error that is about HTTP itself (no token, body too large, no such route). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const RETRY_AFTER_SECONDS = 2;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export function problemResponse(problem: { status: number; title: string; detail: string; [extra: string]: unknown }, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: 'about:blank', ...problem }),
  };
}

const DOMAIN_STATUS: [new (...args: never[]) => DomainError, number, string][] = [
  [Invalid, 400, 'Bad Request'],
  [Forbidden, 403, 'Forbidden'],
  [NotFound, 404, 'Not Found'],
  [Conflict, 409, 'Conflict'],
  [PreconditionFailed, 412, 'Precondition Failed'],
  [Unavailable, 503, 'Service Unavailable'],
];

/** Any thrown value → problem+json. Unknown errors are a 500 that says nothing about internals. */
export function errorToResponse(error: unknown): { response: APIGatewayProxyStructuredResultV2; unexpected: boolean } {
  if (error instanceof HttpProblem) {
    return { response: problemResponse({ status: error.status, title: error.title, detail: error.message }, error.headers), unexpected: false };
  }
  if (error instanceof DomainError) {
    const [, status, title] = DOMAIN_STATUS.find(([type]) => error instanceof type) ?? [DomainError, 400, 'Bad Request'];
    const errors = error instanceof Invalid && error.errors.length ? { errors: error.errors } : {};
    // Worth sending again shortly: the database was behind, or the same request (its Idempotency-Key) is still running.
    const headers: Record<string, string> = status === 503 || error instanceof InProgress ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
    return { response: problemResponse({ ...error.extra, status, title, detail: error.message, ...errors }, headers), unexpected: false };
  }
  if ((error as { name?: string })?.name === 'TimeoutError') {
    // The function ran out of time (middy answers just before Lambda would end it).
    return {
      response: problemResponse(
        { status: 503, title: 'Service Unavailable', detail: 'The request did not finish in time; retry shortly.' },
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      ),
      unexpected: true,
    };
  }
  return {
    response: problemResponse({ status: 500, title: 'Internal Server Error', detail: 'Something went wrong on our side; it has been logged.' }),
    unexpected: true,
  };
}
