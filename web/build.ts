/**
 * Builds the console (web/src) with esbuild into the files it is served as:
 * `index.html`, `app.js`, `app.css`, all under `/console/`, and the modules
 * the console loads only when a page needs them (the Team page's charts:
 * `chart-canvas-<hash>.js`, named by their content so that a page never
 * mixes two builds' files). The local server builds it in memory at start;
 * the stack builds it into its asset at synth.
 * The console shares the role matrix and the stage table with the API by
 * importing them; the Node modules some of those files import for other
 * functions are never called in the browser, so they resolve to nothing.
 */
import { buildSync, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const CONSOLE_PATH = '/console';

/**
 * The headers every console file is sent with (SPEC §8), locally and through
 * CloudFront: its own scripts and styles only, nothing framed or embedded,
 * calls to its own origin and to `connect` (the API and the sign-in domain
 * where they are elsewhere), and no type sniffing.
 */
export function consoleSecurityHeaders(connect: string[] = []): { 'content-security-policy': string; 'x-content-type-options': 'nosniff' } {
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ['connect-src', "'self'", ...connect].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { 'content-security-policy': policy, 'x-content-type-options': 'nosniff' };
}
const root = fileURLToPath(new URL('.', import.meta.url));

export interface ConsoleFile {
  body: Uint8Array;
  contentType: string;
}

const indexHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>alert-to-case</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${CONSOLE_PATH}/app.css" />
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="${CONSOLE_PATH}/app.js"></script>
  </body>
</html>
`;

const OPTIONS: BuildOptions = {
  entryPoints: { app: `${root}src/main.tsx` },
  bundle: true,
  minify: true,
  format: 'esm',
  // A dynamic import() becomes a file of its own, fetched when first called (same origin: the CSP's script-src 'self').
  splitting: true,
  chunkNames: '[name]-[hash]',
  platform: 'browser',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  // What the shared domain files import from Node for other callers (ids, hashes) is never called here.
  alias: { 'node:crypto': `${root}src/no-node.ts` },
  logLevel: 'error',
};

/**
 * The console's files by name (`index.html`, `app.js`, `app.css`), and
 * `config.json` as given: where to sign in and where the API is.
 */
export function buildConsole(config: Record<string, unknown>): Map<string, ConsoleFile> {
  const out = buildSync({ ...OPTIONS, outdir: `${root}dist`, write: false });
  const files = new Map<string, ConsoleFile>();
  for (const file of out.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    files.set(name, { body: file.contents, contentType: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' });
  }
  files.set('index.html', { body: new TextEncoder().encode(indexHtml), contentType: 'text/html; charset=utf-8' });
  files.set('config.json', { body: new TextEncoder().encode(JSON.stringify(config)), contentType: 'application/json' });
  return files;
}
