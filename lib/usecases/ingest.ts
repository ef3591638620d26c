/**
 * Alerts in their senders' formats (SPEC §2 "Alert sources"): applying a
 * payload's signals, whichever format or integration they came from. A
 * payload is checked whole before anything is written (each format's module
 * throws `Invalid`); then its signals are applied, every one before the
 * answer. Applying the same payload again writes nothing twice: a raise by
 * the sender's occurrence (else by the delivery's id), a clear or an
 * acknowledgement by the state it leaves.
 */
import { alertIdFor } from '../domain/alert.js';
import { integrationActor, type Integration } from '../domain/integration.js';
import type { AlertStanding } from '../store/alert-batches.js';
import { mapLimit } from '../concurrency.js';
import type { Signal } from '../sources/signal.js';
import { acknowledgeAlert, clearAlert, raiseAlert, raiseNewAlerts } from './alerts.js';
import type { Actor, Repositories } from './context.js';
import { applyPlaybooksToStored } from './playbooks.js';

export type SignalOutcome = 'raised' | 'repeated' | 'cleared' | 'acknowledged' | 'unchanged';

export interface IngestSummary {
  received: number;
  raised: number;
  repeated: number;
  cleared: number;
  acknowledged: number;
  unchanged: number;
}

const alertIdOf = (signal: Signal) => alertIdFor(signal.alert.source, signal.alert.sourceAlertId);

/** Signals naming the same alert go one after another, in payload order; different alerts this many at once. */
const PARALLEL_ALERTS = 16;

/**
 * Applies a payload's signals. Where each alert stands is read first, all at
 * once, so what would change nothing (a re-sent firing, a resolution of an
 * alert already closed or never raised here) writes nothing; every write still
 * carries its own condition, so a change made meanwhile by another request is
 * never overwritten. `deliveryIdOf` gives a signal the id of the delivery it
 * came in (an AWS event's id), so a redelivery writes nothing.
 */
export async function applySignals(
  repos: Repositories,
  signals: Signal[],
  actor: Actor,
  deliveryIdOf?: (signal: Signal) => string,
): Promise<IngestSummary> {
  const byAlert = new Map<string, number[]>();
  signals.forEach((signal, i) => {
    const alertId = alertIdOf(signal);
    const indexes = byAlert.get(alertId);
    if (indexes) indexes.push(i);
    else byAlert.set(alertId, [i]);
  });
  const standings = await repos.alertBatches.standings([...byAlert.keys()]);
  const outcomes = new Array<SignalOutcome>(signals.length);
  // New alerts (a storm's first payloads) are created many to a write. A raise known only by its delivery's id stays on
  // its own: its marker goes in the same write.
  const creatable = [...byAlert.entries()]
    .filter(([alertId, [first]]) => signals[first].action === 'raise' && !standings.has(alertId) && (signals[first].occurrence !== undefined || !deliveryIdOf))
    .map(([, [first]]) => first);
  const created = await raiseNewAlerts(repos, creatable.map((i) => ({ input: signals[i].alert, occurrence: signals[i].occurrence })), actor);
  creatable.forEach((i, k) => {
    // Created meanwhile by another request: this one is a repeat of it, tried below.
    if (created[k] === 'created') outcomes[i] = 'raised';
    else standings.set(alertIdOf(signals[i]), { state: 'open' });
  });
  await mapLimit([...byAlert.entries()], PARALLEL_ALERTS, async ([alertId, indexes]) => {
    // What was read holds for the first signal of an alert only: the ones after it follow its write.
    let standing: AlertStanding | undefined | 'unknown' = standings.get(alertId);
    for (const i of indexes) {
      outcomes[i] ??= await applySignal(repos, signals[i], actor, standing, deliveryIdOf?.(signals[i]));
      standing = 'unknown';
    }
  });
  const summary: IngestSummary = { received: signals.length, raised: 0, repeated: 0, cleared: 0, acknowledged: 0, unchanged: 0 };
  for (const outcome of outcomes) summary[outcome]++;
  return summary;
}

/** Whether a signal would change nothing of an alert standing so (true: no write needed). */
function changesNothing(signal: Signal, standing: AlertStanding | undefined): boolean {
  switch (signal.action) {
    case 'raise':
      return standing?.occurrence !== undefined && standing.occurrence === signal.occurrence;
    // A clear or acknowledgement of an alert never raised here changes nothing: the sender's view is already true.
    case 'clear':
      return (
        !standing ||
        standing.state === 'closed' ||
        // A resolution of an earlier firing than the alert's current one is stale.
        (signal.occurrence !== undefined && standing.occurrence !== undefined && standing.occurrence > signal.occurrence)
      );
    case 'acknowledge':
      return !standing || standing.state !== 'open';
  }
}

async function applySignal(
  repos: Repositories,
  signal: Signal,
  actor: Actor,
  standing: AlertStanding | undefined | 'unknown',
  deliveryId?: string,
): Promise<SignalOutcome> {
  if (standing !== 'unknown' && changesNothing(signal, standing)) {
    // A re-sent firing of an alert still without a case, untouched since, goes to the playbooks again: the request that
    // raised it may have failed while converting it (a 503), and this is the sender's retry.
    if (signal.action === 'raise' && standing?.awaitsPlaybooks) await applyPlaybooksToStored(repos, alertIdOf(signal));
    return 'unchanged';
  }
  const { alert } = signal;
  const key = { source: alert.source, sourceAlertId: alert.sourceAlertId };
  switch (signal.action) {
    case 'raise': {
      // The sender's occurrence, when it names one, is what makes a raise happen once (a redelivered event carries the same);
      // the delivery's id only when it names none.
      const once = signal.occurrence !== undefined ? { occurrence: signal.occurrence } : { deliveryId };
      const { outcome } = await raiseAlert(repos, alert, actor, { ...once, exists: standing === 'unknown' ? undefined : standing !== undefined });
      return outcome === 'created' ? 'raised' : outcome === 'repeated' ? 'repeated' : 'unchanged';
    }
    case 'clear':
      return (await clearAlert(repos, key, actor, signal.occurrence))?.changed ? 'cleared' : 'unchanged';
    case 'acknowledge':
      return (await acknowledgeAlert(repos, key, actor))?.changed ? 'acknowledged' : 'unchanged';
  }
}

export const actorOf = (integration: Integration) => integrationActor(integration.integrationId);
