/**
 * Alerts in cases, many to one (SPEC §2 "Alerts and cases"): attaching,
 * moving and detaching alerts, each alert's case changing in the same
 * transaction as its case's `alertCount` and detections; a case's alerts in
 * the order they joined it; a case's priority raised by an alert.
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
import { sleep } from '../concurrency.js';
import type { Alert, Detection } from '../domain/alert.js';
import {
  attachOutcome,
  detectionsToCopy,
  GATHERING_STAGES,
  TAKING_STAGES,
  MAX_CASE_ALERTS,
  prioritiesBelow,
  type AlertResult,
} from '../domain/case-alerts.js';
import type { StoredCase } from '../domain/case.js';
import { Conflict, Unavailable } from '../domain/errors.js';
import type { Priority } from '../domain/priority.js';
import { FROZEN_STAGES, type Stage } from '../domain/stage-transitions.js';
import { alertFromItem } from './alerts.js';
import { batchGet } from './batch.js';
import { caseAlertListKeys, caseAlertListRemoval, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { cancellation, commit, commitOnce, conditionFailed, type Transaction } from './transactions.js';

export interface AttachRequest {
  caseId: string;
  alertIds: string[];
  /** Take alerts from the case they are in. */
  move: boolean;
  /** Who attaches, and when (the use case's time). */
  at: string;
  actor: string;
  /**
   * The stages in which the case takes them, as the use case says: by hand
   * any but closed and cancelled (TAKING_STAGES); a grouping playbook's case
   * only while it gathers; a case just created by a bulk conversion whatever
   * its stage.
   */
  stages: readonly Stage[];
}

/** What an attach came to: each alert's outcome, or why the case took none. */
export type Attachment =
  | { kind: 'done'; case: StoredCase; results: AlertResult[] }
  | { kind: 'case_not_found' }
  /** The case is in a stage that takes no alerts. */
  | { kind: 'case_closed'; case: StoredCase }
  /** The alerts would take the case past MAX_CASE_ALERTS. */
  | { kind: 'case_full'; case: StoredCase; adding: number }
  /** A move would take an alert out of a closed or cancelled case (`from`): frozen cases keep their alerts. */
  | { kind: 'source_frozen'; case: StoredCase; from: Pick<StoredCase, 'caseId' | 'number' | 'stage'> };

export type Detachment = 'detached' | 'not_attached' | 'case_not_found' | 'case_frozen';

/** Rounds lost to a changed condition (an alert taken, detections added, the case changed) before giving up. */
const ATTEMPTS = 8;
/** How long rounds lost only to simultaneous transactions on the same case go on (within the API's 8 s database budget). */
const CONTENTION_BUDGET_MS = 6000;

const uniqueById = <D extends { id: string }>(list: readonly D[]) => [...new Map(list.map((d) => [d.id, d])).values()];
/** TransactWriteItems takes at most 100 items: the case, the alerts, and the cases they move from. */
const TRANSACTION_ITEMS = 100;

interface Planned {
  alert: Alert;
  outcome: 'attached' | 'moved';
}

export class CaseAlertRepository {
  constructor(private readonly db: Db) {}

