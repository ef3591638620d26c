/**
 * An alert's impact: a summary and the affected install base on the alert item
 * (so a conversion reads them with the alert), and one item per impacted CI,
 * written as a new generation that the summary then points to. Readers always
 * see one whole generation; older generations are deleted after the switch.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../domain/canonical.js';
import { NotFound } from '../domain/errors.js';
import type { ImpactedCi } from '../domain/impact.js';
import type { AffectedItem } from '../domain/install-base.js';
import { OPEN_ALERT_STATES, type AlertState } from '../domain/alert.js';
import type { Severity } from '../domain/priority.js';
import { batchGet, batchWrite, lookup, mapLimit } from './batch.js';
import { guard, isConditionFailure } from './errors.js';
import { queryAll } from './pagination.js';
import { keys, SK_PREFIX } from './keys.js';
import type { Store } from './store.js';

/** The most affected items kept with an alert (and so attached to its case). */
export const MAX_AFFECTED_ITEMS = 1000;

export interface ImpactSummary {
  generation: string;
  refreshedAt: string;
  truncated: boolean;
  digest: string;
  impactedCis: number;
  affectedAccounts: number;
  affectedItems: number;
  /** More items were affected than are kept (MAX_AFFECTED_ITEMS). */
  affectedItemsTruncated: boolean;
}

export interface AlertImpact {
  summary?: ImpactSummary;
  affected: AffectedItem[];
}

export interface ComputedImpact {
  impactedCis: ImpactedCi[];
  affected: AffectedItem[];
  truncated: boolean;
}

type Item = Record<string, unknown>;

export const digestOf = (impact: ComputedImpact) =>
  createHash('sha256')
    .update(
      canonicalJson({
        cis: impact.impactedCis,
        items: [...impact.affected].sort((a, b) => a.installBaseItemId.localeCompare(b.installBaseItemId)),
        truncated: impact.truncated,
      }),
    )
    .digest('hex');

/** What the alert item holds about its impact (attributes `impact` and `impactAffected`). */
export function impactOfAlertItem(item: Item): AlertImpact {
  return { summary: item.impact as ImpactSummary | undefined, affected: (item.impactAffected as AffectedItem[] | undefined) ?? [] };
}

export class ImpactRepository {
  constructor(private readonly store: Store) {}

