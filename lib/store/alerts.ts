/** Alert repository: every alert access pattern as a named method (docs/access-patterns.md). */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { alertLinks, type Alert, type AlertState } from '../domain/alert.js';
import { NotFound, PreconditionFailed } from '../domain/errors.js';
import type { Severity } from '../domain/priority.js';
import { conditionFailureItem, guard, isConditionFailure } from './errors.js';
import { updateParts } from './expressions.js';
import { alertIndexKeys, keys } from './keys.js';
import { writeOnce } from './once.js';
import { listByFilters, type IndexedFilter, type Page } from './pagination.js';
import { stripStorage, type Store } from './store.js';

type StoredAlert = Omit<Alert, 'links'>;

export function alertFromItem(item: Record<string, unknown>): Alert {
  // The impact kept with the alert has routes of its own (impacted-cis, affected-install-base).
  const { impact: _impact, impactAffected: _affected, ...alert } = stripStorage<StoredAlert & { impact?: unknown; impactAffected?: unknown }>(item);
  return { ...alert, links: alertLinks(alert.alertId, alert.caseId) };
}

function alertItem(alert: StoredAlert, lastAction: string) {
  return { ...keys.alert(alert.alertId), ...alertIndexKeys(alert), entity: 'alert', lastAction, ...alert };
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

export class AlertRepository {
  constructor(private readonly store: Store) {}

  async get(alertId: string): Promise<Alert | undefined> {
    const out = await guard(() =>
      this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.alert(alertId), ConsistentRead: true })),
    );
    return out.Item ? alertFromItem(out.Item) : undefined;
  }

  async require(alertId: string): Promise<Alert> {
    const alert = await this.get(alertId);
    if (!alert) throw new NotFound(`Alert '${alertId}' does not exist.`);
    return alert;
  }

  /**
   * Creates the alert unless one with its id exists; false when it does.
   * With a `deliveryId`, a repeated delivery throws `DuplicateDelivery`.
   */
  async create(alert: StoredAlert, deliveryId?: string): Promise<boolean> {
    try {
      await writeOnce(
        this.store,
        { Put: { TableName: this.store.tableName, Item: alertItem(alert, 'created'), ConditionExpression: 'attribute_not_exists(pk)' } },
        deliveryId,
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** A repeat of a known alert: one more occurrence; a closed alert opens again. */
  async repeat(alertId: string, r: AlertRepeat, deliveryId?: string): Promise<Alert> {
    const set: Record<string, unknown> = {
      severity: r.severity,
      description: r.description,
      ciId: r.ciId,
      type: r.type,
      attributes: r.attributes,
      detections: r.detections,
      lastOccurredAt: r.at,
      updatedAt: r.at,
      updatedBy: r.actor,
      lastAction: 'repeated',
      gsi3pk: `ALERT#SEVERITY#${r.severity}`,
    };
    const send = (fields: Record<string, unknown>, condition: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> }) =>
      writeOnce(
        this.store,
        { Update: { TableName: this.store.tableName, Key: keys.alert(alertId), ...updateParts(fields, { occurrences: 1, version: 1 }, condition) } },
        deliveryId,
      );
    // Open and acknowledged alerts keep their state; a closed alert that fires again is open again.
    try {
      const item = await send(set, { expression: 'attribute_exists(pk) AND #state <> :closed', names: { '#state': 'state' }, values: { ':closed': 'closed' } });
      return alertFromItem(item);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return alertFromItem(await send({ ...set, state: 'open', gsi2pk: 'ALERT#STATE#open' }, { expression: 'attribute_exists(pk)' }));
  }

  /**
   * Moves an alert to a state. Returns the alert unchanged when it is already
   * there (no new version, no history entry). `expectedVersion` guards If-Match.
   */
  async setState(
    alertId: string,
    state: AlertState,
    change: { at: string; actor: string; action: string; expectedVersion?: number },
  ): Promise<Alert> {
    const condition = ['attribute_exists(pk)', '#state <> :state'];
    const values: Record<string, unknown> = {
      ':state': state,
      ':key': `ALERT#STATE#${state}`,
      ':at': change.at,
      ':actor': change.actor,
      ':action': change.action,
      ':one': 1,
    };
    if (change.expectedVersion !== undefined) {
      condition.push('version = :expected');
      values[':expected'] = change.expectedVersion;
    }
    try {
      const out = await guard(() =>
        this.store.doc.send(
          new UpdateCommand({
            TableName: this.store.tableName,
            Key: keys.alert(alertId),
            UpdateExpression: 'SET #state = :state, gsi2pk = :key, updatedAt = :at, updatedBy = :actor, lastAction = :action ADD version :one',
            ConditionExpression: condition.join(' AND '),
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return alertFromItem(out.Attributes!);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = conditionFailureItem(error);
      if (!old) throw new NotFound(`Alert '${alertId}' does not exist.`);
      const current = alertFromItem(old);
      if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) {
        throw new PreconditionFailed(`Alert '${alertId}' is at version ${current.version}, not ${change.expectedVersion}.`);
      }
      return current;
    }
  }

  /** Records the incident created from the alert; the same incident again writes nothing. */
  async linkIncident(alertId: string, incidentId: string, change: { at: string; actor: string }): Promise<void> {
    try {
      await guard(() =>
        this.store.doc.send(
          new UpdateCommand({
            TableName: this.store.tableName,
            Key: keys.alert(alertId),
            ...updateParts({ incidentId, updatedAt: change.at, updatedBy: change.actor, lastAction: 'incident_created' }, { version: 1 }, {
              expression: 'attribute_exists(pk) AND (attribute_not_exists(incidentId) OR incidentId <> :incident)',
              values: { ':incident': incidentId },
            }),
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async list(filters: { state?: AlertState; severity?: Severity; source?: string }, limit: number, cursor?: string): Promise<Page<Alert>> {
    const page = await listByFilters(this.store, { indexed: ALERT_FILTER_INDEXES, all: ['gsi1', 'ALERT'] }, { ...filters }, limit, cursor);
    return { items: page.items.map(alertFromItem), nextCursor: page.nextCursor };
  }
}

/** Filters that have an index, most selective first. */
const ALERT_FILTER_INDEXES: IndexedFilter[] = [
  ['source', 'gsi4', 'ALERT#SOURCE#'],
  ['severity', 'gsi3', 'ALERT#SEVERITY#'],
  ['state', 'gsi2', 'ALERT#STATE#'],
];
