import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { routes as alertRoutes } from '../../functions/http/alerts-api.js';
import { routes as caseRoutes } from '../../functions/http/cases-api.js';
import { routes as caseListRoutes } from '../../functions/http/case-lists-api.js';
import { routes as caseInstallBaseRoutes } from '../../functions/http/case-install-base-api.js';
import { routes as catalogRoutes } from '../../functions/http/catalog-api.js';
import { routes as configRoutes } from '../../functions/http/config-api.js';
import { routes as ingestRoutes } from '../../functions/http/ingest-api.js';
import { routes as assignmentRoutes } from '../../functions/http/assignment-api.js';
import { routes as slaRoutes } from '../../functions/http/sla-api.js';
import { routes as metricsRoutes } from '../../functions/http/metrics-api.js';
import { handler as publicApi, routes as publicRoutes } from '../../functions/http/public-api.js';
import { renderDocsPage } from '../../lib/http/docs-page.js';
import { API_VERSION, openApiDocument, referenceFiles } from '../../lib/http/openapi.js';
import { API, OPERATIONS } from '../../lib/contract/api.js';
import type { Operation } from '../../lib/contract/operation.js';
import { REFERENCE_DIR } from '../../lib/http/reference.js';
import { PERMISSIONS, ROLES } from '../../lib/contract/permissions.js';

type Json = Record<string, any>;
const served: Record<string, unknown> = {
  ...alertRoutes,
  ...caseRoutes,
  ...caseListRoutes,
  ...caseInstallBaseRoutes,
  ...configRoutes,
  ...catalogRoutes,
  ...ingestRoutes,
  ...assignmentRoutes,
  ...slaRoutes,
  ...metricsRoutes,
  ...publicRoutes,
};
type RouteSpec = Operation;
const routes = OPERATIONS;
const routeKeyOf = (r: Operation) => r.key;
const declared = API as Record<string, Operation>;
const doc = openApiDocument() as Json;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op: op as Json })),
);
const operationOf = (route: Pick<RouteSpec, 'method' | 'path'>) => doc.paths[route.path]?.[route.method.toLowerCase()] as Json;

