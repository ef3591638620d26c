/**
 * Real esbuild bundling, as `npx cdk synth` does it: every function's asset is
 * an ES module bundle that loads in Node, and the public handler answers from it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_BUS_ENV } from '../../lib/events/rules.js';
import { FUNCTIONS } from '../../lib/functions.js';
import { openApiDocument, referenceFiles } from '../../lib/http/openapi.js';
import { DOCS_FILE, REFERENCE_FOLDER } from '../../lib/http/reference.js';
import { TABLE_NAME_ENV } from '../../lib/store/table.js';
import { functionLogicalId, resourcesOf, synthStack } from './synth.js';

const outdir = mkdtempSync(join(tmpdir(), 'alert-to-case-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Runs `work` with its lines to stderr kept back (synthesis says "Bundling asset …" for each function), shown only if it throws. */
function quietly<T>(work: () => T): T {
  const write = process.stderr.write;
  const kept: string[] = [];
  process.stderr.write = ((chunk: unknown) => kept.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    return work();
  } catch (error) {
    write.call(process.stderr, kept.join(''));
    throw error;
  } finally {
    process.stderr.write = write;
  }
}

const { stack, template } = quietly(() => synthStack({}, { bundle: true, outdir }));

/** The staged asset directory of a function: the S3 key is the asset hash. */
function assetDirOf(name: string): string {
  const code = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(stack, name)].Properties.Code;
  const hash = String(code.S3Key).replace(/\.zip$/, '');
  return join(outdir, `asset.${hash}`);
}

/**
 * Runs an ES module snippet in a fresh Node process inside the asset directory,
 * with only the variables the stack gives that function (no table name for a
 * function without a table).
 */
function runInBundle(name: string, script: string): string {
  const spec = FUNCTIONS.find((f) => f.name === name)!;
  return execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
    cwd: assetDirOf(name),
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      ...(spec.table ? { [TABLE_NAME_ENV]: 'not-used' } : {}),
      ...(spec.publishes ? { [EVENT_BUS_ENV]: 'not-used' } : {}),
    },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('bundling with esbuild', () => {
  it.each(FUNCTIONS.map((f) => [f.name]))('%s ships a minified ES module with its source map', (name) => {
    const bundle = join(assetDirOf(name), 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const code = readFileSync(bundle, 'utf8');
    // ESM has no `require`: the banner gives the CommonJS parts of dependencies one.
    expect(code.startsWith("import { createRequire } from 'module';")).toBe(true);
    // Minified: a few dozen lines (comments esbuild must keep), not the tens of thousands of the sources.
    expect(code.split('\n').length).toBeLessThan(1000);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });

  it.each(FUNCTIONS.map((f) => [f.name]))('%s loads in Node and exports its handler', (name) => {
    const out = runInBundle(name, "const m = await import('./index.mjs'); console.log(typeof m.handler);");
    expect(out.trim()).toBe('function');
  });

  /** What the bundled public handler answers to GET `path`. */
  function publicGet(path: string): { statusCode: number; headers: Record<string, string>; body: string } {
    const event = {
      version: '2.0',
      routeKey: `GET ${path}`,
      rawPath: path,
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path }, requestId: 'bundle-test', routeKey: `GET ${path}`, timeEpoch: 0 },
    };
    const out = runInBundle(
      'public-api',
      `const { handler } = await import('./index.mjs');
       const res = await handler(${JSON.stringify(event)}, { awsRequestId: 'bundle-test', functionName: 'public-api', getRemainingTimeInMillis: () => 10000 });
       console.log(JSON.stringify(res));`,
    );
    return JSON.parse(out.trim().split('\n').at(-1)!);
  }

  it('leaves the operations\' documentation out of the functions, keeping their routes', () => {
    // The documentation is for the OpenAPI document (CONTRACT_DOCS is false in a function's bundle, lib/contract/operation.ts).
    const code = readFileSync(join(assetDirOf('cases-api'), 'index.mjs'), 'utf8');
    expect(code).toContain('POST /cases/{caseId}/work-notes');
    expect(code).not.toContain('Add a work note');
    expect(code).not.toContain('A work note on an accepted major case is written on its open children too.');
  });

  it('answers GET /health from the bundled public handler', () => {
    const response = publicGet('/health');
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok' });
  });

  it('ships the API reference beside the public bundle, and serves it from there', () => {
    const generated = referenceFiles();
    for (const [name, text] of Object.entries(generated)) {
      expect(readFileSync(join(assetDirOf('public-api'), REFERENCE_FOLDER, name), 'utf8')).toBe(text);
    }
    const document = publicGet('/openapi.json');
    expect(document.statusCode).toBe(200);
    expect(JSON.parse(document.body)).toEqual(openApiDocument());
    const page = publicGet('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(generated[DOCS_FILE]);
    // The functions that serve no reference carry no copy of it.
    expect(existsSync(join(assetDirOf('alerts-api'), REFERENCE_FOLDER))).toBe(false);
  });
});
