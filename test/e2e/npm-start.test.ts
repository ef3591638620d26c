/**
 * `npm start` as a newcomer runs it: a real process with its own DynamoDB
 * Local, answering /health, and leaving no Java process behind on Ctrl-C.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { freePort, localClient, startDynamo } from '../../local/dynamodb.js';
import { createTableInput, LAYOUT_VERSION } from '../../lib/store/table.js';
import { signLocalToken } from '../../local/tokens.js';
import { eventually } from '../support/http.js';
import { startNpmStart } from '../support/npm-start.js';

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

const start = startNpmStart;

// Two full starts of `npm start` (each a DynamoDB Local and the runtime): minutes on a machine busy with another job (a run beside the scale bench needed more than 90 s).
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
}, 240_000);

it('refuses a data directory written by the previous layout: one line saying so and how to start fresh, a failing exit, no Java left', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'a2c-old-'));
  try {
    // What the first layout left behind: the same table with every index projecting ALL, and its items.
    const dynamo = await startDynamo({ dataDir });
    const db = localClient(dynamo.endpoint);
    const current = createTableInput('alert-to-case');
    await db.send(
      new CreateTableCommand({ ...current, GlobalSecondaryIndexes: current.GlobalSecondaryIndexes.map((i) => ({ ...i, Projection: { ProjectionType: 'ALL' } })) }),
    );
    await db.send(new PutItemCommand({ TableName: 'alert-to-case', Item: { pk: { S: 'COUNTER#case' }, sk: { S: 'COUNTER' }, entity: { S: 'counter' }, value: { N: '7' } } }));
    db.destroy();
    await dynamo.stop();

    const { child, exited, output } = start(await freePort(), dataDir);
    const code = await Promise.race([exited, new Promise<string>((done) => setTimeout(() => done('still running'), 60_000).unref())]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(1);
    const refusal = output().split('\n').filter((line) => /layout/.test(line));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toMatch(new RegExp(`written by layout 1 .* this version reads and writes layout ${LAYOUT_VERSION}\\. Move or delete .* to start fresh`));
    expect(javaChildrenOf(child.pid!)).toEqual([]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

/** How long `npm start --demo` may take to answer /health (its test gets this and a minute more). */
const DEMO_START_MS = 150_000;
const DEMO_TEST_MS = DEMO_START_MS + 60_000;

/**
 * `npm start --demo` on a free port: `scenario` runs once /health answers,
 * then Ctrl-C must stop the server cleanly. A failure carries the server's output.
 */
