/**
 * An alert's impact: a summary and the affected install base on the alert item
 * (so a conversion reads them with the alert), and one item per impacted CI,
 * written as a new generation that the summary then points to. Readers always
 * see one whole generation; older generations are deleted after the switch.
 */
import { createHash } from 'node:crypto';
import type { FormattedItem } from 'dynamodb-toolbox/entity';
import { BatchDeleteRequest } from 'dynamodb-toolbox/entity/actions/batchDelete';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { UpdateItemCommand, $add, $remove, $set } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { canonicalJson } from '../domain/canonical.js';
import { NotFound } from '../domain/errors.js';
import type { ImpactedCi } from '../domain/impact.js';
import type { AffectedItem } from '../domain/install-base.js';
import type { Alert } from '../domain/alert.js';
import { alertFromItem } from './alerts.js';
import { clock } from '../clock.js';
import { batchWriteInOrder } from './batch.js';
import { impactGenerationsUpTo, impactedCisOf, type Db, type PatternQuery } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { RETRY_BUDGET_MS } from './retry.js';
import { consistency, keyCondition, listPage, withinBudget, type Page } from './pagination.js';

/** The most affected items kept with an alert (and so attached to its case). */
export const MAX_AFFECTED_ITEMS = 1000;

/**
 * A generation's name: when its refresh started (base-36 milliseconds, so
 * names sort as their refreshes started), then 8 random characters.
 */
const GENERATION_SUFFIX = 8;
/** Longer than any refresh may run (the schedule function's 10-minute timeout): a pending generation this old was abandoned. */
const ABANDONED_AFTER_MS = 15 * 60_000;

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
  /** A generation a refresh began writing and did not switch to (it died part-way): the next refresh removes it. */
  pending?: string;
}

export interface ComputedImpact {
  impactedCis: ImpactedCi[];
  affected: AffectedItem[];
  truncated: boolean;
}


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
export function impactOfAlertItem(item: Pick<FormattedItem<Db['alert']>, 'impact' | 'impactAffected' | 'impactPending'>): AlertImpact {
  return { summary: item.impact, affected: item.impactAffected ?? [], pending: item.impactPending };
}

export class ImpactRepository {
  constructor(private readonly db: Db) {}

  async ofAlert(alertId: string): Promise<AlertImpact & { alert: Alert }> {
    const out = await guard(() => this.db.alert.build(GetItemCommand).key({ alertId }).options({ consistent: true }).send());
    if (!out.Item) throw new NotFound(`Alert '${alertId}' does not exist.`);
    return { ...impactOfAlertItem(out.Item), alert: alertFromItem(out.Item) };
  }

  /** A page of an impact generation's CIs, in walk order. A cursor works only for the generation it came from. */
  async impactedCis(alertId: string, generation: string, limit: number, cursor?: string): Promise<Page<ImpactedCi>> {
    const pattern = impactedCisOf(alertId, generation);
    const page = await listPage(this.db, { list: `impacted-cis:${pattern.partitions[0]}:${generation}`, ...pattern, newestFirst: false }, limit, cursor);
    const format = this.db.impactedCi.build(EntityFormatter);
    const cis = page.items.map((item) => {
      const { ciId, name, class: ciClass, kind, path } = format.format(item);
      return { ciId, name, class: ciClass, kind, path };
    });
    return withinBudget(cis, page);
  }

