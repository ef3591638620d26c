/** Routes that need no token: liveness, the API's own description, and the way to the console. */
import { readFile } from 'node:fs/promises';
import { PUBLIC_API } from '../../lib/contract/operations/public.js';
import { httpHandler, json, type Handlers } from '../../lib/http/handler.js';
import { CONSOLE_URL_ENV, DOCS_FILE, OPENAPI_FILE, REFERENCE_FOLDER } from '../../lib/http/reference.js';
import { NotFound } from '../../lib/domain/errors.js';

/** Static per deployment: clients and caches may keep them a while. */
const CACHE = { 'cache-control': 'public, max-age=300' };
/** The reference page loads nothing: inline styles only, no scripts, no frames. */
const DOCS_HEADERS = {
  ...CACHE,
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/**
 * The reference files, generated from the schemas by `npm run openapi`
 * (lib/http/reference.ts). They sit next to this module: in the source tree
 * and, copied by the bundling, next to the bundle. Read once per container.
 */
const folder = new URL(`./${REFERENCE_FOLDER}/`, import.meta.url);
const files = new Map<string, Promise<string>>();
function reference(name: string): Promise<string> {
  let text = files.get(name);
  if (!text) {
    text = readFile(new URL(name, folder), 'utf8');
    files.set(name, text);
    text.catch(() => files.delete(name));
  }
  return text;
}

export const routes = {
  'GET /health': async () => json(200, { status: 'ok', service: 'alert-to-case' }),
  'GET /openapi.json': async () => ({ statusCode: 200, body: await reference(OPENAPI_FILE), contentType: 'application/json', headers: CACHE }),
  'GET /docs': async () => ({ statusCode: 200, body: await reference(DOCS_FILE), contentType: 'text/html; charset=utf-8', headers: DOCS_HEADERS }),
  // The console is served from its own distribution (the stack's ConsoleSite); this page leads there. Locally the local server serves the console itself.
  'GET /console': async () => {
    const url = process.env[CONSOLE_URL_ENV];
    if (!url || !/^https:\/\/[A-Za-z0-9.-]+\/console\/$/.test(url)) throw new NotFound('This deployment has no console.');
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${url}"><title>alert-to-case console</title></head><body><p><a href="${url}">Open the console</a></p></body></html>`;
    return { statusCode: 200, body, contentType: 'text/html; charset=utf-8', headers: DOCS_HEADERS };
  },
} satisfies Handlers<typeof PUBLIC_API>;

export const handler = httpHandler(PUBLIC_API, routes);
