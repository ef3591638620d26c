/**
 * Alerts many at a time, for payloads of many (lib/usecases/ingest.ts): where
 * each stands, read 100 to a call, and new ones created many to a write. The
 * functions that take one alert at a time do not bring this.
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { mapLimit, sleep } from '../concurrency.js';
import { awaitsPlaybooks, type AlertState } from '../domain/alert.js';
import { Unavailable } from '../domain/errors.js';
import type { StoredAlert } from './alerts.js';
import { batchGet, chunksWithin } from './batch.js';
import type { Db } from './entities.js';
import { jsonBytes } from './pagination.js';
import { RETRY_BUDGET_MS } from './retry.js';
import { cancellation, commitOnce, conditionFailed } from './transactions.js';

/** New alerts to a transaction: at most 100 (its most), and at most 3 MB of them (of its 4 MB). */
const CREATE_BATCH = 100;
const CREATE_BATCH_BYTES = 3 * 1024 * 1024;

/** An alert's state, its sender's current occurrence and whether a raise that changes nothing should still go to the playbooks, as read. */
export interface AlertStanding {
  state: AlertState;
  occurrence?: string;
  awaitsPlaybooks?: boolean;
}

export class AlertBatchRepository {
  constructor(private readonly db: Db) {}

  /**
   * Where each of these alerts stands now (one consistent read per 100): what
   * a payload of many signals needs to know before it writes, so a re-sent
   * firing or a resolution of an alert already closed costs no write at all.
   * Writes still carry their conditions: this is a shortcut, never the rule.
   */
  async standings(alertIds: readonly string[]): Promise<Map<string, AlertStanding>> {
    const items = await batchGet(this.db, alertIds.map((alertId) => this.db.alert.build(BatchGetRequest).key({ alertId })));
    const standings = new Map<string, AlertStanding>();
    items.forEach((item, i) => {
      if (item) {
        standings.set(alertIds[i], {
          state: item.state,
          ...(item.occurrence !== undefined ? { occurrence: String(item.occurrence) } : {}),
          ...(awaitsPlaybooks(item) ? { awaitsPlaybooks: true } : {}),
        });
      }
    });
    return standings;
  }

  /**
   * Creates alerts that were absent when read, up to 100 to a transaction (in
   * DynamoDB Local two to three times the rate of one PutItem each; in AWS
   * fewer calls for a storm's payload), each on the condition that it is still
   * absent: one created meanwhile is `exists`, for the caller to repeat, and
   * the rest of its transaction goes again. Never overwrites an alert.
   */
  async createMany(alerts: { alert: StoredAlert; occurrence?: string }[]): Promise<('created' | 'exists')[]> {
    const outcomes = new Array<'created' | 'exists' | undefined>(alerts.length);
    const transactionOf = (i: number) =>
      this.db.alert
        .build(PutTransaction)
        .item({ ...alerts[i].alert, ...(alerts[i].occurrence !== undefined ? { occurrence: alerts[i].occurrence } : {}), lastAction: 'created' })
        .options({ condition: { attr: 'alertId', exists: false } });
    let pending = alerts.map((_, i) => i);
    const deadline = Date.now() + RETRY_BUDGET_MS;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= 6) throw new Unavailable('The alerts kept conflicting with other writes; retry shortly.');
      if (round > 0) await sleep(10 * round + Math.random() * 20 * round);
      await mapLimit(chunksWithin(pending, (i) => jsonBytes(alerts[i].alert), CREATE_BATCH, CREATE_BATCH_BYTES), 4, async (chunk) => {
        const transactions = chunk.map(transactionOf);
        try {
          // Sent again while the database does not answer in time: its token makes a repeat of one that did commit an answer.
          await commitOnce(transactions, deadline);
          for (const i of chunk) outcomes[i] = 'created';
        } catch (error) {
          const reasons = cancellation(error, transactions);
          if (!reasons) throw error;
          chunk.forEach((i, k) => {
            if (conditionFailed(reasons[k])) outcomes[i] = 'exists';
          });
        }
      });
      pending = pending.filter((i) => outcomes[i] === undefined);
    }
    return outcomes as ('created' | 'exists')[];
  }
}
