/** Routes that need no token: liveness and the API's own description. */
import { httpHandler, json, route } from '../../lib/http/handler.js';

/**
 * The document is built from every route's zod schemas (~25 ms of schema
 * construction) on the first request for it, not at init: most cold starts of
 * this function answer /health (docs/performance.md).
 */
const reference = () => Promise.all([import('../../lib/http/openapi.js'), import('../../lib/http/docs-page.js')]);

/** Static per deployment: clients and caches may keep them a while. */
const CACHE = { 'cache-control': 'public, max-age=300' };
/** The reference page loads nothing: inline styles only, no scripts, no frames. */
const DOCS_HEADERS = {
  ...CACHE,
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

let docsHtml: string | undefined;

export const routes = {
  'GET /health': route({
    async handle() {
      return json(200, { status: 'ok', service: 'alert-to-case' });
    },
  }),
  'GET /openapi.json': route({
    async handle() {
      const [{ openApiJson }] = await reference();
      return { statusCode: 200, body: openApiJson(), contentType: 'application/json', headers: CACHE };
    },
  }),
  'GET /docs': route({
    async handle() {
      const [{ openApiDocument }, { renderDocsPage }] = await reference();
      docsHtml ??= renderDocsPage(openApiDocument());
      return { statusCode: 200, body: docsHtml, contentType: 'text/html; charset=utf-8', headers: DOCS_HEADERS };
    },
  }),
};

export const handler = httpHandler('public-api', routes);
