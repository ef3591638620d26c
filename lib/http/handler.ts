/**
 * The one HTTP handler stack every API function shares: route dispatch by
 * API Gateway's `routeKey`, authentication and the role matrix, body/query/path
 * validation, `If-Match`, `Idempotency-Key`, and problem+json errors.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { MAX_BODY_BYTES, type Operation } from '../contract/operation.js';
import { Invalid } from '../domain/errors.js';
import { logger, observed } from '../observability.js';
import type { Repositories } from '../usecases/context.js';
import type { HistoryAnswer } from '../usecases/history.js';
import { fingerprintOf, type IdempotencyRequest, type StoredResponse } from '../domain/idempotency.js';
import type { TableContext } from './table-context.js';
import type { User } from './auth.js';
import type { Permission } from '../contract/permissions.js';
import { errorToResponse, HttpProblem, problemResponse } from './problem.js';
import { parseInput } from '../contract/validation.js';

export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` (a string) as it is, with this content type, instead of as JSON. */
  contentType?: string;
  /**
   * What the idempotency record keeps, and so what a retry with the same
   * key is answered, when that must differ from this answer (a secret shown
   * once); default: this answer.
   */
  replay?: Omit<HttpResult, 'replay'>;
}

type Schema = z.ZodMiniType;
type Input<O, F extends 'body' | 'query' | 'params'> = O extends { [K in F]: infer S extends Schema } ? z.output<S> : Record<string, never>;

/** What a handler gets: the request validated by its operation's schemas. */
export interface RouteRequest<O extends Operation = Operation> {
  body: Input<O, 'body'>;
  query: Input<O, 'query'>;
  params: Input<O, 'params'>;
  user: User;
  /** The version named by If-Match, when given. */
  ifMatch?: number;
  /** Present when the client sent Idempotency-Key on an operation that stores it itself (`idempotency: 'native'`). */
  idempotency?: IdempotencyRequest;
  /** A request header by its name in lower case (an ingest route's key). */
  header(name: string): string | undefined;
  repos: Repositories;
}

type Handle<O extends Operation> = (req: RouteRequest<O>) => Promise<HttpResult>;

/** An operation's handler: it hands the request to a use case and shapes the answer. */
export type RouteHandler<O extends Operation> =
  | Handle<O>
  | {
      handle: Handle<O>;
      /**
       * The answer to an error in the sender's own format, when the route speaks
       * one (PagerDuty's `invalid event`); undefined leaves it to problem+json.
       */
      answerError(error: unknown): HttpResult | undefined;
    };

/** A function's handlers: one for each of its operations, no more. */
export type Handlers<Ops extends Record<string, Operation>> = { [K in keyof Ops]: RouteHandler<Ops[K]> };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, body, headers };
}

/** A response carrying a case or an alert: its version is the ETag. */
export function versioned(statusCode: number, record: { version: number }): HttpResult {
  return { statusCode, body: record, headers: { etag: `"${record.version}"` } };
}

/** A history's look for news is validated by where its newest entry stands (lib/usecases/history.ts). */
const markTag = (mark: string) => `W/"h.${mark}"`;

/** The mark a reader names in If-None-Match: the validator a look for news was answered with. */
export function seenMark(ifNoneMatch: string | undefined): string | undefined {
  for (const tag of ifNoneMatch?.split(',') ?? []) {
    const mark = /^W\/"h\.([^"]+)"$/.exec(tag.trim())?.[1];
    if (mark !== undefined) return mark;
  }
  return undefined;
}

/** A history page, or 304 for a look for news when nothing came after what the reader has seen. */
export function historyResult(answer: HistoryAnswer, seen: string | undefined): HttpResult {
  if ('unchanged' in answer) return { statusCode: 304, headers: { etag: markTag(seen!) } };
  return json(200, answer.page, answer.mark === undefined ? {} : { etag: markTag(answer.mark) });
}

export const replayed = (stored: StoredResponse): HttpResult => ({ ...stored });

