import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { routes as alertRoutes, handler as alertsApi } from '../../functions/http/alerts-api.js';
import { routes as caseRoutes, handler as casesApi } from '../../functions/http/cases-api.js';
import { routes as caseListRoutes, handler as caseListsApi } from '../../functions/http/case-lists-api.js';
import { routes as caseInstallBaseRoutes, handler as caseInstallBaseApi } from '../../functions/http/case-install-base-api.js';
import { routes as configRoutes, handler as configApi } from '../../functions/http/config-api.js';
import { routes as catalogRoutes, handler as catalogApi } from '../../functions/http/catalog-api.js';
import { routes as ingestRoutes, handler as ingestApi } from '../../functions/http/ingest-api.js';
import { routes as publicRoutes, handler as publicApi } from '../../functions/http/public-api.js';
import { routes as assignmentRoutes, handler as assignmentApi } from '../../functions/http/assignment-api.js';
import { routes as slaRoutes, handler as slaApi } from '../../functions/http/sla-api.js';
import { routes as metricsRoutes, handler as metricsApi } from '../../functions/http/metrics-api.js';
import { formatGroupsClaim, parseGroups } from '../../lib/http/auth.js';
import { parseIfMatch } from '../../lib/http/handler.js';
import { ROLES, type Role } from '../../lib/contract/permissions.js';
import { parseNothing, parseWith } from '../../lib/contract/validation.js';
import * as z from 'zod/mini';
import { matchRoute } from '../../lib/http/routes.js';
import { OPERATIONS as ROUTES } from '../../lib/contract/api.js';
import type { FunctionGroup, Operation } from '../../lib/contract/operation.js';

const routeKeyOf = (r: Operation) => r.key;

