/**
 * The OpenAPI 3.1 document of the HTTP API (SPEC §4), generated from the
 * operations declared in lib/contract (each one's method, path, permission,
 * schemas and documentation) and the role matrix (lib/contract/permissions.ts).
 * Nothing here is about one operation: what an operation says is in its
 * declaration. Static: `npm run openapi` writes it and the HTML reference to
 * the files public-api serves (lib/http/reference.ts).
 */
import * as z from 'zod/mini';
import { OPERATIONS } from '../contract/api.js';
import { API_DESCRIPTION, API_SUMMARY, API_VERSION, COMPONENTS, TAGS } from '../contract/document.js';
import { FUNCTION_GROUPS, MAX_BODY_BYTES, type ErrorSpec, type Json, type Operation, type OperationDoc } from '../contract/operation.js';
import { PERMISSIONS, ROLES } from '../contract/permissions.js';
import { DEFAULT_PAGE_SIZE } from '../contract/schemas.js';
import { renderDocsPage } from './docs-page.js';
import { RETRY_AFTER_SECONDS } from './problem.js';
import { DOCS_FILE, OPENAPI_FILE } from './reference.js';

export { API_VERSION };
type Schema = z.ZodMiniType;

const ref = (name: string, group = 'schemas') => ({ $ref: `#/components/${group}/${name}` });

const JSON_SCHEMA_OPTIONS = {
  target: 'draft-2020-12',
  // Requests as the client sends them (query strings are strings before they are parsed).
  io: 'input',
  // Refinements and transforms have no JSON Schema; their rules are in the descriptions.
  unrepresentable: 'any',
  override: ({ jsonSchema: s }: { jsonSchema: Json }) => {
    // Noise for a reader: the format says it all; JSON numbers need no safe-integer bounds.
    if (s.format === 'date-time') delete s.pattern;
    if (s.type === 'integer') {
      if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
      if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
    }
  },
} as const;

/** The JSON Schema of a zod schema, as it sits inside an OpenAPI document (no `$schema`, no `$id`). */
function jsonSchemaOf(schema: Schema): Json {
  const { $schema: _schema, $id: _id, ...rest } = z.toJSONSchema(schema, JSON_SCHEMA_OPTIONS) as Json;
  return rest;
}

function componentSchemas(): { schemas: Record<string, Json>; nameOf: Map<Schema, string> } {
  const registry = z.registry<{ id: string }>();
  const nameOf = new Map<Schema, string>();
  for (const [name, schema] of COMPONENTS) {
    if (nameOf.has(schema)) throw new Error(`OpenAPI: one schema registered twice (${nameOf.get(schema)}, ${name})`);
    registry.add(schema, { id: name });
    nameOf.set(schema, name);
  }
  const generated = z.toJSONSchema(registry, { ...JSON_SCHEMA_OPTIONS, uri: (id) => ref(id).$ref }).schemas as Record<string, Json>;
  const descriptions = new Map(COMPONENTS.map(([name, , description]) => [name, description]));
  const schemas: Record<string, Json> = {};
  for (const [name, { $schema: _schema, $id: _id, ...rest }] of Object.entries(generated)) {
    const description = descriptions.get(name);
    schemas[name] = description && !rest.description ? { description, ...rest } : rest;
  }
  return { schemas, nameOf };
}

