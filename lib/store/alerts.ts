/** Alert repository: every alert access pattern as a named method (docs/access-patterns.md). */
import { randomUUID } from 'node:crypto';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { UpdateItemCommand, $add, $set } from 'dynamodb-toolbox/entity/actions/update';
import { alertLinks, type Alert, type AlertState } from '../domain/alert.js';
import { NotFound, PreconditionFailed, Unavailable } from '../domain/errors.js';
import type { Severity } from '../domain/priority.js';
import { batchGet } from './batch.js';
import { applyOnce } from './deliveries.js';
import { ALERT_LISTS, alertKey, type Db } from './entities.js';
import { conditionFailureItem, guard, isConditionFailure } from './errors.js';
import { jsonBytes, listByFilters, type FilteredList, type Page, type ReadPage } from './pagination.js';
import { cancellation, commit, conditionFailed } from './transactions.js';
import { chunksWithin } from './batch.js';
import { mapLimit } from '../concurrency.js';
import { setTimeout as sleep } from 'node:timers/promises';

export type StoredAlert = Omit<Alert, 'links'>;
type Item = Record<string, unknown>;

export const ALERT_ID_PATTERN = /^alr_[0-9a-f]{24}$/;
/** New alerts to a transaction: at most 100 (its most), and at most 3 MB of them (of its 4 MB). */
const CREATE_BATCH = 100;
const CREATE_BATCH_BYTES = 3 * 1024 * 1024;

/** An alert as the API shows it: the impact kept with it has routes of its own (impacted-cis, affected-install-base). */
export function alertFromItem(item: Item): Alert {
  const { impact: _impact, impactAffected: _affected, impactPending: _pending, occurrence: _occurrence, ...alert } = item as StoredAlert & {
    impact?: unknown;
    impactAffected?: unknown;
    impactPending?: unknown;
    occurrence?: unknown;
  };
  return { ...alert, links: alertLinks(alert.alertId, alert.caseId) };
}

export interface AlertRepeat {
  severity: Severity;
  description: string;
  ciId?: string;
  type?: string;
  attributes?: Alert['attributes'];
  detections?: Alert['detections'];
  at: string;
  actor: string;
}

/** What makes a write happen once: an event's id (`deliveryId`), or the sender's occurrence of the alert (`occurrence`); one or the other. */
export type AlertWriteOptions = { deliveryId?: string; occurrence?: undefined } | { deliveryId?: undefined; occurrence?: string };

/** An alert's state and its sender's current occurrence, as read. */
export interface AlertStanding {
  state: AlertState;
  occurrence?: string;
}

export interface StateChange {
  at: string;
  actor: string;
  action: string;
  expectedVersion?: number;
  /** Move only from one of these states. */
  from?: AlertState[];
  /** Move only when the alert's current occurrence is this one (or it has none). */
  occurrence?: string;
}

export interface AlertFilters {
  state?: AlertState;
  severity?: Severity;
  source?: string;
}

export class AlertRepository {
  private readonly listing: FilteredList;

  constructor(private readonly db: Db) {
    this.listing = {
      name: 'alerts',
      all: ALERT_LISTS.all,
      indexed: [
        ['source', ALERT_LISTS.source],
        ['severity', ALERT_LISTS.severity],
        ['state', ALERT_LISTS.state],
      ],
      idPattern: ALERT_ID_PATTERN,
      keyOf: alertKey,
      read: (ids) => batchGet(db, ids.map((alertId) => db.alert.build(BatchGetRequest).key({ alertId })), false),
      view: alertFromItem,
    };
  }

