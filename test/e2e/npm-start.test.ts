/**
 * `npm start` as a newcomer runs it: a real process with its own DynamoDB
 * Local, answering /health, and leaving no Java process behind on Ctrl-C.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/dynamodb.js';
import { signLocalToken } from '../../local/tokens.js';
import { eventually } from '../support/http.js';

const javaChildrenOf = (pid: number): number[] => {
  try {
    // Every DynamoDB Local whose parent is the started process.
    const out = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((l) => l.trim().split(/\s+/, 3))
      .filter(([, ppid, args]) => Number(ppid) === pid && args?.includes('java'))
      .map(([p]) => Number(p));
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function start(port: number, dataDir: string) {
  const child = spawn('node', ['--import', 'tsx', 'local/main.ts', '--port', String(port), '--data-dir', dataDir], {
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

it('starts with data under a data directory, answers /health, stops cleanly on SIGINT, and keeps the data for the next start', async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'a2c-data-'));
  const token = await signLocalToken({ sub: 'olivia', roles: ['evt_mgmt_operator'] });
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let { child, exited, output } = start(port, dataDir);
  try {
    const health = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return res?.ok ? res.json() : undefined;
    }, 60_000);
    expect(health).toMatchObject({ status: 'ok' });
    const java = javaChildrenOf(child.pid!);
    expect(java).toHaveLength(1);
    const raised = await fetch(`http://127.0.0.1:${port}/alerts`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ source: 'nagios', sourceAlertId: 'kept', severity: 'minor', description: 'kept across restarts' }),
    }).then((r) => r.json() as Promise<{ alertId: string }>);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await eventually(async () => (alive(java[0]) ? undefined : true), 10_000);

    ({ child, exited, output } = start(port, dataDir));
    const again = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/alerts/${raised.alertId}`, { headers: auth }).catch(() => undefined);
      return res?.ok ? res.json() : undefined;
    }, 60_000);
    expect(again).toMatchObject({ alertId: raised.alertId, description: 'kept across restarts' });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- npm start output ---\n${output()}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);