  /**
   * Stores a computed impact. Unchanged (same digest): with `onlyIfChanged`
   * nothing is written; otherwise only the refresh time moves. Changed: the new
   * generation is written (until `deadline`: what was written by then is the
   * impact, truncated), the alert switched to it (unless another refresh
   * switched first). Then, until `cleanupDeadline`, the generations it
   * replaced go, and any a refresh left half-written long ago; what is left
   * then goes with a later refresh.
   */
  async save(
    alertId: string,
    current: AlertImpact,
    computed: ComputedImpact,
    change: { at: string; actor: string; onlyIfChanged: boolean; deadline: number; cleanupDeadline?: number },
  ): Promise<{ summary: ImpactSummary; changed: boolean; written: boolean; stored: ComputedImpact }> {
    let next = computed;
    const previous = current.summary;
    const cleanUp = (keep: string | undefined) => this.removeReplaced(alertId, keep, change.cleanupDeadline ?? change.deadline);
    if (previous && previous.digest === digestOf(next)) {
      if (change.onlyIfChanged) {
        await cleanUp(previous.generation);
        return { summary: previous, changed: false, written: false, stored: next };
      }
      const summary = { ...previous, refreshedAt: change.at };
      await this.switchTo(alertId, summary, undefined, previous.generation, change);
      await cleanUp(previous.generation);
      return { summary, changed: false, written: true, stored: next };
    }
    const generation = `${clock.now().toString(36)}${crypto.randomUUID().slice(0, GENERATION_SUFFIX)}`;
    // Named on the alert before its items are written (the alert's version does not move, so history and events ignore it).
    await guard(() => this.db.alert.build(UpdateItemCommand).item({ alertId, impactPending: generation }).options({ condition: { attr: 'alertId', exists: true } }).send());
    const written = await batchWriteInOrder(
      this.db,
      next.impactedCis.map((ci, position) => this.db.impactedCi.build(BatchPutRequest).item({ alertId, generation, position, ...ci })),
      change.deadline,
    );
    if (written < next.impactedCis.length) {
      // Out of time while writing: what was written is the impact, truncated (and the install base on those CIs only).
      const impactedCis = next.impactedCis.slice(0, written);
      const onThem = new Set(impactedCis.map((c) => c.ciId));
      next = { impactedCis, affected: next.affected.filter((i) => onThem.has(i.ciId)), truncated: true };
    }
    const kept = next.affected.slice(0, MAX_AFFECTED_ITEMS);
    const summary: ImpactSummary = {
      generation,
      refreshedAt: change.at,
      truncated: next.truncated,
      digest: digestOf(next),
      impactedCis: next.impactedCis.length,
      affectedAccounts: new Set(next.affected.map((i) => i.accountId)).size,
      affectedItems: next.affected.length,
      affectedItemsTruncated: kept.length < next.affected.length,
    };
    try {
      await this.switchTo(alertId, summary, kept, previous?.generation, change);
    } catch (error) {
      // Another refresh switched the alert first: ours is dropped, theirs stands.
      await this.deleteGeneration(alertId, summary.generation);
      if (isConditionFailure(error)) return { summary: (await this.ofAlert(alertId)).summary!, changed: false, written: false, stored: next };
      throw error;
    }
    await cleanUp(summary.generation);
    return { summary, changed: true, written: true, stored: next };
  }

  /**
   * Removes, until `deadline`, the generations started before the current
   * one (`keep`) and those started before ABANDONED_AFTER_MS ago (a refresh
   * that died while writing), but not `keep`. One started after the current
   * one, and recently, is another refresh still writing: it switches after
   * it, or drops itself when it cannot. Generations sort by when they were
   * started, so this reads only what goes: one query when nothing does.
   */
  private async removeReplaced(alertId: string, keep: string | undefined, deadline: number): Promise<void> {
    const abandoned = (clock.now() - ABANDONED_AFTER_MS).toString(36);
    const before = keep !== undefined && keep > abandoned ? keep : abandoned;
    await this.deleteWhere(alertId, impactGenerationsUpTo(alertId, before), (g) => g !== keep, deadline);
  }

  /** Removes one generation (one that lost the switch to another refresh). */
  private deleteGeneration(alertId: string, generation: string): Promise<void> {
    return this.deleteWhere(alertId, impactedCisOf(alertId, generation), () => true, clock.now() + RETRY_BUDGET_MS);
  }

  /** Deletes the impacted-CI items of the alert that `pattern` reads whose generation `drop` names, a page at a time, starting none after `deadline`. */
  private async deleteWhere(alertId: string, pattern: PatternQuery, drop: (generation: string) => boolean, deadline: number) {
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      if (clock.now() > deadline) return;
      const out = await guard(() =>
        this.db.table
          .build(QueryCommand)
          .entities(this.db.impactedCi)
          .query(keyCondition(pattern))
          .options({ ...consistency(pattern), exclusiveStartKey })
          .send(),
      );
      const stale = (out.Items ?? []).filter((i) => drop(i.generation));
      await batchWriteInOrder(
        this.db,
        stale.map((i) => this.db.impactedCi.build(BatchDeleteRequest).key({ alertId, generation: i.generation, position: i.position })),
        deadline,
      );
      exclusiveStartKey = out.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (exclusiveStartKey);
  }

  private async switchTo(
    alertId: string,
    summary: ImpactSummary,
    affected: AffectedItem[] | undefined,
    expectedGeneration: string | undefined,
    change: { at: string; actor: string },
  ) {
    await guard(() =>
      this.db.alert
        .build(UpdateItemCommand)
        .item({
          alertId,
          impact: $set(summary),
          ...(affected ? { impactAffected: $set(affected) } : {}),
          impactPending: $remove(),
          updatedAt: change.at,
          updatedBy: change.actor,
          lastAction: 'impact_refreshed',
          version: $add(1),
        })
        .options({
          condition: {
            and: [
              { attr: 'alertId', exists: true },
              expectedGeneration ? { attr: 'impact.generation', eq: expectedGeneration } : { attr: 'impact', exists: false },
            ],
          },
        })
        .send(),
    );
  }
}