async function againstDemo(scenario: (base: string) => Promise<void>) {
  const port = await freePort();
  const { child, exited, output } = start(port, undefined, '--demo');
  const base = `http://127.0.0.1:${port}`;
  try {
    // A first start compiles the code and starts Java: beside a bench on two busy cores, over a minute.
    await eventually(async () => ((await fetch(`${base}/health`).catch(() => undefined))?.ok ? true : undefined), DEMO_START_MS);
    await scenario(base);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- npm start output ---\n${output()}`);
  }
}

it('runs the demo scenario once /health answers (the demo is loaded by then): alerts on the service map, impact, a case with its install base, health and details', () =>
  againstDemo(async (base) => {
    const as = async (sub: string, role: string) => ({
      authorization: `Bearer ${await signLocalToken({ sub, roles: [role] })}`,
      'content-type': 'application/json',
    });
    const operator = await as('olivia', 'evt_mgmt_operator');
    const agent = await as('adam', 'sn_customerservice_agent');
    const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as any) }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const alerts = (await call('GET', '/alerts?state=open', operator)).body.items;
    expect(alerts).toHaveLength(5);
    const dbAlert = alerts.find((a: { ciId?: string }) => a.ciId === 'db-customers');
    expect(dbAlert).toMatchObject({ severity: 'critical' });

    const impact = await call('POST', `/alerts/${dbAlert.alertId}/impact/refresh`, operator);
    expect(impact.body.impactedCis.map((c: { ciId: string }) => c.ciId)).toEqual(
      expect.arrayContaining(['db-customers', 'as-auth', 'bs-online-banking', 'bs-customer-portal']),
    );
    const accounts = impact.body.affectedInstallBase.map((g: { accountId: string }) => g.accountId);
    expect(accounts).toEqual(expect.arrayContaining(['acme', 'umbrella', 'initech', 'corp-it']));

    const kase = await call('POST', `/alerts/${dbAlert.alertId}/case`, operator, { shortDescription: 'Customers DB outage', accountId: 'acme' });
    expect(kase).toMatchObject({ status: 201, body: { priority: 'critical', accountId: 'acme' } });
    const attached = await call('GET', `/cases/${kase.body.caseId}/affected-install-base`, agent);
    expect(attached.body.affectedInstallBase.map((g: { accountId: string }) => g.accountId).sort()).toEqual([...accounts].sort());

    expect((await call('POST', `/cases/${kase.body.caseId}/affected-install-base`, agent, { installBaseItemId: 'ib-globex-payments' })).status).toBe(201);
    expect((await call('DELETE', `/cases/${kase.body.caseId}/affected-install-base/ib-corpit-sso`, agent)).status).toBe(204);
    const health = await call('POST', `/cases/${kase.body.caseId}/install-base-health/refresh`, agent);
    expect(health.status).toBe(200);
    const byItem = Object.fromEntries(health.body.items.map((i: { installBaseItemId: string; health: string }) => [i.installBaseItemId, i.health]));
    expect(byItem['ib-acme-banking']).toBe('critical');
    const details = await call('GET', `/cases/${kase.body.caseId}/details`, agent);
    expect(details.body.alert.alertId).toBe(dbAlert.alertId);
    expect(details.body.soldProducts.map((p: { soldProductId: string }) => p.soldProductId)).toContain('sp-acme-banking');
  }), DEMO_TEST_MS);

/** The `sh` blocks of the README's sections with these headings, in order, as one script. */
function readmeScript(...headings: string[]): string {
  const readme = readFileSync('README.md', 'utf8');
  return headings
    .map((heading) => {
      const start = readme.indexOf(`\n## ${heading}`);
      if (start < 0) throw new Error(`README has no section "## ${heading}"`);
      const end = readme.indexOf('\n## ', start + 1);
      return [...readme.slice(start, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('');
    })
    .join('')
    .split('\n')
    .filter((line) => !line.startsWith('npm start')) // this test started it
    .join('\n');
}

it("follows the README's Try it, Try the demo, Automation, Many alerts, one case, The agent's inbox, Service levels, Team metrics and Connect your monitoring top to bottom against npm start --demo: every call succeeds, the proactive case is there when the README reads it, and each sender's alert comes in", () =>
  againstDemo(async (base) => {
    const script = [
      'set -eo pipefail',
      // Any answer but 2xx stops the walkthrough; each answer on its own line.
      'curl() { command curl --fail-with-body "$@" && echo; }',
      // Where the machine has no AWS CLI, its one step is left out.
      'command -v aws >/dev/null || aws() { echo "no aws CLI: skipped" >&2; }',
      readmeScript('Try it', 'Try the demo', 'Automation', 'Many alerts, one case', "The agent's inbox", 'Service levels', 'Team metrics', 'Connect your monitoring').replaceAll('http://127.0.0.1:3000', base),
    ].join('\n');
    // Nothing of this machine's AWS set-up helps the CLI example: it must carry what it needs.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^AWS_(REGION|DEFAULT_REGION|PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/.test(k)));
    const run = spawn('bash', ['-c', script], {
      cwd: process.cwd(),
      env: { ...env, NODE_OPTIONS: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    run.stdout.on('data', (d) => (out += d));
    run.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((done) => run.once('exit', (c) => done(c)));
    expect({ code, err: err.trim().split('\n').filter((l) => l && l !== 'no aws CLI: skipped') }).toEqual({ code: 0, err: [] });
    if (execFileSync('bash', ['-c', 'command -v aws || true'], { encoding: 'utf8' }).trim()) expect(out).toMatch(/"FailedEntryCount": 0/);
    const proactive = out.split('\n').filter((line) => line.includes('"origin":"proactive_rule"'));
    expect(proactive).toHaveLength(1);
    expect(JSON.parse(proactive[0]).items).toEqual([expect.objectContaining({ proactive: true, shortDescription: expect.stringContaining('ledger') })]);
    const gathered = out.split('\n').filter((line) => line.includes('"source":"edr"') && line.startsWith('{"items"'));
    expect(JSON.parse(gathered[0]).items.map((a: { sourceAlertId: string }) => a.sourceAlertId)).toEqual(['edr-1', 'edr-2', 'edr-3']);
    expect(out).toMatch(/"action":"priority_raised"/);
    expect(out).toMatch(/"outcome":"moved"/);
    expect(out).toContain('{"received":1,"raised":1,"repeated":0,"cleared":0,"unchanged":0}');
    expect(out).toContain('{"status":"success","message":"Event processed","dedup_key":"zbx-4711"}');
    const slas = out.split('\n').filter((line) => line.startsWith('{"items":[{"slaId"'));
    expect(JSON.parse(slas.at(-1)!).items).toEqual([expect.objectContaining({ name: 'Resolve high', kind: 'resolution', stage: 'in_progress', hasBreached: false })]);
    const alarms = out.split('\n').filter((line) => line.includes('"source":"aws.cloudwatch"'));
    expect(JSON.parse(alarms.at(-1)!).items).toEqual([expect.objectContaining({ severity: 'major', state: 'open', sourceAlertId: expect.stringContaining(':alarm:ledger-5xx') })]);
  }), DEMO_TEST_MS);

it('says in one line that the port is taken and how to pick another, and exits 1 without a stack trace or a Java process', async () => {
  const taken = createServer();
  await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
  const port = (taken.address() as { port: number }).port;
  try {
    const { child, exited, output } = start(port, undefined, '--demo');
    const code = await Promise.race([exited, new Promise<string>((done) => setTimeout(() => done('still running'), 30_000).unref())]);
    if (code === 'still running') child.kill('SIGKILL');
    expect({ code, lines: output().trim().split('\n') }).toEqual({
      code: 1,
      lines: [`Port ${port} is in use: stop what is using it or pick another with PORT=${port + 1} npm start.`],
    });
    expect(javaChildrenOf(child.pid!)).toEqual([]);
  } finally {
    await new Promise((done) => taken.close(done));
  }
}, 60_000);