/** Follows a local `$ref` of the document. */
function resolve(value: Json): Json {
  let current = value;
  while (typeof current?.$ref === 'string') {
    current = (current.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Json | undefined, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as Json;
  }
  return current;
}

function walk(value: unknown, visit: (node: Json, path: string) => void, path = '#'): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}/${i}`));
  else if (value && typeof value === 'object') {
    visit(value as Json, path);
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}/${k}`);
  }
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/' }]);
  });

  it('is plain JSON whose every $ref resolves, with no $schema or $id left from zod', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    const problems: string[] = [];
    walk(doc, (node, path) => {
      if (typeof node.$ref === 'string' && (!node.$ref.startsWith('#/') || resolve(node) === undefined)) problems.push(`${path}: ${node.$ref}`);
      if ('$schema' in node || '$id' in node) problems.push(`${path}: $schema/$id`);
    });
    expect(problems).toEqual([]);
  });

  it('has the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(doc.info.version).toBe(pkg.version);
    expect(API_VERSION).toBe(pkg.version);
  });

  it('lists exactly the routes the route table and the handlers serve, with their methods and path templates', () => {
    const keys = routes.map(routeKeyOf).sort();
    expect(operations.map((o) => o.key).sort()).toEqual(keys);
    expect(Object.keys(served).sort()).toEqual(keys);
    for (const { method } of operations) expect(METHODS).toContain(method);
  });

  it('gives every operation a unique operationId, a tag, a summary and a success response', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = (doc.tags as { name: string }[]).map((t) => t.name);
    expect(tags).toEqual(['Alerts', 'Cases', 'Case lists', 'Case install base', 'Configuration', 'Service map & install base', 'Alert sources', 'Inbox & assignment', 'Service levels', 'Team metrics', 'Service']);
    for (const route of routes) {
      const op = operationOf(route);
      expect([routeKeyOf(route), op.summary]).toEqual([routeKeyOf(route), (route.doc || undefined)?.summary]);
      expect(op.summary.length).toBeGreaterThan(5);
      expect(op.tags).toHaveLength(1);
      expect(tags).toContain(op.tags[0]);
      expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
    }
    expect(Object.keys(operationOf({ method: 'POST', path: '/alerts' }).responses)).toEqual(expect.arrayContaining(['200', '201']));
    expect(Object.keys(operationOf({ method: 'DELETE', path: '/playbooks/{playbookId}' }).responses)).toContain('204');
  });

  it('secures every protected operation with the bearer scheme and lists the roles of the permission matrix', () => {
    const scheme = doc.components.securitySchemes.bearerAuth;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(scheme.description).toContain('cognito:groups');
    for (const route of routes) {
      const op = operationOf(route);
      if (!route.permission) {
        // The Alertmanager route takes an integration's key as a bearer; PagerDuty's key travels in the event.
        const security = route.ingest === 'alertmanager' ? [{ integrationKey: [] }] : [];
        expect([routeKeyOf(route), op.security]).toEqual([routeKeyOf(route), security]);
        expect(op['x-roles']).toBeUndefined();
        continue;
      }
      const roles = [...PERMISSIONS[route.permission]];
      expect([routeKeyOf(route), op.security]).toEqual([routeKeyOf(route), [{ bearerAuth: [] }]]);
      expect([routeKeyOf(route), op['x-roles']]).toEqual([routeKeyOf(route), roles]);
      for (const role of ROLES) expect(op.description.includes(`\`${role}\``)).toBe(roles.includes(role as never));
      for (const status of ['400', '401', '403', '503']) expect([routeKeyOf(route), status, op.responses[status]]).toEqual([routeKeyOf(route), status, expect.anything()]);
    }
  });

  it('has a request body exactly for the routes whose handler takes one', () => {
    for (const route of routes) {
      const key = routeKeyOf(route);
      const op = operationOf(route);
      expect([key, Boolean(op.requestBody)]).toEqual([key, Boolean(declared[key].body)]);
      if (!op.requestBody) continue;
      const schema = resolve(op.requestBody.content['application/json'].schema);
      expect(schema.type).toBe('object');
      // Unknown fields are a 400, except in a sender's own format: senders add fields.
      expect([key, schema.additionalProperties]).toEqual([key, route.ingest ? {} : false]);
      expect(op.requestBody.required).toBe((schema.required ?? []).length > 0);
      expect(op.responses['413']).toBeDefined();
    }
    expect(operationOf({ method: 'POST', path: '/cases/{caseId}/major-case/propose' }).requestBody.required).toBe(false);
    expect(operationOf({ method: 'POST', path: '/alerts' }).requestBody.required).toBe(true);
  });

  it('describes path parameters from the templates and query parameters from the query schemas', () => {
    for (const route of routes) {
      const key = routeKeyOf(route);
      const parameters = ((operationOf(route).parameters ?? []) as Json[]).map(resolve);
      const inPath = parameters.filter((p) => p.in === 'path');
      expect([key, inPath.map((p) => p.name)]).toEqual([key, [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name)]);
      for (const p of inPath) expect(p.required).toBe(true);
      // Request schemas are z.lazy (built on first use): the object is their inner type.
      const query = declared[key].query as { _zod: { innerType?: { shape: Record<string, unknown> } } } | undefined;
      expect([key, parameters.filter((p) => p.in === 'query').map((p) => p.name)]).toEqual([key, Object.keys(query?._zod.innerType?.shape ?? {})]);
      for (const p of parameters) expect(p.schema).toBeDefined();
    }
    const list = operationOf({ method: 'GET', path: '/cases' }).parameters.map(resolve);
    expect(list.map((p: Json) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'stage', 'proactive']));
    expect(list.find((p: Json) => p.name === 'stage').schema.enum).toContain('awaiting_info');
  });

  it('documents ETag, If-Match and Idempotency-Key where the handlers use them', () => {
    const headerNames = (op: Json) => ((op.parameters ?? []) as Json[]).map(resolve).filter((p) => p.in === 'header').map((p) => p.name);
    for (const route of routes) {
      const key = routeKeyOf(route);
      const op = operationOf(route);
      // Senders retry by sending the same payload again, which writes nothing twice: the ingest routes take no key.
      if (route.method === 'POST' && !route.ingest) expect([key, headerNames(op)]).toEqual([key, expect.arrayContaining(['Idempotency-Key'])]);
      else expect([key, headerNames(op)]).toEqual([key, expect.not.arrayContaining(['Idempotency-Key'])]);
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (!status.startsWith('2')) continue;
        const schema = response.content?.['application/json']?.schema?.$ref;
        const carriesRecord = schema === '#/components/schemas/Alert' || schema === '#/components/schemas/Case';
        // A case or an alert carries its version; every read carries a validator (its version, or a digest of the answer).
        const read = route.method === 'GET' && status === '200';
        expect([key, status, Boolean(response.headers?.ETag)]).toEqual([key, status, carriesRecord || read]);
      }
      // Every read takes If-None-Match and answers 304 while the answer the client holds is current.
      const conditional = route.method === 'GET';
      expect([key, headerNames(op).includes('If-None-Match'), Boolean(op.responses['304'])]).toEqual([key, conditional, conditional]);
    }
    for (const path of ['/alerts/{alertId}', '/cases/{caseId}']) {
      const op = operationOf({ method: 'PATCH', path });
      expect(headerNames(op)).toContain('If-Match');
      expect(op.responses['412']).toBeDefined();
    }
  });

  it('answers every error with the problem+json shape', () => {
    const problem = doc.components.schemas.Problem;
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
    expect(problem.properties.errors.items.required).toEqual(['path', 'message']);
    expect(problem.additionalProperties).toEqual({});
    for (const { key, op } of operations) {
      for (const [status, r] of Object.entries(op.responses as Record<string, Json>)) {
        if (Number(status) < 400) continue;
        const response = resolve(r);
        if (key === 'POST /integrations/pagerduty/v2/enqueue' && status === '400') {
          // PagerDuty's own answer to an invalid event, which its senders read.
          expect(response.content['application/json'].schema.$ref).toBe('#/components/schemas/PagerDutyInvalid');
          continue;
        }
        expect([key, status, Object.keys(response.content)]).toEqual([key, status, ['application/problem+json']]);
        expect(['#/components/schemas/Problem', '#/components/schemas/AlreadyConverted']).toContain(response.content['application/problem+json'].schema.$ref);
      }
    }
    expect(operationOf({ method: 'POST', path: '/alerts/{alertId}/case' }).responses['409'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/AlreadyConverted',
    );
  });

  it('shares the record shapes as components', () => {
    const schemas = doc.components.schemas;
    for (const name of ['Alert', 'Case', 'HistoryEntry', 'WorkNote', 'AlertPage', 'CasePage', 'HistoryPage', 'Playbook', 'Queue', 'Problem']) {
      expect([name, schemas[name]?.type]).toEqual([name, 'object']);
    }
    expect(schemas.Case.properties).not.toHaveProperty('affectedInstallBase');
    expect(schemas.Alert.properties.detections.items.$ref).toBe('#/components/schemas/Detection');
    expect(schemas.CasePage.properties.items.items.$ref).toBe('#/components/schemas/CaseListItem');
    expect(schemas.CaseListItem.allOf[0].$ref).toBe('#/components/schemas/Case');
    expect(schemas.CaseListItem.allOf[1].properties.slas.items.$ref).toBe('#/components/schemas/SlaSummary');
    expect(operationOf({ method: 'GET', path: '/alerts/{alertId}' }).responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/Alert');
  });
});

