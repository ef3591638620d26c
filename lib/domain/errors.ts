/**
 * Domain errors. Use cases throw these; the HTTP layer turns them into
 * problem+json in one place (lib/http/problem.ts). No AWS types here.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well-formed JSON but breaks a rule; `errors` name the fields. */
export class Invalid extends DomainError {
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {}

/** The request conflicts with the current state (e.g. already converted, illegal stage change). */
export class Conflict extends DomainError {}

/** A request with the same Idempotency-Key is still running: the client may retry shortly (409 with Retry-After). */
export class InProgress extends Conflict {}

/** If-Match named a version that is no longer current. */
export class PreconditionFailed extends DomainError {}

export class Forbidden extends DomainError {}

/** The database did not answer in time; the client may retry. */
export class Unavailable extends DomainError {}
