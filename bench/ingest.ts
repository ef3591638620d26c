/**
 * The ingest section of `npm run bench`: Alertmanager webhooks through the
 * local HTTP server (handlers in-process, with the stream handlers running as
 * in `npm start`), in a child process with a DynamoDB Local of its own (it
 * slows down as stream records pile up: see bench/scale.ts).
 * - `batch1000P50Ms`: one webhook of 1,000 new alerts, end to end (p50 of 5);
 * - `alertsPerSecond`: sustained webhooks of 20 new alerts each from 16
 *   senders at once (the goal: >= 1,000 alerts/s through one local server);
 * - `resentAlertsPerSecond`: the same webhooks sent again, as Alertmanager
 *   does at every group_interval and repeat_interval (nothing to write);
 * - `dynamodbCallsPerAlert`: the ingest function's table calls per new alert
 *   in the sustained phase;
 * - `floorAlertsPerSecond`: the same new-alert writes (the same items) made
 *   directly through the store in the same run, half before the sustained
 *   phase and half after, each phase timed once the stream handlers have
 *   caught up: DynamoDB Local's own pace for them;
 * - `floorRatio`: `alertsPerSecond` / `floorAlertsPerSecond` (SPEC §7: >= 0.8).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { inChildProcess, runAsChild } from './child.js';
import { percentile, round, whenTaken } from './figures.js';
import { mapLimit } from '../lib/concurrency.js';
import { alertIdFor } from '../lib/domain/alert.js';
import { createStore } from '../lib/store/store.js';
import { repositoriesFor } from '../lib/usecases/repositories.js';
import { startRuntime } from '../local/runtime.js';
import { tableCallCounts } from '../local/table-access.js';
import { signLocalToken } from '../local/tokens.js';

const BATCH = 1000;
const BATCH_RUNS = 5;
const SUSTAINED_WEBHOOKS = 250;
const PER_WEBHOOK = 20;
const SENDERS = 16;
/** New alerts before timing: DynamoDB Local's JIT takes a few thousand writes to reach its pace (the first 4,000 went at half of it). */
const WARMUP_ALERTS = 3000;
/** The goal of issue 12 for one local server on this machine. */
export const INGEST_GOAL_PER_SECOND = 1000;
/** SPEC §7: new alerts through one local server at least this share of the same writes made directly, same run. */
export const FLOOR_RATIO_BAR = 0.8;

export interface IngestFigures {
  alertmanager: {
    batch1000P50Ms: number;
    alertsPerSecond: number;
    resentAlertsPerSecond: number;
    dynamodbCallsPerAlert: number;
    /** The same new-alert writes made directly through the store, same run: DynamoDB Local's own pace. */
    floorAlertsPerSecond: number;
    /** New alerts/s through the server ÷ the same writes made directly (SPEC §7: at least FLOOR_RATIO_BAR). */
    floorRatio: number;
    /** Webhooks the service answered 503 and that were sent again (0 on a machine that keeps up). */
    resentAfter503: number;
  };
}

/** The attributes such an alert gets (labels, annotations, generatorURL), for the floor's items. */
const webhookAttributes = (i: number) => ({
  'labels.alertname': 'floor',
  'labels.severity': 'warning',
  'labels.instance': `host-${i}:9100`,
  'labels.job': 'node',
  'annotations.summary': `Disk almost full on host-${i}`,
  'annotations.description': 'Less than 5% left on /',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=disk',
});

/** A webhook as Alertmanager sends it (version 4), with `n` firing alerts. */
export function webhook(prefix: string, n: number) {
  return {
    version: '4',
    status: 'firing',
    receiver: 'alert-to-case',
    groupKey: `{}:{alertname="${prefix}"}`,
    truncatedAlerts: 0,
    groupLabels: { alertname: prefix },
    commonLabels: { alertname: prefix },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: Array.from({ length: n }, (_, i) => ({
      status: 'firing',
      labels: { alertname: prefix, severity: ['critical', 'warning', 'info'][i % 3], instance: `host-${i}:9100`, job: 'node' },
      annotations: { summary: `Disk almost full on host-${i}`, description: 'Less than 5% left on /' },
      startsAt: '2026-11-30T06:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=disk',
      fingerprint: `${prefix}-${i.toString(16).padStart(8, '0')}`,
    })),
  };
}

