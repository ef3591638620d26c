/**
 * The local HTTP server: turns requests into API Gateway HTTP API (v2) events,
 * checks the JWT as the API's authorizer would and puts its claims where API
 * Gateway puts them, then calls the route's function. `POST /` with
 * `X-Amz-Target: AWSEvents.PutEvents` goes to the local bus instead.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { jwtVerify } from 'jose';
import { formatGroupsClaim } from '../lib/http/auth.js';
import { MAX_BODY_BYTES } from '../lib/contract/operation.js';
import { isSystemActorName } from '../lib/http/auth.js';
import { ROLES } from '../lib/contract/permissions.js';
import type { FunctionGroup } from '../lib/contract/operation.js';
import { matchRoute } from '../lib/http/routes.js';
import { CONSOLE_PATH, consoleSecurityHeaders, type ConsoleFile } from '../web/build.js';
import { signLocalToken } from './tokens.js';
import type { LocalBus } from './eventbridge.js';
import { localContext } from './stream-poller.js';

/** Where the local server lists the events the service published. */
export const LOCAL_EVENTS_PATH = '/_local/events';
/** Where the console's local "Sign in" page gets a token (local only: the stack has no such route). */
export const LOCAL_TOKEN_PATH = '/_local/token';

export type HttpFunction = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface AdapterOptions {
  functions: Record<FunctionGroup, HttpFunction>;
  /** Each function's timeout, as Lambda would give it. */
  timeoutsMs: Record<FunctionGroup, number>;
  bus: LocalBus;
  jwtSecret: string;
  /** The console's files (web/build.ts), served under /console. */
  console?: Map<string, ConsoleFile>;
}

const CONSOLE_HEADERS = consoleSecurityHeaders();

/** Whether a request comes from this server's own page: its Host and Origin both name this server, by a loopback name and its port. */
function isOwnPage(req: IncomingMessage): boolean {
  const port = req.socket.localPort;
  const own = new Set(['localhost', '127.0.0.1', '[::1]'].map((name) => `${name}:${port}`));
  const origin = req.headers.origin ?? '';
  return own.has(req.headers.host ?? '') && origin.startsWith('http://') && own.has(origin.slice('http://'.length));
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function problem(res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string> = {}) {
  send(res, status, JSON.stringify({ type: 'about:blank', status, title, detail }), { 'content-type': 'application/problem+json', ...headers });
}

/** Reads the body up to the limit; a larger one is refused with 413 without reading it all. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** API Gateway hands claims to the function as strings; arrays become `[a b]`. */
function claimsAsApiGatewayDoes(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? formatGroupsClaim(v.map(String)) : typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

export function createHttpServer(options: AdapterOptions): Server {
  const secret = new TextEncoder().encode(options.jwtSecret);

  async function authenticate(header: string | undefined): Promise<Record<string, string> | undefined> {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      return claimsAsApiGatewayDoes(payload as Record<string, unknown>);
    } catch {
      return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (body === 'too-large') {
      problem(res, 413, 'Content Too Large', `Bodies over ${MAX_BODY_BYTES} bytes are refused.`, { connection: 'close' });
      return;
    }
    if (method === 'POST' && url.pathname === '/' && req.headers['x-amz-target'] === 'AWSEvents.PutEvents') {
      const out = options.bus.putEvents(body.toString('utf8'));
      // Every EventBridge answer names its request: SDKs read it into $metadata.requestId and into their errors.
      send(res, out.status, JSON.stringify(out.body), { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
      return;
    }
    if (method === 'GET' && url.pathname === LOCAL_EVENTS_PATH) {
      // Local only: what the service published on the bus, to inspect (there is no such route in AWS).
      const type = url.searchParams.get('detailType');
      const items = options.bus.published.filter((e) => !type || e['detail-type'] === type);
      send(res, 200, JSON.stringify({ items }), { 'content-type': 'application/json' });
      return;
    }
    if (options.console && method === 'GET' && (url.pathname === CONSOLE_PATH || url.pathname.startsWith(`${CONSOLE_PATH}/`))) {
      const name = url.pathname.slice(CONSOLE_PATH.length + 1) || 'index.html';
      const file = options.console.get(name);
      if (!file) problem(res, 404, 'Not Found', `The console has no file ${name}.`, CONSOLE_HEADERS);
      else send(res, 200, Buffer.from(file.body), { 'content-type': file.contentType, 'cache-control': 'no-cache', ...CONSOLE_HEADERS });
      return;
    }
    if (method === 'POST' && url.pathname === LOCAL_TOKEN_PATH) {
      // Local only: the console's "Sign in" page, the same tokens `npm run token` makes; never for a page of another site
      // (a foreign Origin), nor one that reached this server under another name (DNS rebinding: a foreign Host).
      if (!isOwnPage(req)) {
        problem(res, 403, 'Forbidden', `${LOCAL_TOKEN_PATH} answers only this server's own console: Host and Origin must name this server (localhost or 127.0.0.1 and its port).`);
        return;
      }
      sendToken(res, body);
      return;
    }
    const match = matchRoute(method, url.pathname);
    if (!match || !('route' in match)) {
      problem(res, 404, 'Not Found', `No route ${method} ${url.pathname}.`);
      return;
    }
    const { route, params } = match;
    let claims: Record<string, string> | undefined;
    if (route.permission) {
      claims = await authenticate(req.headers.authorization);
      if (!claims) {
        problem(res, 401, 'Unauthorized', 'A valid bearer token is required.', { 'www-authenticate': 'Bearer' });
        return;
      }
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    const routeKey = route.key;
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters: Object.keys(params).length ? params : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
      body: body.length ? body.toString('utf8') : undefined,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const result = await options.functions[route.fn](event, localContext(route.fn, options.timeoutsMs[route.fn]));
    send(res, result.statusCode ?? 200, typeof result.body === 'string' ? result.body : '', (result.headers ?? {}) as Record<string, string>);
  }

  async function sendTokenFor(res: ServerResponse, body: Buffer) {
    let request: { sub?: unknown; roles?: unknown };
    try {
      request = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      request = {};
    }
    const { sub, roles } = request;
    const subOk = typeof sub === 'string' && /^[A-Za-z0-9._@+-]{1,128}$/.test(sub) && !isSystemActorName(sub);
    const rolesOk = Array.isArray(roles) && roles.length > 0 && roles.every((r) => (ROLES as readonly unknown[]).includes(r));
    if (!subOk || !rolesOk) {
      const errors = [...(subOk ? [] : [{ path: 'sub', message: 'a user name: letters, digits and . _ @ + -' }]), ...(rolesOk ? [] : [{ path: 'roles', message: `one or more of ${ROLES.join(', ')}` }])];
      send(res, 400, JSON.stringify({ type: 'about:blank', status: 400, title: 'Bad Request', detail: 'A user and at least one role are needed.', errors }), { 'content-type': 'application/problem+json' });
      return;
    }
    const token = await signLocalToken({ sub, roles: roles as string[], secret: options.jwtSecret, ttlSeconds: 8 * 3600 });
    send(res, 200, JSON.stringify({ token }), { 'content-type': 'application/json' });
  }
  const sendToken = (res: ServerResponse, body: Buffer) => void sendTokenFor(res, body).catch(() => problem(res, 500, 'Internal Server Error', 'Signing the token failed.'));

  return createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('[http] unhandled', error);
      if (!res.headersSent) problem(res, 500, 'Internal Server Error', 'The local server failed; see its log.');
      else res.end();
    });
  });
}
