/**
 * Cold start: every deployed function's minified bundle, built as the stack
 * builds it, and the median time to import it in a fresh Node process —
 * against a floor bundle built the same way that only creates the AWS SDK
 * clients the function uses.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLING, ESM_REQUIRE_BANNER } from '../cdk/constructs/app-function.js';
import { FUNCTIONS, type FunctionSpec } from '../lib/functions.js';

export interface ColdStart {
  function: string;
  bundleBytes: number;
  initMs: number;
  floorBundleBytes: number;
  floorInitMs: number;
}

async function bundle(entry: string, outdir: string): Promise<string> {
  const outfile = join(outdir, 'index.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    ...BUNDLING,
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'error',
  });
  return outfile;
}

/** The floor: the SDK clients the function uses, created at init, and nothing else. */
function floorSource(spec: FunctionSpec): string {
  const lines: string[] = [];
  if (spec.table) {
    lines.push("import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';");
    lines.push("export const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));");
  }
  if (spec.publishes) {
    lines.push("import { EventBridgeClient } from '@aws-sdk/client-eventbridge';", "export const events = new EventBridgeClient({ region: 'us-east-1' });");
  }
  if (spec.pausesStreamOf) {
    lines.push("import { LambdaClient } from '@aws-sdk/client-lambda';", "export const lambda = new LambdaClient({ region: 'us-east-1' });");
  }
  lines.push('export const handler = async () => ({});');
  return lines.join('\n');
}

/**
 * Time to import a bundle in a fresh Node process, module init included.
 * stdout and stderr exist before the clock starts: in Lambda the runtime has
 * set them up (it patches console) before it loads the handler, and here the
 * script prints its figure through stdout after the clock stops.
 */
function importMs(file: string): number {
  const script = `process.stdout; process.stderr; const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      TABLE_NAME: 'bench',
      AWS_REGION: 'us-east-1',
      EVENT_BUS_NAME: 'bench',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  return Number(out);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Median import times of a bundle and its floor over `runs` fresh processes
 * each, taken in alternation so both see the same machine: on two busy cores
 * a block of runs of one after a block of the other drifts by 20 ms or more,
 * and single imports of one bundle range over ±20 ms. With 41 runs each the
 * difference of the medians repeats within a few ms.
 */
function initMs(file: string, floorFile: string, runs: number): { initMs: number; floorInitMs: number } {
  const own: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    own.push(importMs(file));
    floor.push(importMs(floorFile));
  }
  return { initMs: median(own), floorInitMs: median(floor) };
}

export async function measureColdStarts(workDir: string, runs = 41): Promise<ColdStart[]> {
  const results: ColdStart[] = [];
  for (const spec of FUNCTIONS) {
    const dir = join(workDir, spec.name);
    const floorDir = join(workDir, `${spec.name}-floor`);
    mkdirSync(floorDir, { recursive: true });
    const file = await bundle(spec.entry, dir);
    const floorEntry = join(floorDir, 'entry.mjs');
    writeFileSync(floorEntry, floorSource(spec));
    const floorFile = await bundle(floorEntry, floorDir);
    const times = initMs(file, floorFile, runs);
    results.push({
      function: spec.name,
      bundleBytes: statSync(file).size,
      initMs: round(times.initMs),
      floorBundleBytes: statSync(floorFile).size,
      floorInitMs: round(times.floorInitMs),
    });
  }
  return results;
}

const round = (n: number) => Math.round(n * 10) / 10;
