/**
 * The local EventBridge endpoint: `PutEvents` on the server's own port, routed
 * by the same rules the stack deploys (on this service's bus, or with no bus
 * or `default` on the account's default bus, where AWS services put theirs), delivered asynchronously to the target
 * function with Lambda's async retries (two).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'aws-lambda';
import { matchesPattern } from '../lib/events/patterns.js';
import { BUS_NAME, BUS_RULES, OWN_SOURCE } from '../lib/events/rules.js';
import { localContext } from './stream-poller.js';

export type EventHandler = (event: unknown, context: Context) => Promise<unknown>;

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string | number;
}

export interface LocalBus {
  putEvents(body: string): { status: number; body: unknown };
  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  drain(): Promise<void>;
  deadLetters: { event: unknown; error: string }[];
  /** The events this service published (source alert-to-case), oldest first, the last 1,000. */
  published: LocalEvent[];
}

export interface LocalEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

const PUBLISHED_KEPT = 1000;

export function createLocalBus(
  targets: Record<string, EventHandler>,
  timeoutsMs: Record<string, number> = {},
  onError = (m: string, e: unknown) => console.error(`[events] ${m}`, e),
): LocalBus {
  const inFlight = new Set<Promise<void>>();
  const deadLetters: LocalBus['deadLetters'] = [];
  const published: LocalEvent[] = [];

  async function deliver(target: string, event: unknown) {
    const handler = targets[target];
    for (let attempt = 0; attempt <= 2; attempt++) {
      try {
        await handler(event, localContext(target, timeoutsMs[target]));
        return;
      } catch (error) {
        if (attempt === 2) {
          deadLetters.push({ event, error: (error as Error).message });
          onError(`${target} failed 3 times; event kept as a dead letter`, error);
        } else {
          await sleep(100 * (attempt + 1));
        }
      }
    }
  }

  return {
    deadLetters,
    published,
    putEvents(raw) {
      let input: { Entries?: PutEventsEntry[] };
      try {
        input = JSON.parse(raw);
      } catch {
        return { status: 400, body: { __type: 'ValidationException', message: 'The body is not valid JSON.' } };
      }
      const entries = Array.isArray(input?.Entries) ? input.Entries : [];
      if (entries.length === 0 || entries.length > 10) {
        return { status: 400, body: { __type: 'ValidationException', message: 'Entries must hold 1 to 10 events.' } };
      }
      const results = entries.map((entry) => {
        const bus = entry.EventBusName ?? 'default';
        if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
          return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required.' };
        }
        let detail: unknown;
        try {
          detail = JSON.parse(entry.Detail);
        } catch {
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON.' };
        }
        const id = randomUUID();
        const event: LocalEvent = {
          version: '0',
          id,
          'detail-type': entry.DetailType,
          source: entry.Source,
          account: '000000000000',
          time: entry.Time !== undefined ? new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time).toISOString() : new Date().toISOString(),
          region: 'us-east-1',
          resources: entry.Resources ?? [],
          detail,
        };
        // Each rule lives on its bus: this service's, or the account's default bus (AWS services' events).
        // An event put on any other bus matches none of them.
        const busName = bus.split('/').pop();
        if (busName === BUS_NAME && entry.Source === OWN_SOURCE) {
          published.push(event);
          if (published.length > PUBLISHED_KEPT) published.shift();
        }
        for (const rule of BUS_RULES.filter((r) => (r.bus ?? BUS_NAME) === busName && matchesPattern(event, r.pattern))) {
          const delivery = deliver(rule.target, event).finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
        }
        return { EventId: id };
      });
      const failed = results.filter((r) => 'ErrorCode' in r).length;
      return { status: 200, body: { FailedEntryCount: failed, Entries: results } };
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