/** `POST /alerts/{alertId}/case` → `postAlertsByAlertIdCase` */
export function operationIdOf(route: Pick<Operation, 'method' | 'path'>): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .flatMap((part) => (part.startsWith('{') ? ['by', part.slice(1, -1)] : part.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return route.method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

const QUERY_DESCRIPTIONS: Record<string, string> = {
  limit: `Page size, 1 to 100 (default ${DEFAULT_PAGE_SIZE})`,
  cursor: 'The `nextCursor` of the previous page (opaque)',
};

/** Every read answers with an ETag, and If-None-Match naming it with 304 (lib/http/handler.ts `unlessUnchanged`). */
const conditionalRead = (op: Operation) => op.method === 'GET';

function parametersOf(op: Operation): Json[] {
  const parameters: Json[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchemaOf(schema);
    const required = new Set((object.required as string[] | undefined) ?? []);
    for (const [name, { description: own, ...property }] of Object.entries((object.properties ?? {}) as Record<string, Json>)) {
      // A parameter's own description (from its schema) says more than its schema would.
      const description = own ?? (where === 'query' ? (QUERY_DESCRIPTIONS[name] ?? `Only items whose \`${name}\` is this value`) : undefined);
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: property,
      });
    }
  }
  if (op.ifMatch) parameters.push(ref('IfMatch', 'parameters'));
  if (conditionalRead(op)) parameters.push(ref('IfNoneMatch', 'parameters'));
  if (op.method === 'POST' && op.permission) parameters.push(ref('IdempotencyKey', 'parameters'));
  return parameters;
}

const problemContent = (schema: Json = ref('Problem')) => ({ 'application/problem+json': { schema } });

function responsesOf(op: Operation, doc: OperationDoc, schemaRef: (s: Schema) => Json): Json {
  const responses: Record<string, Json> = {};
  for (const s of doc.success) {
    const content = s.content
      ? { [s.content.mediaType]: { schema: s.content.schema } }
      : s.schema
        ? { 'application/json': { schema: schemaRef(s.schema) } }
        : undefined;
    responses[String(s.status)] = {
      description: s.description,
      ...(s.etag || (conditionalRead(op) && s.status === 200) ? { headers: { ETag: ref('ETag', 'headers') } } : {}),
      ...(content ? { content } : {}),
    };
  }
  if (conditionalRead(op)) responses['304'] = { description: 'Not modified: `If-None-Match` names the current ETag (no body)', headers: { ETag: ref('ETag', 'headers') } };
  const error = (status: number, spec: string | ErrorSpec) => {
    const { description, schema, json } = typeof spec === 'string' ? { description: spec } : spec;
    const content = json ? { 'application/json': { schema: schemaRef(schema!) } } : problemContent(schema ? schemaRef(schema) : undefined);
    responses[String(status)] = { description, content };
  };
  const errors = doc.errors ?? {};
  error(400, errors[400] ?? 'The request is not valid: malformed JSON, a schema violation or an unknown field or query parameter (`errors` names each one)');
  if (op.permission || op.ingest === 'alertmanager') responses['401'] = ref('Unauthorized', 'responses');
  if (op.permission) responses['403'] = ref('Forbidden', 'responses');
  if (errors[404]) error(404, errors[404]);
  const idempotent = op.method === 'POST' && op.permission;
  if (errors[409] || idempotent) {
    const spec = errors[409];
    const inProgress = 'a request with the same Idempotency-Key is still in progress';
    if (!spec) error(409, `Conflict: ${inProgress}`);
    else if (typeof spec === 'string') error(409, idempotent ? `${spec}; or ${inProgress}` : spec);
    else error(409, { ...spec, description: idempotent ? `${spec.description}; or ${inProgress}` : spec.description });
  }
  if (op.ifMatch) responses['412'] = ref('PreconditionFailed', 'responses');
  if (op.body) responses['413'] = ref('ContentTooLarge', 'responses');
  if (op.permission || op.ingest) responses['503'] = ref('ServiceUnavailable', 'responses');
  return responses;
}