function toResponse(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  if (result.contentType !== undefined) {
    return { statusCode: result.statusCode, headers: { 'content-type': result.contentType, ...result.headers }, body: String(result.body ?? '') };
  }
  return {
    statusCode: result.statusCode,
    headers: { ...(result.body !== undefined ? { 'content-type': 'application/json' } : {}), ...result.headers },
    body: result.body !== undefined ? JSON.stringify(result.body) : '',
  };
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * A read's validator (RFC 9110 §8.8.3): a case's or an alert's is its
 * version (`"3"`); any other answer's a weak digest of its body. A read
 * naming the current one in `If-None-Match` is answered 304 with no body
 * (weak comparison, §13.1.2), so a poll of something unchanged sends
 * nothing back.
 */
function unlessUnchanged(event: APIGatewayProxyEventV2, response: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2 {
  if (event.requestContext.http.method !== 'GET' || response.statusCode !== 200) return response;
  const etag = String(response.headers?.etag ?? `W/"${createHash('sha256').update(String(response.body ?? '')).digest('base64url').slice(0, 22)}"`);
  const tagged = { ...response, headers: { ...response.headers, etag } };
  const held = header(event, 'if-none-match');
  if (!held) return tagged;
  const tags = held.split(',').map(opaque);
  return tags.includes(opaque(etag)) || tags.includes('*') ? { statusCode: 304, headers: { etag }, body: '' } : tagged;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const found = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAY_NAME_FORBIDDEN_KEY = /__proto__|constructor|prototype|\\u/;

function readBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body == null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'Content Too Large', `The body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} are accepted.`);
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  let forbidden: string | undefined;
  let parsed: unknown;
  try {
    // Prototype-polluting keys are refused anywhere in a body, before any code walks it. A body that cannot name one (none
    // of the words, no \u escape that could spell one) is parsed without looking at every key (a fifth of the time).
    parsed = MAY_NAME_FORBIDDEN_KEY.test(text)
      ? JSON.parse(text, (key, value) => {
          if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
          return value;
        })
      : JSON.parse(text);
  } catch {
    throw new Invalid('The body is not valid JSON.', [{ path: '(body)', message: 'malformed JSON' }]);
  }
  if (forbidden) throw new Invalid(`The body uses the reserved key '${forbidden}'.`, [{ path: forbidden, message: 'reserved key' }]);
  return parsed;
}

/** If-Match: `"3"`, `W/"3"` or `3`; `*` matches any version. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,12})"?\s*$/.exec(value);
  if (!m) throw new Invalid('If-Match must name a version, such as "3".', [{ path: 'If-Match', message: 'not a version' }]);
  return Number(m[1]);
}

/**
 * A key is scoped to its caller, the route and the route's parameters as
 * decoded and validated, never the raw path: `/alerts/%61lr_…/case` is the same
 * request as `/alerts/alr_…/case`.
 */
function idempotencyRequestOf(event: APIGatewayProxyEventV2, user: User, params: unknown, body: unknown): IdempotencyRequest | undefined {
  const key = header(event, 'idempotency-key');
  if (key === undefined || event.requestContext.http.method !== 'POST') return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new Invalid('Idempotency-Key must be 1-255 printable characters.', [{ path: 'Idempotency-Key', message: 'invalid' }]);
  }
  const route = Object.entries((params ?? {}) as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return { scope: JSON.stringify([user.sub, event.routeKey, route]), key, fingerprint: fingerprintOf(body) };
}

export interface HttpHandlerOptions {
  /**
   * The table behind the function (lib/http/table-context.ts), given by the
   * function module so a function without one (public-api) never bundles the
   * DynamoDB client.
   */
  context?: () => TableContext;
  /**
   * Reads the user from a request and checks the operation's permission
   * (`authorize`, lib/http/auth.ts), given by each function whose operations
   * take a user token: one that takes none (ingest-api, public-api) never
   * bundles it.
   */
  auth?: (event: APIGatewayProxyEventV2, permission: Permission) => User;
}

/**
 * A function's handler: its operations (lib/contract/operations/<function>.ts)
 * and a handler for each, dispatched by API Gateway's `routeKey`.
 */
export function httpHandler<Ops extends Record<string, Operation>>(operations: Ops, handlers: Handlers<Ops>, options: HttpHandlerOptions = {}) {
  const ops = operations as Record<string, Operation>;
  const routes = handlers as Record<string, RouteHandler<Operation>>;
  const fn = Object.values(ops)[0].fn;
  for (const key of Object.keys(routes)) {
    if (!ops[key]) throw new Error(`${fn}: '${key}' is not one of its operations`);
  }
  const { auth } = options;
  const needsUser = Object.values(ops).find((op) => op.permission);
  if (needsUser && !auth) throw new Error(`${fn} serves ${needsUser.key}, which takes a user token, but was given no auth`);
  let context: TableContext | undefined;
  const contextOf = () => {
    if (!options.context) throw new Error(`${fn} has no table`);
    context ??= options.context();
    return context;
  };

  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const spec = ops[event.routeKey];
    const route = routes[event.routeKey];
    if (!spec || !route) {
      return problemResponse({ status: 404, title: 'Not Found', detail: `No route ${event.routeKey}.` });
    }
    let user: User = { sub: 'anonymous', roles: [] };
    if (spec.permission) {
      user = auth!(event, spec.permission);
    }
    // Path, then query string, then body: the first that is wrong is the one reported.
    const params = parseInput(spec.params, event.pathParameters ?? {}, 'path');
    const query = parseInput(spec.query, event.queryStringParameters ?? {}, 'query string');
    const body = parseInput(spec.body, readBody(event) ?? {}, 'body');
    const ifMatch = parseIfMatch(header(event, 'if-match'));
    // A key is kept per user: routes without one (the ingest routes, whose senders send a payload again instead) take none.
    const idempotency = spec.permission ? idempotencyRequestOf(event, user, params, body) : undefined;
    // The store is made on first use: a route that never touches the table (GET /health) needs none.
    const handle = typeof route === 'function' ? route : route.handle;
    const request = {
      body,
      query,
      params,
      user,
      ifMatch,
      header: (name: string) => header(event, name),
      get repos() {
        return contextOf().repos;
      },
    } as RouteRequest;
    if (!idempotency || spec.idempotency === 'none') return unlessUnchanged(event, toResponse(await handle(request)));
    if (spec.idempotency === 'native') return toResponse(await handle({ ...request, idempotency }));
    // Claim the key, run once, store the first result; a failure frees the key for a retry.
    const { repos } = contextOf();
    const stored = await repos.idempotency.claim(idempotency, Date.now());
    if (stored) return toResponse(replayed(stored));
    let result: HttpResult;
    try {
      result = await handle(request);
    } catch (error) {
      await repos.idempotency.release(idempotency).catch(() => undefined);
      throw error;
    }
    const kept = result.replay ?? result;
    await repos.idempotency.complete(idempotency, { statusCode: kept.statusCode, body: kept.body, headers: kept.headers }, Date.now());
    return toResponse(result);
  };

  return observed(dispatch).onError(async (request) => {
    const route = routes[request.event.routeKey];
    const own = route && typeof route !== 'function' ? route.answerError(request.error) : undefined;
    if (own) {
      request.response = toResponse(own);
      return;
    }
    const { response, unexpected } = errorToResponse(request.error);
    if (unexpected) logger.error('unexpected error', { error: request.error as Error, routeKey: request.event.routeKey });
    request.response = response;
  });
}
