/**
 * What an operation of the HTTP API is, declared once (lib/contract/operations/):
 * its method and path, the function that serves it, who may call it, the
 * schemas of its path, query string and body, how it honours If-Match and
 * Idempotency-Key, and its documentation. From these declarations come the
 * handlers' dispatch and validation (lib/http/handler.ts), the stack's routes
 * (cdk/constructs/http-api.ts), the local server's routing, the OpenAPI
 * document (lib/http/openapi.ts) and the console's request types.
 *
 * Nothing here imports http, the store, the use cases or AWS.
 */
import type * as z from 'zod/mini';
import type { IntegrationKind } from '../domain/integration.js';
import type { Permission } from './permissions.js';

declare global {
  /**
   * Whether the declarations carry their documentation (`doc`). A function's
   * bundle defines it as `false` (esbuild `define`, cdk/constructs/app-function.ts),
   * so each `CONTRACT_DOCS && { … }` folds to `false` and the summaries,
   * descriptions and the response schemas only the OpenAPI document reads are
   * left out of the bundle. Everywhere else (tests, scripts, the local server) it is true.
   */
  var CONTRACT_DOCS: boolean;
}
globalThis.CONTRACT_DOCS ??= true;

export const FUNCTION_GROUPS = ['alerts-api', 'cases-api', 'case-lists-api', 'case-install-base-api', 'config-api', 'catalog-api', 'ingest-api', 'assignment-api', 'sla-api', 'metrics-api', 'public-api'] as const;
export type FunctionGroup = (typeof FUNCTION_GROUPS)[number];
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schema = z.ZodMiniType;
/** A JSON Schema (2020-12) or OpenAPI object, as plain JSON. */
export type Json = { [key: string]: unknown };

export interface Success {
  status: number;
  description: string;
  /** A zod schema of the JSON body. */
  schema?: Schema;
  /** A body that is not described by a zod schema (the OpenAPI document, the HTML reference). */
  content?: { mediaType: string; schema: Json };
  /** The body is a case or an alert, with `ETag: "<version>"`. */
  etag?: boolean;
}

export interface ErrorSpec {
  description: string;
  /** A problem with extra members (default: Problem). */
  schema?: Schema;
  /** The error is answered as plain JSON in the sender's own format, not problem+json. */
  json?: boolean;
}

export interface OperationDoc {
  /** One line: what the operation does. */
  summary: string;
  /** More about the operation than its summary (Markdown). */
  description?: string;
  /** How the body is documented when the handler takes it as it comes (an ingest route: the sender's format, checked after the key). */
  bodyDoc?: Schema;
  success: Success[];
  /** Operation-specific errors; 400, 401, 403, 409 (Idempotency-Key), 412 (ifMatch), 413 and 503 are added where they apply. */
  errors?: Partial<Record<400 | 404 | 409 | 412, string | ErrorSpec>>;
}

export interface OperationSpec {
  /** The permission a user token needs (lib/contract/permissions.ts); none for the public and ingest operations. */
  permission?: Permission;
  /** An ingest operation: no user token; the key of an integration of this kind (SPEC §2 "Alert sources"). */
  ingest?: IntegrationKind;
  /** The schemas the path parameters, the query string and the body are validated with (none: nothing may be sent). */
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** The change honours If-Match (a stale version is 412). */
  ifMatch?: boolean;
  /**
   * How a POST with Idempotency-Key is kept (default: the handler stack
   * claims the key and stores the first answer). `native`: the use case
   * writes the record in its own transaction. `none`: the operation changes
   * nothing (a dry run), so a retry simply runs again.
   */
  idempotency?: 'native' | 'none';
  /** `CONTRACT_DOCS && { … }`: false in a function's bundle. */
  doc: OperationDoc | false;
}

export type OperationKey = `${Method} /${string}`;

export interface Operation extends OperationSpec {
  key: OperationKey;
  method: Method;
  path: string;
  fn: FunctionGroup;
}

/** A function's operations as declared, each with its key, method, path and function. */
export type Declared<S> = { readonly [K in keyof S & string]: S[K] & { key: K; method: Method; path: string; fn: FunctionGroup } };

/** A function's operations, keyed `METHOD /path`. */
export function operations<const S extends Record<OperationKey, OperationSpec>>(fn: FunctionGroup, specs: S): Declared<S> {
  const declared: Record<string, Operation> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const [method, path] = key.split(' ') as [Method, string];
    declared[key] = { ...spec, key: key as OperationKey, method, path, fn };
  }
  // Built from `specs` key by key: each entry is its spec with the key's parts added.
  return declared as unknown as Declared<S>;
}

export const ok = (schema: Schema, description: string, etag = false): Success => ({ status: 200, description, schema, etag });
export const created = (schema: Schema, description: string, etag = false): Success => ({ status: 201, description, schema, etag });
export const noContent = (description: string): Success => ({ status: 204, description });

/** The largest request body taken (413 above it). */
export const MAX_BODY_BYTES = 1024 * 1024;