  async ofAlert(alertId: string): Promise<AlertImpact & { alert: Item }> {
    const out = await guard(() =>
      this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.alert(alertId), ConsistentRead: true })),
    );
    if (!out.Item) throw new NotFound(`Alert '${alertId}' does not exist.`);
    return { ...impactOfAlertItem(out.Item), alert: out.Item };
  }

  async impactedCis(alertId: string, generation: string): Promise<ImpactedCi[]> {
    const items = await queryAll(this.store, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.alert(alertId).pk, ':prefix': `${SK_PREFIX.impact}${generation}#` },
      ConsistentRead: true,
    });
    return items.map((i) => ({ ciId: i.ciId, name: i.name, class: i.class, kind: i.kind, path: i.path }) as ImpactedCi);
  }

  /**
   * The severities of the open alerts whose current impact includes each CI.
   * An impacted-CI item counts only while its generation is its alert's current one.
   */
  async openAlertSeveritiesOn(ciIds: string[]): Promise<Map<string, Severity[]>> {
    const listed = await mapLimit(ciIds, 32, async (ciId) => {
      const items = await queryAll(this.store, {
        IndexName: 'gsi7',
        KeyConditionExpression: 'gsi7pk = :pk',
        ExpressionAttributeValues: { ':pk': `IMPACTED#${ciId}` },
      });
      return { ciId, entries: items.map((i) => ({ alertId: i.alertId as string, generation: i.generation as string })) };
    });
    const alerts = await batchGet(this.store, [...new Set(listed.flatMap((l) => l.entries.map((e) => e.alertId)))].map(keys.alert));
    return new Map(
      listed.map(({ ciId, entries }) => [
        ciId,
        entries.flatMap(({ alertId, generation }) => {
          const alert = lookup(alerts, keys.alert(alertId));
          const current = alert && (alert.impact as ImpactSummary | undefined)?.generation === generation;
          return current && OPEN_ALERT_STATES.includes(alert.state as AlertState) ? [alert.severity as Severity] : [];
        }),
      ]),
    );
  }

  /**
   * Stores a computed impact. Unchanged (same digest): with `onlyIfChanged`
   * nothing is written; otherwise only the refresh time moves. Changed: the new
   * generation is written, the alert switched to it (unless another refresh
   * switched first), and every older generation deleted.
   */
  async save(
    alertId: string,
    current: ImpactSummary | undefined,
    next: ComputedImpact,
    change: { at: string; actor: string; onlyIfChanged: boolean },
  ): Promise<{ summary: ImpactSummary; changed: boolean; written: boolean }> {
    const digest = digestOf(next);
    if (current && current.digest === digest) {
      if (change.onlyIfChanged) return { summary: current, changed: false, written: false };
      const summary = { ...current, refreshedAt: change.at };
      await this.switchTo(alertId, summary, undefined, current.generation, change);
      return { summary, changed: false, written: true };
    }
    const kept = next.affected.slice(0, MAX_AFFECTED_ITEMS);
    const summary: ImpactSummary = {
      generation: `${Date.now().toString(36)}${randomUUID().slice(0, 8)}`,
      refreshedAt: change.at,
      truncated: next.truncated,
      digest,
      impactedCis: next.impactedCis.length,
      affectedAccounts: new Set(next.affected.map((i) => i.accountId)).size,
      affectedItems: next.affected.length,
      affectedItemsTruncated: kept.length < next.affected.length,
    };
    await batchWrite(
      this.store,
      next.impactedCis.map((ci, position) => ({
        ...keys.impactedCi(alertId, summary.generation, position),
        entity: 'impactedci',
        alertId,
        generation: summary.generation,
        gsi7pk: `IMPACTED#${ci.ciId}`,
        gsi7sk: alertId,
        ...ci,
      })),
    );
    try {
      await this.switchTo(alertId, summary, kept, current?.generation, change);
    } catch (error) {
      // Another refresh switched the alert first: ours is dropped, theirs stands.
      await this.deleteGenerations(alertId, (g) => g === summary.generation);
      if (isConditionFailure(error)) return { summary: (await this.ofAlert(alertId)).summary!, changed: false, written: false };
      throw error;
    }
    await this.deleteGenerations(alertId, (g) => g !== summary.generation);
    return { summary, changed: true, written: true };
  }

  private async switchTo(
    alertId: string,
    summary: ImpactSummary,
    affected: AffectedItem[] | undefined,
    expectedGeneration: string | undefined,
    change: { at: string; actor: string },
  ) {
    await guard(() =>
      this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: keys.alert(alertId),
          UpdateExpression: `SET #impact = :summary, ${affected ? 'impactAffected = :affected, ' : ''}updatedAt = :at, updatedBy = :actor, lastAction = :action ADD version :one`,
          ConditionExpression: expectedGeneration
            ? 'attribute_exists(pk) AND #impact.generation = :expected'
            : 'attribute_exists(pk) AND attribute_not_exists(#impact)',
          ExpressionAttributeNames: { '#impact': 'impact' },
          ExpressionAttributeValues: {
            ':summary': summary,
            ...(affected ? { ':affected': affected } : {}),
            ':at': change.at,
            ':actor': change.actor,
            ':action': 'impact_refreshed',
            ':one': 1,
            ...(expectedGeneration ? { ':expected': expectedGeneration } : {}),
          },
        }),
      ),
    );
  }

  private async deleteGenerations(alertId: string, drop: (generation: string) => boolean) {
    const items = await queryAll(this.store, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.alert(alertId).pk, ':prefix': SK_PREFIX.impact },
      ProjectionExpression: 'pk, sk, generation',
    });
    const stale = items.filter((i) => drop(i.generation as string)).map((i) => ({ pk: i.pk as string, sk: i.sk as string }));
    await batchWrite(this.store, [], stale);
  }
}
