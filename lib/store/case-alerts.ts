/**
 * Alerts in cases, many to one (SPEC §2 "Alerts and cases"): the reads an
 * attach or detach starts from, and the transactions that write its steps,
 * each alert's case changing in the same transaction as its case's
 * `alertCount` and detections; a case's priority raised by an alert. What to
 * write, and what to do when a write is refused, the use case decides
 * (usecases/case-alerts.ts).
 *
 * A case is changed by `ADD`s and appends, never rewritten whole here, so
 * alerts joining one case at once (a storm of one group) do not make each
 * other start over; only a new detection makes the write conditional on the
 * detections read, so none is copied twice.
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add, $append, $get, $remove, $set } from 'dynamodb-toolbox/entity/actions/update';
import type { Alert } from '../domain/alert.js';
import { GATHERING_STAGES, MAX_CASE_ALERTS, prioritiesBelow, TAKING_STAGES, type AttachStep } from '../domain/case-alerts.js';
import type { StoredCase } from '../domain/case.js';
import type { Priority } from '../domain/priority.js';
import { FROZEN_STAGES, type Stage } from '../domain/stage-transitions.js';
import { alertFromItem } from './alerts.js';
import { batchGet } from './batch.js';
import { caseAlertListKeys, caseAlertListRemoval, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { cancellation, commit, commitOnce, conditionFailed, type Transaction } from './transactions.js';

/** A case and the alerts an attach names, as read together (undefined where there is none). */
export interface AttachRead {
  case: StoredCase | undefined;
  alerts: (Alert | undefined)[];
}

/** What writing one step of an attach came to. */
export type StepCommit =
  | { kind: 'committed' }
  /** A case an alert would leave is closed or cancelled (now, or since it was read): it keeps its alerts. */
  | { kind: 'source_frozen'; from: Pick<StoredCase, 'caseId' | 'number' | 'stage'> }
  /** Another write took one of the alerts, added detections or changed the case since it was read. */
  | { kind: 'changed' }
  /** Another transaction held one of the items at the same moment. */
  | { kind: 'contended' };

/** Who attaches or detaches, and when (the use case's time). */
export interface CaseAlertChange {
  at: string;
  actor: string;
}

export class CaseAlertRepository {
  constructor(private readonly db: Db) {}

  /** The case and the alerts, in one consistent read (calls the database does not answer in time are tried again until `deadline`). */
  async readForAttach(caseId: string, alertIds: readonly string[], deadline?: number): Promise<AttachRead> {
    const [caseItem, ...alertItems] = await batchGet(
      this.db,
      [this.db.case.build(BatchGetRequest).key({ caseId }), ...alertIds.map((alertId) => this.db.alert.build(BatchGetRequest).key({ alertId }))],
      true,
      { deadline },
    );
    return { case: caseItem, alerts: alertItems.map((item) => (item ? alertFromItem(item) : undefined)) };
  }

  /**
   * Writes one step of an attach in one transaction: the case (its count,
   * the detections it gains, only while in `stages` and with room), each
   * alert only if still where it was read, and the cases they leave (only
   * while not closed or cancelled). Sent again while the database does not
   * answer in time: its token makes a repeat of one that did commit an answer.
   */
  async commitAttachStep(kase: StoredCase, step: AttachStep, w: CaseAlertChange & { stages: readonly Stage[] }, deadline: number): Promise<StepCommit> {
    const transactions = this.attachTransactions(kase, step, w);
    try {
      await commitOnce(transactions, deadline);
      return { kind: 'committed' };
    } catch (error) {
      const outcomes = cancellation(error, transactions);
      if (!outcomes) throw error;
      const frozen = outcomes.slice(1).find((o) => conditionFailed(o) && FROZEN_STAGES.includes(o.item?.stage as Stage))?.item;
      if (frozen) return { kind: 'source_frozen', from: { caseId: String(frozen.caseId), number: String(frozen.number), stage: frozen.stage as Stage } };
      return outcomes.some(conditionFailed) ? { kind: 'changed' } : { kind: 'contended' };
    }
  }