const CHILD_ARG = '--ingest';

/** In a child process of its own (bench/child.ts): a fresh store, table and DynamoDB Local whatever ran before. */
export const ingest = () => inChildProcess<IngestFigures>(fileURLToPath(import.meta.url), [CHILD_ARG, 'alertmanager'], 'ingest');

runAsChild(import.meta.url, CHILD_ARG, () => measure());

async function measure(): Promise<IngestFigures> {
  const runtime = await startRuntime({ tableName: 'bench-ingest', impactIntervalSeconds: 0, log: () => undefined });
  try {
    const admin = await signLocalToken({ sub: 'bench', roles: ['evt_mgmt_admin'] });
    const created = await fetch(`${runtime.url}/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench-prometheus', kind: 'alertmanager' }),
    }).then(async (r) => {
      if (r.status !== 201) throw new Error(`creating the integration answered ${r.status}: ${await r.text()}`);
      return r.json() as Promise<{ key: string }>;
    });
    // As Alertmanager sends: a webhook answered 503 (the database behind) goes again; what its first try raised is then
    // the same firing, unchanged. Counted, as the figures include the time it took.
    let resent = 0;
    const send = async (body: unknown) => {
      const { status, text } = await whenTaken(
        async () => {
          const res = await fetch(`${runtime.url}/integrations/alertmanager`, {
            method: 'POST',
            headers: { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return { status: res.status, text: await res.text() };
        },
        (reply) => reply.status === 503 && ++resent > 0,
      );
      if (status !== 200) throw new Error(`webhook answered ${status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as { raised: number; unchanged: number };
    };
    /** New alerts a payload brought, by this answer or by a first try that answered 503. */
    const taken = (answer: { raised: number; unchanged: number }) => answer.raised + answer.unchanged;
    const repos = repositoriesFor(createStore({ tableName: 'bench-ingest', endpoint: runtime.dynamoEndpoint }));
    const lastOf = (prefix: string, n: number) => alertIdFor('bench-prometheus', `${prefix}-${(n - 1).toString(16).padStart(8, '0')}`);
    /**
     * Until the stream handlers have written the history of `alertId`: they have caught up with what was written before
     * it, so the next timed phase does not also pay for the one before (the server would otherwise carry the warm-up's).
     */
    const caughtUp = async (alertId: string) => {
      for (const until = Date.now() + 120_000; Date.now() < until; await sleep(250)) {
        if ((await whenTaken(() => repos.history.list({ kind: 'alert', id: alertId }, 1))).items.length > 0) return;
      }
      throw new Error(`the stream handlers did not catch up with ${alertId} in 2 minutes`);
    };
    // Warm-up: module and client initialisation, the integration's key in the cache, DynamoDB Local's JIT.
    await mapLimit(Array.from({ length: WARMUP_ALERTS / PER_WEBHOOK }, (_, i) => webhook(`warmup${i}`, PER_WEBHOOK)), SENDERS, send);
    await caughtUp(lastOf(`warmup${WARMUP_ALERTS / PER_WEBHOOK - 1}`, PER_WEBHOOK));

    // The floor: the same writes made directly through the store (20 new alerts to a transaction, 16 at once), no HTTP,
    // no payload checks, no read first: how fast this DynamoDB Local takes conditional alert writes at all. Timed before
    // and after the server's phase, each once the stream handlers have caught up: DynamoDB Local speeds up as its JIT
    // warms and slows as stream records pile up, so neither side gains by going first.
    const at = new Date().toISOString();
    const floorAlerts = (round: string) =>
      Array.from({ length: SUSTAINED_WEBHOOKS / 2 }, (_, w) =>
        Array.from({ length: PER_WEBHOOK }, (_, i) => {
          const sourceAlertId = `floor${round}${w}-${i}`;
          // The very item a webhook's alert becomes: its labels and annotations as attributes, its CI and type.
          const alert = { alertId: alertIdFor('bench-floor', sourceAlertId), source: 'bench-floor', sourceAlertId, severity: 'warning' as const, state: 'open' as const, description: `Disk almost full on host-${i}`, ciId: `host-${i}:9100`, type: 'floor', attributes: webhookAttributes(i), detections: [], occurrences: 1, firstOccurredAt: at, lastOccurredAt: at, createdAt: at, updatedAt: at, createdBy: 'bench', updatedBy: 'bench', version: 1 };
          return { alert, occurrence: '2026-11-30T06:00:00.000Z' };
        }),
      );
    const floor = async (round: string) => {
      const direct = floorAlerts(round);
      const t = performance.now();
      await mapLimit(direct, SENDERS, (alerts) => whenTaken(() => repos.alertBatches.createMany(alerts)));
      const ms = performance.now() - t;
      await caughtUp(direct.at(-1)!.at(-1)!.alert.alertId);
      return ms;
    };
    const floorBeforeMs = await floor('a');

    // Sustained: 16 senders, 20 new alerts a webhook.
    const payloads = Array.from({ length: SUSTAINED_WEBHOOKS }, (_, i) => webhook(`sustained${i}`, PER_WEBHOOK));
    const callsBefore = tableCallCounts.get('ingest-api') ?? 0;
    let start = performance.now();
    const raised = (await mapLimit(payloads, SENDERS, send)).reduce((n, r) => n + taken(r), 0);
    const sustainedMs = performance.now() - start;
    const calls = (tableCallCounts.get('ingest-api') ?? 0) - callsBefore;
    if (raised !== SUSTAINED_WEBHOOKS * PER_WEBHOOK) throw new Error(`sustained: ${raised} raised`);
    await caughtUp(lastOf(`sustained${SUSTAINED_WEBHOOKS - 1}`, PER_WEBHOOK));
    const floorMs = floorBeforeMs + (await floor('b'));

    // The same webhooks again: re-sent notifications change nothing.
    start = performance.now();
    const unchanged = (await mapLimit(payloads, SENDERS, send)).reduce((n, r) => n + r.unchanged, 0);
    const resentMs = performance.now() - start;
    if (unchanged !== SUSTAINED_WEBHOOKS * PER_WEBHOOK) throw new Error(`re-sent: ${unchanged} unchanged`);

    // One webhook of 1,000 new alerts at a time, the stream handlers left to catch up in between.
    const batches: number[] = [];
    for (let run = 0; run < BATCH_RUNS; run++) {
      await caughtUp(run === 0 ? lastOf(`sustained${SUSTAINED_WEBHOOKS - 1}`, PER_WEBHOOK) : lastOf(`batch${run - 1}`, BATCH));
      const t = performance.now();
      const answer = await send(webhook(`batch${run}`, BATCH));
      batches.push(performance.now() - t);
      if (taken(answer) !== BATCH) throw new Error(`batch: ${answer.raised} raised`);
    }
    return {
      alertmanager: {
        batch1000P50Ms: round(percentile(batches, 50)),
        alertsPerSecond: round((SUSTAINED_WEBHOOKS * PER_WEBHOOK) / (sustainedMs / 1000)),
        resentAlertsPerSecond: round((SUSTAINED_WEBHOOKS * PER_WEBHOOK) / (resentMs / 1000)),
        dynamodbCallsPerAlert: round(calls / (SUSTAINED_WEBHOOKS * PER_WEBHOOK)),
        floorAlertsPerSecond: round((SUSTAINED_WEBHOOKS * PER_WEBHOOK) / (floorMs / 1000)),
        floorRatio: Math.round((floorMs / sustainedMs) * 100) / 100,
        resentAfter503: resent,
      },
    };
  } finally {
    await runtime.stop();
  }
}

export function printIngest({ alertmanager: a }: IngestFigures) {
  console.log(`\ningest: Alertmanager webhooks through the local HTTP server (${SENDERS} senders of ${PER_WEBHOOK} alerts; one of ${BATCH})`);
  console.table({ alertmanager: a });
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `bar: >= ${FLOOR_RATIO_BAR}x the same writes made directly (${a.floorRatio}x: ${met(a.floorRatio >= FLOOR_RATIO_BAR)}); ` +
      `goal: >= ${INGEST_GOAL_PER_SECOND} new alerts/s (${met(a.alertsPerSecond >= INGEST_GOAL_PER_SECOND)}; the same writes made directly: ${a.floorAlertsPerSecond}/s); ` +
      `re-sent >= ${INGEST_GOAL_PER_SECOND}/s (${met(a.resentAlertsPerSecond >= INGEST_GOAL_PER_SECOND)}); 1,000 in one webhook: ${a.batch1000P50Ms} ms`,
  );
}
