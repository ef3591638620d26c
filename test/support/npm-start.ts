/** `npm start` as a separate process, as a newcomer runs it (local/main.ts with its flags), on a port of its own. */
import { spawn } from 'node:child_process';
import { freePort } from '../../local/dynamodb.js';
import { eventually } from './http.js';

/** Starts `npm start` on `port` (`--in-memory` unless a data directory is given) with more flags; does not wait for it. */
export function startNpmStart(port: number, dataDir: string | undefined, ...flags: string[]) {
  const storage = dataDir ? ['--data-dir', dataDir] : ['--in-memory'];
  const child = spawn('node', ['--import', 'tsx', 'local/main.ts', '--port', String(port), ...storage, ...flags], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, output: () => output };
}

/** `npm start -- --in-memory` with `flags`, once /health answers; `stop` ends it with Ctrl-C and says how it exited. */
export async function runningNpmStart(...flags: string[]) {
  const port = await freePort();
  const started = startNpmStart(port, undefined, ...flags);
  const base = `http://127.0.0.1:${port}`;
  await eventually(async () => ((await fetch(`${base}/health`).catch(() => undefined))?.ok ? true : undefined), 90_000);
  return {
    base,
    ...started,
    async stop(): Promise<number | null> {
      started.child.kill('SIGINT');
      return started.exited;
    },
  };
}
