/**
 * A real Prometheus Alertmanager for end-to-end tests (Debian `prometheus-alertmanager`, 0.25;
 * .ci/run installs it). Each call starts its own process on a free 127.0.0.1 port, with its own
 * data directory and clustering (gossip) off, so tests never see another instance's state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** An alert as `POST /api/v2/alerts` takes it; an `endsAt` in the past resolves the alert. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  /** e.g. `http://127.0.0.1:40123` (also its `--web.external-url`, so payloads link there). */
  url: string;
  pushAlerts(alerts: PostableAlert[]): Promise<void>;
  /** What it has logged so far (the last 64 KB), for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

export interface AlertmanagerOptions {
  /** The configuration, as YAML (see alertmanagerConfig). */
  config: string;
  /** How long to wait for `GET /-/ready` to answer 200 (default 20 s). */
  readyTimeoutMs?: number;
  /** `--log.level` (default `info`; `debug` logs every notification attempt). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

const BINARIES = ['alertmanager', 'prometheus-alertmanager'];
const LOG_LIMIT = 64 * 1024;

/** The Alertmanager binary in PATH: upstream calls it `alertmanager`, Debian `prometheus-alertmanager`. */
export function findAlertmanager(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of BINARIES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        /* not here */
      }
    }
  }
  throw new Error(
    'Alertmanager not found: neither `alertmanager` nor `prometheus-alertmanager` is in PATH. ' +
      'Install it with `apt-get install -y prometheus-alertmanager` (Debian; .ci/run does this on a fresh machine).',
  );
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const binary = findAlertmanager();
  const dir = await mkdtemp(join(tmpdir(), 'alertmanager-'));
  try {
    const configFile = join(dir, 'alertmanager.yml');
    await writeFile(configFile, options.config);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return await launch(binary, dir, configFile, port, options);
      } catch (error) {
        // Another process took the port between freePort() and the bind: try another one.
        if (attempt < 3 && /address already in use/i.test(String(error))) continue;
        throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(
  binary: string,
  dir: string,
  configFile: string,
  port: number,
  options: AlertmanagerOptions,
): Promise<RunningAlertmanager> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=', // empty: no clustering, no gossip port, no peer settling
      `--log.level=${options.logLevel ?? 'info'}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Unreferenced: a test that forgets stop() does not keep jest from exiting (the watchdog below
  // then ends Alertmanager with it).
  child.unref();
  (child.stderr as Socket).unref();
  let log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    log = (log + chunk).slice(-LOG_LIMIT); // always drained, so a chatty process never blocks on a full pipe
  });
  let ended: string | undefined;
  child.once('error', (error) => (ended ??= `could not be started (${error.message})`));
  child.once('close', (code, signal) => (ended ??= `exited (${signal ?? `code ${code}`})`));

  // If this process ends without stop() (a forgotten stop, a crash, a killed jest worker), the
  // watchdog's stdin closes and it ends Alertmanager and removes its directory. process.on('exit')
  // alone does not do it under jest, whose test context gets a copy of `process` that never emits 'exit'.
  const watchdog = child.pid
    ? spawn('sh', ['-c', 'read _line; kill "$1" 2>/dev/null; sleep 1; rm -rf "$2"', 'alertmanager-watchdog', String(child.pid), dir], {
        stdio: ['pipe', 'ignore', 'ignore'],
      })
    : undefined;
  watchdog?.on('error', () => undefined);
  watchdog?.unref();
  (watchdog?.stdin as Socket | null | undefined)?.unref();
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);

  const halt = async () => {
    process.removeListener('exit', onExit);
    watchdog?.kill('SIGKILL');
    await terminate(child);
  };
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= halt().then(() => rm(dir, { recursive: true, force: true })));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (ended) {
      await halt(); // the directory (config included) stays for a retry; startAlertmanager removes it
      throw new Error(`Alertmanager (${binary}) ${ended} before it was ready:\n${log}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await halt();
      throw new Error(`Alertmanager (${binary}) was not ready on ${url} after ${options.readyTimeoutMs ?? 20_000} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    logs: () => log,
    stop,
    async pushAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`Alertmanager refused the alerts: ${res.status} ${text}`);
    },
  };
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface AlertmanagerTargets {
  /** e.g. `http://127.0.0.1:3000/integrations/alertmanager` */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <webhookKey>`. */
  webhookKey: string;
  /** e.g. `http://127.0.0.1:3000/integrations/pagerduty/v2/enqueue` */
  pagerdutyUrl: string;
  /** Sent as the Events v2 `routing_key`. */
  pagerdutyKey: string;
  /** Defaults: 1s, 1s, 1h, 5m. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  resolveTimeout?: string;
}

/**
 * A configuration sending every alert to both receivers (webhook first, `continue: true`, then
 * PagerDuty), each alert in its own group (`group_by: ['...']`), resolved alerts included.
 */
export function alertmanagerConfig(targets: AlertmanagerTargets): string {
  // A JSON string is a valid YAML double-quoted scalar.
  const q = (value: string) => JSON.stringify(value);
  return `global:
  resolve_timeout: ${targets.resolveTimeout ?? '5m'}
route:
  receiver: webhook
  group_by: ['...']
  group_wait: ${targets.groupWait ?? '1s'}
  group_interval: ${targets.groupInterval ?? '1s'}
  repeat_interval: ${targets.repeatInterval ?? '1h'}
  routes:
    - receiver: webhook
      continue: true
    - receiver: pagerduty
receivers:
  - name: webhook
    webhook_configs:
      - url: ${q(targets.webhookUrl)}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${q(targets.webhookKey)}
  - name: pagerduty
    pagerduty_configs:
      - url: ${q(targets.pagerdutyUrl)}
        routing_key: ${q(targets.pagerdutyKey)}
        send_resolved: true
`;
}