describe('the reference page', () => {
  const html = renderDocsPage(doc);

  it('shows every route with its method, path and roles', () => {
    for (const route of routes) {
      const op = operationOf(route);
      const start = html.indexOf(`id="op-${op.operationId}"`);
      expect([routeKeyOf(route), start]).not.toEqual([routeKeyOf(route), -1]);
      const article = html.slice(start, html.indexOf('</article>', start));
      expect(article).toContain(`>${route.method}</span> <code class="path">${route.path}</code>`);
      expect(article).toContain(op.summary.replace(/'/g, '&#39;'));
      for (const role of route.permission ? PERMISSIONS[route.permission] : []) expect(article).toContain(role);
    }
  });

  it('loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/<(script|link|iframe|img|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href|action)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(|@import/i);
  });
});

describe('the reference files public-api serves', () => {
  const generated = referenceFiles();
  it.each(Object.keys(generated))('%s is what the schemas generate now (else run `npm run openapi` and commit)', (name) => {
    const committed = readFileSync(new URL(`../../${REFERENCE_DIR}/${name}`, import.meta.url), 'utf8');
    expect(committed === generated[name] ? 'current' : `${REFERENCE_DIR}/${name} is out of date: run npm run openapi`).toBe('current');
  });
});

describe('the public routes', () => {
  const eventFor = (path: string, headers: Record<string, string> = {}) =>
    ({
      version: '2.0',
      routeKey: `GET ${path}`,
      rawPath: path,
      rawQueryString: '',
      headers,
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path } },
    }) as unknown as APIGatewayProxyEventV2;

  it('GET /openapi.json serves the document, no token needed', async () => {
    const res = await publicApi(eventFor('/openapi.json'), {} as Context);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(res.body!)).toEqual(doc);
  });

  it('GET /docs serves the HTML reference, no token needed', async () => {
    const res = await publicApi(eventFor('/docs'), {} as Context);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers?.['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toMatch(/^<!doctype html>/i);
    expect(res.body).toContain('</html>');
    expect(res.body).toBe(renderDocsPage(doc));
  });
});