function build(): Json {
  const { schemas, nameOf } = componentSchemas();
  const schemaRef = (schema: Schema): Json => {
    const name = nameOf.get(schema);
    return name ? ref(name) : jsonSchemaOf(schema);
  };
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    const doc = op.doc;
    if (!doc) throw new Error(`OpenAPI: ${op.key} has no documentation (CONTRACT_DOCS is off)`);
    const roles = op.permission ? [...PERMISSIONS[op.permission]] : [];
    const access = op.permission
      ? `**Roles:** ${roles.map((r) => `\`${r}\``).join(', ')} (permission \`${op.permission}\`).`
      : op.ingest
        ? `**Integration key:** of a \`${op.ingest}\` integration (\`POST /integrations\`); no user token.`
        : '**Public:** no token needed.';
    const parameters = parametersOf(op);
    const documentedBody = doc.bodyDoc ?? op.body;
    const bodySchema = documentedBody && jsonSchemaOf(documentedBody);
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      operationId: operationIdOf(op),
      tags: [TAGS[op.fn].name],
      summary: doc.summary,
      description: [doc.description, access].filter(Boolean).join('\n\n'),
      security: op.permission ? [{ bearerAuth: [] }] : op.ingest === 'alertmanager' ? [{ integrationKey: [] }] : [],
      ...(op.permission ? { 'x-permission': op.permission, 'x-roles': roles } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: ((bodySchema?.required as string[] | undefined) ?? []).length > 0,
              content: { 'application/json': { schema: schemaRef(documentedBody!) } },
            },
          }
        : {}),
      responses: responsesOf(op, doc, schemaRef),
    };
  }
  const problem = (description: string, headers?: Json): Json => ({ description, ...(headers ? { headers } : {}), content: problemContent() });
  return {
    openapi: '3.1.0',
    info: {
      title: 'alert-to-case',
      version: API_VERSION,
      summary: API_SUMMARY,
      description: API_DESCRIPTION,
      license: { name: 'Proprietary: not for reuse', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    tags: FUNCTION_GROUPS.map((fn) => TAGS[fn]),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            `A JWT from the user directory. Roles come from its \`cognito:groups\` claim (a user may hold several): ${ROLES.map((r) => `\`${r}\``).join(', ')}. ` +
            'No token, an expired token or a bad signature is 401; a role without the right is 403. Each operation lists its roles in its description and in `x-roles`.',
        },
        integrationKey: {
          type: 'http',
          scheme: 'bearer',
          description: "An Alertmanager integration's key (`POST /integrations`), as Alertmanager's `http_config.authorization` sends it. A PagerDuty integration's key goes in the event's `routing_key`.",
        },
      },
      parameters: {
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: false,
          description: 'The ETag (`"3"`, `W/"3"`) or the bare version (`3`) the change is based on; `*` matches any. A stale version is 412.',
          schema: { type: 'string', examples: ['"3"'] },
        },
        IfNoneMatch: {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: 'The ETag of the answer the client holds (`"3"`, `W/"…"`): while it is still current the answer is 304 with no body, so polling sends nothing back when nothing changed.',
          schema: { type: 'string', examples: ['"3"'] },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes a retry within 24 h return the first result. The same key with another body is 400; while the first request runs, 409.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        },
      },
      headers: {
        ETag: {
          description: 'The version of the case or alert in the body, as `"<version>"`; on any other read, a weak digest of the answer (`W/"…"`). Send it back as `If-None-Match` to be answered 304 while nothing changed.',
          schema: { type: 'string', examples: ['"3"'] },
        },
        RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer', examples: [RETRY_AFTER_SECONDS] } },
        WWWAuthenticate: { description: '`Bearer`', schema: { type: 'string' } },
      },
      responses: {
        Unauthorized: problem('No token (or integration key), an expired token, a bad signature, or an unknown or revoked key', { 'WWW-Authenticate': ref('WWWAuthenticate', 'headers') }),
        Forbidden: problem('None of your roles may do this'),
        PreconditionFailed: problem('If-Match names a version that is no longer current; read the record again'),
        ContentTooLarge: problem(`The body is over ${MAX_BODY_BYTES / (1024 * 1024)} MiB`),
        ServiceUnavailable: problem('The database did not answer in time; retry after `Retry-After` seconds', { 'Retry-After': ref('RetryAfter', 'headers') }),
      },
      schemas,
    },
  };
}

let cached: Json | undefined;

/** The OpenAPI 3.1 document, built on first use. */
export function openApiDocument(): Json {
  cached ??= build();
  return cached;
}

/** The reference files public-api serves (lib/http/reference.ts), exactly as `npm run openapi` writes them. */
export function referenceFiles(): Record<string, string> {
  const document = openApiDocument();
  return { [OPENAPI_FILE]: `${JSON.stringify(document, null, 2)}\n`, [DOCS_FILE]: renderDocsPage(document) };
}