const handlers: Record<FunctionGroup, (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>> = {
  'alerts-api': alertsApi,
  'cases-api': casesApi,
  'case-lists-api': caseListsApi,
  'case-install-base-api': caseInstallBaseApi,
  'config-api': configApi,
  'catalog-api': catalogApi,
  'ingest-api': ingestApi,
  'assignment-api': assignmentApi,
  'sla-api': slaApi,
  'metrics-api': metricsApi,
  'public-api': publicApi,
};
const served = { ...alertRoutes, ...caseRoutes, ...caseListRoutes, ...caseInstallBaseRoutes, ...configRoutes, ...catalogRoutes, ...ingestRoutes, ...assignmentRoutes, ...slaRoutes, ...metricsRoutes, ...publicRoutes };

describe('the route table', () => {
  it('has a handler for every route and a route for every handler', () => {
    expect(Object.keys(served).sort()).toEqual(ROUTES.map(routeKeyOf).sort());
  });

  it('uses one variable name per path level, as API Gateway requires', () => {
    const names = new Map<string, string>();
    for (const route of ROUTES) {
      const parts = route.path.split('/').filter(Boolean);
      parts.forEach((part, i) => {
        if (!part.startsWith('{')) return;
        const level = parts.slice(0, i).join('/');
        expect([level, names.get(level) ?? part]).toEqual([level, part]);
        names.set(level, part);
      });
    }
  });

  it('matches paths to templates with their parameters', () => {
    expect(matchRoute('GET', '/cases/CS0001001')).toMatchObject({ route: { path: '/cases/{caseId}' }, params: { caseId: 'CS0001001' } });
    expect(matchRoute('POST', '/alerts/alr_1/case')).toMatchObject({ route: { path: '/alerts/{alertId}/case' } });
    expect(matchRoute('DELETE', '/alerts')).toEqual({ allowed: ['POST', 'GET'] });
    expect(matchRoute('GET', '/nothing/here')).toBeUndefined();
  });
});

describe('claims', () => {
  it('reads groups as API Gateway flattens them, and as arrays', () => {
    expect(parseGroups('[evt_mgmt_admin sn_customerservice_agent]')).toEqual(['evt_mgmt_admin', 'sn_customerservice_agent']);
    expect(parseGroups(['a', 'b'])).toEqual(['a', 'b']);
    expect(parseGroups(formatGroupsClaim(['x']))).toEqual(['x']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('never splits a role out of a group name: commas, quotes and brackets inside a name grant nothing', () => {
    for (const hostile of ['readers,evt_mgmt_admin', '"evt_mgmt_admin"', 'evt_mgmt_admin,', "'evt_mgmt_admin'", 'EVT_MGMT_ADMIN', 'evt_mgmt_admin\u0000']) {
      expect(parseGroups(formatGroupsClaim([hostile, 'readers']))).not.toContain('evt_mgmt_admin');
      expect(parseGroups([hostile])).not.toContain('evt_mgmt_admin');
      expect(parseGroups(hostile)).toEqual([hostile]);
    }
    // A bare string is one name, not a list.
    expect(parseGroups('readers evt_mgmt_admin')).toEqual(['readers evt_mgmt_admin']);
    expect(parseGroups('[readers,evt_mgmt_admin]')).toEqual(['readers,evt_mgmt_admin']);
  });

  it('reads If-Match as an ETag, a weak ETag or a bare version', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"4"')).toBe(4);
    expect(parseIfMatch('5')).toBe(5);
    expect(parseIfMatch('*')).toBeUndefined();
    expect(() => parseIfMatch('"abc"')).toThrow(/version/);
  });
});

describe('routes that take no body, query string or path parameters', () => {
  const outcome = (parse: () => unknown) => {
    try {
      return { ok: parse() };
    } catch (error) {
      const e = error as { message: string; errors?: unknown };
      return { message: e.message, errors: e.errors };
    }
  };

  it.each([[{}], [{ unexpected: '1' }], [{ a: 1, b: 2 }], [[]], ['text'], [7]])('refuse %j exactly as a strict empty zod object would', (value) => {
    expect(outcome(() => parseNothing(value, 'query string'))).toEqual(outcome(() => parseWith(z.strictObject({}), value, 'query string')));
  });
});

describe('validation errors', () => {
  it('tell a field of the wrong type from a missing one', () => {
    const schema = z.strictObject({ name: z.string(), count: z.number() });
    expect(() => parseWith(schema, { name: 5, count: 1 }, 'body')).toThrow('The body is not valid: name expected string.');
    expect(() => parseWith(schema, { name: 'x' }, 'body')).toThrow('The body is not valid: count required (number).');
  });
});

/**
 * Every route × every role, plus no token. Requests carry an unknown query
 * parameter, so a caller who passes authorization gets a 400 from validation
 * and nothing reaches the database.
 */
describe('the role matrix (SPEC §3) on every route', () => {
  function eventFor(route: Operation, roles: Role[] | undefined, sub = 'tester'): APIGatewayProxyEventV2 {
    const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, 'x']));
    return {
      version: '2.0',
      routeKey: routeKeyOf(route),
      rawPath: route.path,
      rawQueryString: 'unexpected=1',
      headers: {},
      queryStringParameters: { unexpected: '1' },
      pathParameters: params,
      isBase64Encoded: false,
      requestContext: {
        http: { method: route.method, path: route.path },
        ...(roles ? { authorizer: { jwt: { claims: { sub, 'cognito:groups': formatGroupsClaim(roles) } } } } : {}),
      },
    } as unknown as APIGatewayProxyEventV2;
  }

  const A = 'evt_mgmt_admin', O = 'evt_mgmt_operator', G = 'sn_customerservice_agent', M = 'sn_customerservice_manager';
  // SPEC §3 written out per route, independently of lib/http/permissions.ts.
  const allowed: Record<string, string[]> = {
    'POST /alerts': [A, O],
    'GET /alerts': [A, O, G, M],
    'GET /alerts/{alertId}': [A, O, G, M],
    'PATCH /alerts/{alertId}': [A, O],
    'POST /alerts/{alertId}/case': [A, O],
    'POST /alerts/convert': [A, O],
    'GET /alerts/{alertId}/history': [A, O, G, M],
    'POST /alerts/{alertId}/impact/refresh': [A, O],
    'GET /alerts/{alertId}/impacted-cis': [A, O, G, M],
    'GET /alerts/{alertId}/affected-install-base': [A, O, G, M],
    'POST /cases': [G, M],
    'GET /cases': [A, O, G, M],
    'GET /cases/{caseId}': [A, O, G, M],
    'PATCH /cases/{caseId}': [G, M],
    'POST /cases/{caseId}/work-notes': [A, O, G, M],
    'GET /cases/{caseId}/work-notes': [A, O, G, M],
    'GET /cases/{caseId}/history': [A, O, G, M],
    'GET /cases/{caseId}/affected-install-base': [A, O, G, M],
    'POST /cases/{caseId}/affected-install-base': [G, M],
    'DELETE /cases/{caseId}/affected-install-base/{installBaseItemId}': [G, M],
    'POST /cases/{caseId}/install-base-health/refresh': [G, M],
    'GET /cases/{caseId}/details': [A, O, G, M],
    'GET /cases/{caseId}/alerts': [A, O, G, M],
    'POST /cases/{caseId}/alerts': [A, O, G, M],
    'DELETE /cases/{caseId}/alerts/{alertId}': [A, O, G, M],
    'POST /service-map/import': [A],
    'GET /cis/{ciId}': [A, O, G, M],
    'POST /install-base/import': [A],
    'GET /accounts': [A, O, G, M],
    'GET /accounts/{accountId}/install-base': [A, O, G, M],
    'POST /cases/{caseId}/major-case/propose': [G, M],
    'POST /cases/{caseId}/major-case/accept': [M],
    'POST /cases/{caseId}/major-case/reject': [M],
    'GET /rules/proactive-case': [A, O, G, M],
    'PUT /rules/proactive-case': [A],
    'GET /rules/case-sync': [A, O, G, M],
    'PUT /rules/case-sync': [A],
    'GET /playbooks': [A, O, G, M],
    'POST /playbooks': [A],
    'GET /playbooks/{playbookId}': [A, O, G, M],
    'PUT /playbooks/{playbookId}': [A],
    'DELETE /playbooks/{playbookId}': [A],
    'POST /playbooks/{playbookId}/test': [A],
    'GET /queues': [A, O, G, M],
    'PUT /queues/{queueId}': [A, M],
    'GET /inbox': [G, M],
    'PUT /users/{sub}': [G, M],
    'GET /users': [M],
    'GET /queues/{queueId}/work-items': [M],
    'POST /work-items/{workItemId}/accept': [G, M],
    'POST /work-items/{workItemId}/reject': [G, M],
    'GET /slas': [A, O, G, M],
    'POST /slas': [A],
    'GET /slas/{slaId}': [A, O, G, M],
    'PUT /slas/{slaId}': [A],
    'DELETE /slas/{slaId}': [A],
    'GET /cases/{caseId}/slas': [A, O, G, M],
    'GET /metrics/summary': [A, O, G, M],
    'GET /integrations': [A],
    'POST /integrations': [A],
    'DELETE /integrations/{integrationId}': [A],
  };

  it('covers every protected route', () => {
    expect(Object.keys(allowed).sort()).toEqual(ROUTES.filter((r) => 'permission' in r).map(routeKeyOf).sort());
  });

  // The ingest routes take no user token at all: their own tests are below.
  const cases = ROUTES.filter((route) => !('ingest' in route)).flatMap((route) => [
    ...ROLES.map((role) => [routeKeyOf(route), role, route] as const),
    [routeKeyOf(route), 'no token', route] as const,
  ]);

  it.each(cases)('%s as %s', async (_key, role, route) => {
    const res = await handlers[route.fn](eventFor(route, role === 'no token' ? undefined : [role]), {} as Context);
    const roles = allowed[routeKeyOf(route)];
    const expected = !roles ? 400 : role === 'no token' ? 401 : roles.includes(role) ? 400 : 403;
    expect(res.statusCode).toBe(expected);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
  });

  it.each(ROUTES.filter((route) => 'ingest' in route).flatMap((route) => ROLES.map((role) => [routeKeyOf(route), role, route] as const)))(
    '%s grants nothing to a user token (%s): no key, no ingest',
    async (_key, role, route) => {
      const { rawQueryString: _q, queryStringParameters: _p, ...event } = eventFor(route, [role]);
      const token = `Bearer ${'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl'}`;
      const res = await handlers[route.fn]({ ...event, rawQueryString: '', headers: { ...event.headers, authorization: token }, body: JSON.stringify({ routing_key: token }) }, {} as Context);
      if (route.path.includes('pagerduty')) {
        expect([res.statusCode, JSON.parse(String(res.body)).status]).toEqual([400, 'invalid event']);
      } else {
        expect([res.statusCode, res.headers?.['content-type']]).toEqual([401, 'application/problem+json']);
      }
    },
  );

  it.each(['schedule', 'rule:proactive-case', 'playbook:pb_1', 'alert:alr_1', 'integration:x', 'a:b'])(
    'refuses a token whose subject could be taken for the system actor %s (401)',
    async (sub) => {
      const route = ROUTES.find((r) => routeKeyOf(r) === 'GET /alerts')!;
      const res = await handlers[route.fn](eventFor(route, ['evt_mgmt_admin'], sub), {} as Context);
      expect(res.statusCode).toBe(401);
      expect(res.headers?.['content-type']).toBe('application/problem+json');
    },
  );
});