  /**
   * Attaches (and with `move`, moves) alerts to a case: one read of the case
   * and the alerts, then one transaction per 100 items, each holding the
   * case (its count and, in the first, the detections it gains), the alerts
   * (each only if still where it was read) and the cases they leave. An
   * alert another write took meanwhile is read again and answered as it is.
   */
  async attach(r: AttachRequest): Promise<Attachment> {
    const ids = [...new Set(r.alertIds)];
    const decided = new Map<string, AlertResult>();
    let kase: StoredCase | undefined;
    const started = Date.now();
    // Calls the database does not answer in time are tried again until then (SPEC §4: 8 s for the database).
    const deadline = started + CONTENTION_BUDGET_MS;
    // Rounds lost to a changed condition are counted; rounds lost only to another transaction holding the case at the same
    // moment (alerts of one group joining at once) go on while there is time.
    let refused = 0;
    // Part of the request may be in the case already (an earlier transaction), then the case (or one an alert leaves) changed: say both.
    const refuse = (refusal: Attachment) => {
      const attached = [...decided.values()].filter((d) => d.outcome === 'attached' || d.outcome === 'moved').map((d) => d.alertId);
      if (attached.length) {
        const why = refusal.kind === 'source_frozen' ? `case ${refusal.from.number} is ${refusal.from.stage}` : refusal.kind === 'case_full' ? 'full' : kase!.stage;
        throw new Conflict(`Case ${kase!.number} took ${attached.length} of the alerts, then stopped taking them (${why}).`, { attached });
      }
      return refusal;
    };
    for (let round = 0; decided.size < ids.length && refused < ATTEMPTS && Date.now() - started < CONTENTION_BUDGET_MS; round++) {
      if (round > 0) await sleep(Math.min(200, 5 * round) + Math.random() * 25 * Math.min(round, 8));
      const pending = ids.filter((id) => !decided.has(id));
      const [caseItem, ...alertItems] = await batchGet(
        this.db,
        [this.db.case.build(BatchGetRequest).key({ caseId: r.caseId }), ...pending.map((alertId) => this.db.alert.build(BatchGetRequest).key({ alertId }))],
        true,
        { deadline },
      );
      if (!caseItem) return { kind: 'case_not_found' };
      kase = caseItem as unknown as StoredCase;
      const planned: Planned[] = [];
      pending.forEach((alertId, i) => {
        const alert = alertItems[i] ? alertFromItem(alertItems[i]) : undefined;
        const result = attachOutcome(alert, alertId, r.caseId, r.move);
        if (result.outcome === 'attached' || result.outcome === 'moved') planned.push({ alert: alert!, outcome: result.outcome });
        else decided.set(alertId, result);
      });
      if (planned.length === 0) break;
      const { stages } = r;
      const refusal: Attachment | undefined = !stages.includes(kase.stage)
        ? { kind: 'case_closed', case: kase }
        : kase.alertCount + planned.length > MAX_CASE_ALERTS
          ? { kind: 'case_full', case: kase, adding: planned.length }
          : undefined;
      if (refusal) return refuse(refusal);
      const firstAttributes = kase.alertAttributes === undefined ? planned[0].alert.attributes : undefined;
      const { at } = r;
      // Each chunk copies the detections of its own alerts, onto those the case had when read plus the earlier chunks'.
      let have: Pick<Detection, 'id'>[] = uniqueById(kase.detections ?? []);
      for (const [k, chunk] of this.chunked(planned).entries()) {
        const detections = detectionsToCopy(have, chunk.map((p) => p.alert));
        const transactions = this.attachTransactions(kase, chunk, { at, actor: r.actor, stages, known: have.length, detections, ...(k === 0 ? { firstAttributes } : {}) });
        try {
          // Sent again while the database does not answer in time: its token makes a repeat of one that did commit an answer.
          await commitOnce(transactions, deadline);
        } catch (error) {
          const outcomes = cancellation(error, transactions);
          if (!outcomes) throw error;
          // A case an alert would leave is closed or cancelled (now, or since it was read): it keeps its alerts.
          const frozen = outcomes.slice(1).find((o) => conditionFailed(o) && FROZEN_STAGES.includes(o.item?.stage as Stage))?.item;
          if (frozen) return refuse({ kind: 'source_frozen', case: kase, from: frozen as unknown as StoredCase });
          // Another write took one of the alerts, added detections or changed the case: read again (counted). Only held at
          // the same moment: read again (not counted).
          if (outcomes.some(conditionFailed)) refused++;
          break;
        }
        have = [...have, ...detections];
        for (const p of chunk) decided.set(p.alert.alertId, { alertId: p.alert.alertId, outcome: p.outcome, caseId: kase.caseId, caseNumber: kase.number });
      }
    }
    // The same request again finishes it: what is attached answers `already_attached`.
    if (decided.size < ids.length) throw new Unavailable('The alerts kept changing while they were being attached; retry shortly.');
    return { kind: 'done', case: kase!, results: r.alertIds.map((id) => decided.get(id)!) };
  }

  /** Planned alerts in transactions of at most 100 items: the case, then per alert itself and (a move) the case it leaves, once per chunk. */
  private chunked(planned: Planned[]): Planned[][] {
    const out: Planned[][] = [];
    let current: Planned[] = [];
    let sources = new Set<string>();
    for (const p of planned) {
      const source = p.outcome === 'moved' ? p.alert.caseId! : undefined;
      const grows = 1 + (source && !sources.has(source) ? 1 : 0);
      if (current.length > 0 && 1 + current.length + sources.size + grows > TRANSACTION_ITEMS) {
        out.push(current);
        current = [];
        sources = new Set();
      }
      current.push(p);
      if (source) sources.add(source);
    }
    if (current.length) out.push(current);
    return out;
  }

  private attachTransactions(
    kase: StoredCase,
    chunk: Planned[],
    w: { at: string; actor: string; stages: readonly Stage[]; known: number; detections: Alert['detections']; firstAttributes?: Alert['attributes'] },
  ): Transaction[] {
    const ids = chunk.map((p) => p.alert.alertId);
    const { detections, known } = w;
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
        // A case with no alert attributes (a manual case) takes its first alert's, as a conversion does.
        ...(w.firstAttributes && Object.keys(w.firstAttributes).length ? { alertAttributes: $get('alertAttributes', w.firstAttributes) } : {}),
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

  /** Unlinks an alert from its case (the case keeps the detections it copied, and its origin alert as provenance). */
  async detach(caseId: string, alertId: string, by: { at: string; actor: string }): Promise<Detachment> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(5 * attempt + Math.random() * 15 * attempt);
      const [caseItem, alertItem] = await batchGet(this.db, [
        this.db.case.build(BatchGetRequest).key({ caseId }),
        this.db.alert.build(BatchGetRequest).key({ alertId }),
      ]);
      if (!caseItem) return 'case_not_found';
      if (alertItem?.caseId !== caseId) return 'not_attached';
      // A closed or cancelled case keeps its alerts (the transaction's condition says so again, should it close meanwhile).
      if (FROZEN_STAGES.includes(caseItem.stage as Stage)) return 'case_frozen';
      const w = by;
      const transactions: Transaction[] = [
        this.db.alert
          .build(UpdateTransaction)
          .item({
            alertId,
            caseId: $remove(),
            caseNumber: $remove(),
            ...caseAlertListRemoval(),
            updatedAt: w.at,
            updatedBy: w.actor,
            lastAction: 'detached_from_case',
            version: $add(1),
          })
          .options({ condition: { attr: 'caseId', eq: caseId } }),
        this.leaveTransaction(caseId, [alertId], w),
      ];
      try {
        await commit(transactions);
        return 'detached';
      } catch (error) {
        if (!cancellation(error, transactions)) throw error;
      }
    }
    throw new Unavailable('The alert kept changing while it was being detached; retry shortly.');
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