  private attachTransactions(kase: StoredCase, step: AttachStep, w: CaseAlertChange & { stages: readonly Stage[] }): Transaction[] {
    const chunk = step.alerts;
    const ids = chunk.map((p) => p.alert.alertId);
    const { detections, known } = step;
    const conditions = [
      { attr: 'caseId' as const, exists: true },
      { attr: 'stage' as const, in: [...w.stages] },
      { attr: 'alertCount' as const, lte: MAX_CASE_ALERTS - chunk.length },
      // Copying detections: only onto the detections read (another alert joining may have brought the same ones).
      ...(detections.length ? [known ? { size: 'detectionIds' as const, eq: known } : { attr: 'detectionIds' as const, exists: false }] : []),
    ];
    const target = this.db.case
      .build(UpdateTransaction)
      .item({
        caseId: kase.caseId,
        alertCount: $add(chunk.length),
        ...(detections.length ? { detections: $append(detections), detectionIds: $add(new Set(detections.map((d) => d.id))) } : {}),
        ...(step.firstAttributes ? { alertAttributes: $get('alertAttributes', step.firstAttributes) } : {}),
        changedAlerts: $set(ids),
        updatedAt: w.at,
        updatedBy: w.actor,
        lastAction: 'alert_attached',
        version: $add(1),
      })
      .options({ condition: { and: conditions } });
    const leaving = new Map<string, string[]>();
    for (const p of chunk) if (p.outcome === 'moved') leaving.set(p.alert.caseId!, [...(leaving.get(p.alert.caseId!) ?? []), p.alert.alertId]);
    const sources = [...leaving.entries()].map(([caseId, moved]) => this.leaveTransaction(caseId, moved, w));
    const alerts = chunk.map((p) =>
      this.db.alert
        .build(UpdateTransaction)
        .item({
          alertId: p.alert.alertId,
          caseId: kase.caseId,
          caseNumber: kase.number,
          ...caseAlertListKeys(kase.caseId, w.at, p.alert.alertId),
          updatedAt: w.at,
          updatedBy: w.actor,
          lastAction: p.outcome === 'moved' ? 'moved_to_case' : 'attached_to_case',
          version: $add(1),
        })
        .options({
          condition: p.outcome === 'moved' ? { attr: 'caseId', eq: p.alert.caseId! } : { and: [{ attr: 'alertId', exists: true }, { attr: 'caseId', exists: false }] },
        }),
    );
    return [target, ...sources, ...alerts];
  }

  /**
   * A case losing alerts (a detach, or a move to another case): its count,
   * and which alerts left (for its history); only while it is not closed or
   * cancelled (a refusal returns the case, so the caller can say which).
   */
  private leaveTransaction(caseId: string, alertIds: string[], w: { at: string; actor: string }) {
    return this.db.case
      .build(UpdateTransaction)
      .item({ caseId, alertCount: $add(-alertIds.length), changedAlerts: $set(alertIds), updatedAt: w.at, updatedBy: w.actor, lastAction: 'alert_detached', version: $add(1) })
      .options({ condition: { and: [{ attr: 'caseId', exists: true }, { attr: 'stage', in: [...TAKING_STAGES] }] }, returnValuesOnConditionFalse: 'ALL_OLD' });
  }

  /** The case and the alert a detach names, read together. */
  async readForDetach(caseId: string, alertId: string): Promise<{ case: StoredCase | undefined; alert: Alert | undefined }> {
    const read = await this.readForAttach(caseId, [alertId]);
    return { case: read.case, alert: read.alerts[0] };
  }

  /**
   * Unlinks an alert from its case in one transaction (the case keeps the
   * detections it copied, and its origin alert as provenance): only while the
   * alert is still in it and the case is not closed or cancelled.
   * `contended` when either changed or was held meanwhile (read again).
   */
  async commitDetach(caseId: string, alertId: string, w: CaseAlertChange): Promise<'detached' | 'contended'> {
    const transactions: Transaction[] = [
      this.db.alert
        .build(UpdateTransaction)
        .item({ alertId, caseId: $remove(), caseNumber: $remove(), ...caseAlertListRemoval(), updatedAt: w.at, updatedBy: w.actor, lastAction: 'detached_from_case', version: $add(1) })
        .options({ condition: { attr: 'caseId', eq: caseId } }),
      this.leaveTransaction(caseId, [alertId], w),
    ];
    try {
      await commit(transactions);
      return 'detached';
    } catch (error) {
      if (!cancellation(error, transactions)) throw error;
      return 'contended';
    }
  }

  /**
   * Raises a case's priority to `to` if it is lower and the case is still
   * being worked; never lowers it. False when there was nothing to raise.
   */
  async raisePriority(caseId: string, to: Priority, by: { at: string; actor: string }): Promise<boolean> {
    const below = prioritiesBelow(to);
    if (below.length === 0) return false;
    try {
      await guard(() =>
        this.db.case
          .build(UpdateItemCommand)
          .item({ caseId, priority: to, updatedAt: by.at, updatedBy: by.actor, lastAction: 'priority_raised', version: $add(1) })
          .options({ condition: { and: [{ attr: 'caseId', exists: true }, { attr: 'priority', in: below }, { attr: 'stage', in: [...GATHERING_STAGES] }] } })
          .send(),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