  async get(alertId: string): Promise<Alert | undefined> {
    const out = await guard(() => this.db.alert.build(GetItemCommand).key({ alertId }).options({ consistent: true }).send());
    return out.Item ? alertFromItem(out.Item) : undefined;
  }

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
      if (item) standings.set(alertIds[i], { state: item.state as AlertState, ...(item.occurrence !== undefined ? { occurrence: String(item.occurrence) } : {}) });
    });
    return standings;
  }

  async require(alertId: string): Promise<Alert> {
    const alert = await this.get(alertId);
    if (!alert) throw new NotFound(`Alert '${alertId}' does not exist.`);
    return alert;
  }

  /**
   * Creates the alert unless one with its id exists. With a `deliveryId` (an
   * event id), a delivery seen before writes nothing.
   */
  async create(alert: StoredAlert, once: AlertWriteOptions = {}): Promise<'created' | 'exists' | 'already_delivered'> {
    const { deliveryId, occurrence } = once;
    const writeToken = randomUUID();
    const item = { ...alert, ...(occurrence !== undefined ? { occurrence } : {}), lastAction: 'created', writeToken };
    const condition = { attr: 'alertId' as const, exists: false };
    if (deliveryId) {
      const outcome = await applyOnce(this.db, this.db.alert.build(PutTransaction).item(item).options({ condition }), deliveryId);
      return outcome === 'applied' ? 'created' : outcome === 'condition_failed' ? 'exists' : 'already_delivered';
    }
    try {
      await guard(() => this.db.alert.build(PutItemCommand).item(item).options({ condition, returnValuesOnConditionFalse: 'ALL_OLD' }).send());
      return 'created';
    } catch (error) {
      // The SDK retried a put whose first attempt landed (its answer timed out): the alert is ours.
      if (isConditionFailure(error)) return conditionFailureItem(error)?.writeToken === writeToken ? 'created' : 'exists';
      throw error;
    }
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
    for (let round = 0; pending.length > 0; round++) {
      if (round >= 6) throw new Unavailable('The alerts kept conflicting with other writes; retry shortly.');
      if (round > 0) await sleep(10 * round + Math.random() * 20 * round);
      await mapLimit(chunksWithin(pending, (i) => jsonBytes(alerts[i].alert), CREATE_BATCH, CREATE_BATCH_BYTES), 4, async (chunk) => {
        const transactions = chunk.map(transactionOf);
        try {
          // The token makes an SDK retry of a transaction that committed an answer, not a refusal.
          await commit(transactions, randomUUID());
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

  /**
   * A repeat of a known alert: one more occurrence. Open and acknowledged
   * alerts keep their state; a closed alert that fires again is open again.
   */
  async repeat(alertId: string, r: AlertRepeat, once: AlertWriteOptions = {}): Promise<Alert | 'already_delivered' | { unchanged: Alert }> {
    const { deliveryId, occurrence } = once;
    const writeToken = randomUUID();
    const changes = {
      alertId,
      severity: r.severity,
      description: r.description,
      ...(r.ciId !== undefined ? { ciId: r.ciId } : {}),
      ...(r.type !== undefined ? { type: r.type } : {}),
      ...(r.attributes !== undefined ? { attributes: $set(r.attributes) } : {}),
      ...(r.detections !== undefined ? { detections: $set(r.detections) } : {}),
      lastOccurredAt: r.at,
      updatedAt: r.at,
      updatedBy: r.actor,
      lastAction: 'repeated',
      writeToken,
      ...(occurrence !== undefined ? { occurrence } : {}),
      occurrences: $add(1),
      version: $add(1),
    };
    // An SDK retry of this very update after it landed must not count a second occurrence.
    const notYet = { or: [{ attr: 'writeToken' as const, exists: false }, { attr: 'writeToken' as const, ne: writeToken }] };
    // The sender's occurrence again (a re-sent notification) is no new occurrence.
    const newOccurrence = occurrence === undefined ? [] : [{ or: [{ attr: 'occurrence' as const, exists: false }, { attr: 'occurrence' as const, ne: occurrence }] }];
    const stillOpen = { and: [{ attr: 'alertId' as const, exists: true }, { attr: 'state' as const, ne: 'closed' }, notYet, ...newOccurrence] };
    const reopened = { and: [{ attr: 'alertId' as const, exists: true }, notYet, ...newOccurrence] };
    if (deliveryId) {
      for (const [item, condition] of [
        [changes, stillOpen],
        [{ ...changes, state: 'open' }, reopened],
      ] as const) {
        const outcome = await applyOnce(this.db, this.db.alert.build(UpdateTransaction).item(item).options({ condition }), deliveryId);
        if (outcome === 'already_delivered') return outcome;
        if (outcome === 'applied') return this.require(alertId);
      }
      throw new NotFound(`Alert '${alertId}' does not exist.`);
    }
    for (const [item, condition] of [
      [changes, stillOpen],
      [{ ...changes, state: 'open' }, reopened],
    ] as const) {
      try {
        const out = await guard(() =>
          this.db.alert.build(UpdateItemCommand).item(item).options({ condition, returnValues: 'ALL_NEW', returnValuesOnConditionFalse: 'ALL_OLD' }).send(),
        );
        return alertFromItem(out.Attributes!);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const old = conditionFailureItem(error);
        if (old?.writeToken === writeToken) return alertFromItem(this.db.alert.build(EntityFormatter).format(old));
        if (old && occurrence !== undefined && old.occurrence === occurrence) return { unchanged: alertFromItem(this.db.alert.build(EntityFormatter).format(old)) };
      }
    }
    throw new NotFound(`Alert '${alertId}' does not exist.`);
  }

  /**
   * Moves an alert to a state. Returns the alert unchanged when it is already
   * there (no new version, no history entry). `expectedVersion` guards If-Match.
   */
  async setState(alertId: string, state: AlertState, change: StateChange): Promise<Alert> {
    return (await this.transition(alertId, state, change)).alert;
  }

  /**
   * Moves an alert to a state, saying whether it moved. Besides If-Match, a
   * move may require the state it leaves (`from`: acknowledging only an open
   * alert) and the sender's occurrence (`occurrence`: a resolved notification
   * of an earlier firing does not close a newer one).
   */
  async transition(alertId: string, state: AlertState, change: StateChange): Promise<{ alert: Alert; changed: boolean }> {
    const conditions = [
      { attr: 'alertId' as const, exists: true },
      { attr: 'state' as const, ne: state },
      ...(change.expectedVersion !== undefined ? [{ attr: 'version' as const, eq: change.expectedVersion }] : []),
      ...(change.from !== undefined ? [{ attr: 'state' as const, in: change.from }] : []),
      ...(change.occurrence !== undefined ? [{ or: [{ attr: 'occurrence' as const, exists: false }, { attr: 'occurrence' as const, eq: change.occurrence }] }] : []),
    ];
    try {
      const out = await guard(() =>
        this.db.alert
          .build(UpdateItemCommand)
          .item({ alertId, state, updatedAt: change.at, updatedBy: change.actor, lastAction: change.action, version: $add(1) })
          .options({ condition: { and: conditions }, returnValues: 'ALL_NEW', returnValuesOnConditionFalse: 'ALL_OLD' })
          .send(),
      );
      return { alert: alertFromItem(out.Attributes!), changed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = conditionFailureItem(error);
      if (!old) throw new NotFound(`Alert '${alertId}' does not exist.`);
      const current = alertFromItem(this.db.alert.build(EntityFormatter).format(old));
      if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) {
        throw new PreconditionFailed(`Alert '${alertId}' is at version ${current.version}, not ${change.expectedVersion}.`);
      }
      return { alert: current, changed: false };
    }
  }

  /** Records the incident created from the alert; the same incident again writes nothing. */
  async linkIncident(alertId: string, incidentId: string, change: { at: string; actor: string }): Promise<void> {
    try {
      await guard(() =>
        this.db.alert
          .build(UpdateItemCommand)
          .item({ alertId, incidentId, updatedAt: change.at, updatedBy: change.actor, lastAction: 'incident_created', version: $add(1) })
          .options({
            condition: {
              and: [
                { attr: 'alertId', exists: true },
                { or: [{ attr: 'incidentId', exists: false }, { attr: 'incidentId', ne: incidentId }] },
              ],
            },
          })
          .send(),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async list(filters: AlertFilters, limit: number, cursor?: string): Promise<Page<Alert>> {
    const { items, nextCursor } = await this.listPage(filters, limit, cursor);
    return { items, nextCursor };
  }

  /** A page of alerts, and the cursor that resumes after any number of its first entries (the playbook dry run stops mid-page). */
  async listPage(filters: AlertFilters, limit: number, cursor?: string): Promise<ReadPage<Alert>> {
    const page = await listByFilters(this.db, this.listing, { ...filters }, limit, cursor);
    return { ...page, items: page.items.map(alertFromItem) };
  }
}
