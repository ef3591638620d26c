/** Alert repository: every alert access pattern as a named method (docs/access-patterns.md). */
import type { FormattedItem } from 'dynamodb-toolbox/entity';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { UpdateItemCommand, $add, $set } from 'dynamodb-toolbox/entity/actions/update';
import { alertLinks, type Alert, type AlertState } from '../domain/alert.js';
import { NotFound, PreconditionFailed } from '../domain/errors.js';
import type { Severity } from '../domain/priority.js';
import { batchGet } from './batch.js';
import { applyOnce } from './deliveries.js';
import type { Db } from './entities.js';
import { conditionFailureItem, guard, isConditionFailure } from './errors.js';

export type StoredAlert = Omit<Alert, 'links'>;
type AlertItem = FormattedItem<Db['alert']>;


/** An alert as the API shows it: the impact kept with it has routes of its own (impacted-cis, affected-install-base). */
export function alertFromItem(item: AlertItem): Alert {
  const { impact: _impact, impactAffected: _affected, impactPending: _pending, occurrence: _occurrence, ...alert } = item;
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

export interface StateChange {
  at: string;
  actor: string;
  action: string;
  expectedVersion?: number;
  /** Move only from one of these states. */
  from?: AlertState[];
  /** Move only when the alert's current occurrence is this one or an earlier one (occurrences compare as text), or it has none. */
  occurrence?: string;
}

export interface AlertFilters {
  state?: AlertState;
  severity?: Severity;
  source?: string;
}

export class AlertRepository {
  constructor(private readonly db: Db) {}

  async get(alertId: string): Promise<Alert | undefined> {
    const out = await guard(() => this.db.alert.build(GetItemCommand).key({ alertId }).options({ consistent: true }).send());
    return out.Item ? alertFromItem(out.Item) : undefined;
  }

  /** Alerts by id, in the order asked (undefined where there is none): one read. */
  async getMany(alertIds: string[]): Promise<(Alert | undefined)[]> {
    const items = await batchGet(this.db, alertIds.map((alertId) => this.db.alert.build(BatchGetRequest).key({ alertId })));
    return items.map((item) => (item ? alertFromItem(item) : undefined));
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
    const writeToken = crypto.randomUUID();
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
   * A repeat of a known alert: one more occurrence. Open and acknowledged
   * alerts keep their state; a closed alert that fires again is open again.
   */
  async repeat(alertId: string, r: AlertRepeat, once: AlertWriteOptions = {}): Promise<Alert | 'already_delivered' | { unchanged: Alert }> {
    const { deliveryId, occurrence } = once;
    const writeToken = crypto.randomUUID();
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
    const stillOpen = { and: [{ attr: 'alertId' as const, exists: true }, { attr: 'state' as const, ne: 'closed' as const }, notYet, ...newOccurrence] };
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
   * of an earlier firing does not close a newer one; of this or a later one,
   * whose firing never arrived, it does).
   */
  async transition(alertId: string, state: AlertState, change: StateChange): Promise<{ alert: Alert; changed: boolean }> {
    const conditions = [
      { attr: 'alertId' as const, exists: true },
      { attr: 'state' as const, ne: state },
      ...(change.expectedVersion !== undefined ? [{ attr: 'version' as const, eq: change.expectedVersion }] : []),
      ...(change.from !== undefined ? [{ attr: 'state' as const, in: change.from }] : []),
      ...(change.occurrence !== undefined ? [{ or: [{ attr: 'occurrence' as const, exists: false }, { attr: 'occurrence' as const, lte: change.occurrence }] }] : []),
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
}
