/**
 * Case repository: reads, creations (the read a creation needs, then the
 * plan the use case made, written in one transaction with a number from the
 * instance's block), optimistic replacement, a major case's children, work
 * notes. Callers get domain outcomes; the store turns a cancelled transaction
 * into them. Lists are CaseListRepository's (case-lists.ts).
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add } from 'dynamodb-toolbox/entity/actions/update';
import type { AffectedItem } from '../domain/install-base.js';
import { withoutWarnings, type Case, type DraftCase, type StoredCase } from '../domain/case.js';
import type { Alert } from '../domain/alert.js';
import { NotFound, PreconditionFailed } from '../domain/errors.js';
import type { IdempotencyRequest } from '../domain/idempotency.js';
import type { Queue } from '../domain/queue-rules.js';
import { alertFromItem } from './alerts.js';
import { batchGet, chunks } from './batch.js';
import { caseNumbersOf } from './case-numbers.js';
import { workNotesOfCase, caseAlertListKeys, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import type { IdempotencyRepository } from './idempotency.js';
import { impactOfAlertItem } from './impact.js';
import { listPage, withinBudget, type Page } from './pagination.js';
import { QueueRepository } from './queues.js';
import { cancellation, commit, conditionFailed, type Transaction } from './transactions.js';

export type { StoredCase };


export interface WorkNote {
  noteId: string;
  caseId: string;
  text: string;
  author: string;
  createdAt: string;
}

export interface CaseFilters {
  stage?: string;
  queue?: string;
  assignee?: string;
  accountId?: string;
  proactive?: boolean;
  alertId?: string;
  parentCaseId?: string;
  /** Cases whose SLAs have breached (true) or are on the clock and have not (false). */
  slaBreached?: boolean;
  /** Cases with an SLA on the clock due to breach before this time (ISO 8601, UTC). */
  slaDueBefore?: string;
}

/** What a creation reads before the domain makes the case (`readForCreation`). */
export interface CreationRead {
  /** The alert a conversion converts, with its affected install base as last calculated (undefined: none asked, or no such alert). */
  alert?: { alert: Alert; affected: AffectedItem[] };
  /** The case an earlier request with the same Idempotency-Key created. */
  replay?: Case;
  /** The queue the input names, as configured (undefined when there is no such queue). */
  queue: Queue | undefined;
}

/** A grouping playbook's group: the new case becomes the group's, if the group still has no case, or still `replaces` this one. */
export interface CaseGroupClaim {
  playbookId: string;
  key: string;
  windowMinutes: number;
  replaces?: string;
}

/** A new case to write, as the use case planned it (`commitCreation`). */
export interface CreationPlan {
  draft: DraftCase;
  action: 'created' | 'created_from_alert' | 'created_from_major_case';
  at: string;
  actor: string;
  /** A conversion: the alert, linked to the case in the same write only if it has no case yet. */
  alertId?: string;
  group?: CaseGroupClaim;
  /** A major case's child for one account: written only if that account has no child yet. */
  childOf?: { majorCaseId: string; accountId: string };
  idempotency?: IdempotencyRequest;
}

/** What writing a new case came to. */
export type CreationCommit =
  | { kind: 'created'; case: Case }
  /** The alert has a case already (the winner of a race). */
  | { kind: 'already_converted'; caseId: string; caseNumber: string }
  | { kind: 'alert_not_found' }
  /** A request with the same Idempotency-Key wrote first: its case. */
  | { kind: 'replayed'; case: Case }
  /** The group was given a case meanwhile (by another alert of the group). */
  | { kind: 'group_taken' }
  /** The major case has its child for this account already. */
  | { kind: 'child_exists' }
  /** Another transaction held one of the items: read again and retry. */
  | { kind: 'contended' };

/** The case a grouping playbook opened for a group, and when. */
export interface CaseGroup {
  caseId: string;
  caseNumber: string;
  openedAt: string;
}

/** A case's new version, written only if it is still at `expectedVersion`. */
export interface CaseVersion {
  case: StoredCase;
  expectedVersion: number;
  /** What the change was (history's action). */
  action: string;
}

/** A case version as written whole: the ids of its detections beside them (the attach conditions read them), no warnings. */
function itemOf(c: StoredCase | Case, action: string) {
  const { warnings: _warnings, ...stored } = c as Case;
  const ids = new Set((stored.detections ?? []).map((d) => d.id));
  return { ...stored, lastAction: action, detectionIds: ids.size ? ids : undefined };
}

/** Cases by id, in order (undefined where there is none): 100 to a BatchGetItem, all at once. */
export async function casesByIds(db: Db, caseIds: string[]): Promise<(StoredCase | undefined)[]> {
  return (await Promise.all(chunks(caseIds, 100).map((part) => batchGet(db, part.map((caseId) => db.case.build(BatchGetRequest).key({ caseId })))))).flat();
}

/** A case's new version as a transaction item, conditional on the version it replaces (a work item's accept writes it with the item). */
export const caseVersionTransaction = (db: Db, change: CaseVersion) =>
  db.case.build(PutTransaction).item(itemOf(change.case, change.action)).options({ condition: { attr: 'version', eq: change.expectedVersion } });

export class CaseRepository {
  private readonly queues: QueueRepository;

  /**
   * `peers`: the function's other repositories. A creation with an
   * Idempotency-Key keeps its record through theirs (only functions whose
   * routes take a key bring it).
   */
  constructor(
    private readonly db: Db,
    private readonly peers?: { readonly idempotency: IdempotencyRepository },
  ) {
    this.queues = new QueueRepository(db);
  }

  async get(caseId: string): Promise<StoredCase | undefined> {
    const out = await guard(() => this.db.case.build(GetItemCommand).key({ caseId }).options({ consistent: true }).send());
    return out.Item;
  }

  async require(caseId: string): Promise<StoredCase> {
    const found = await this.get(caseId);
    if (!found) throw new NotFound(`Case '${caseId}' does not exist.`);
    return found;
  }

  async getByNumber(number: string): Promise<StoredCase | undefined> {
    const out = await guard(() => this.db.caseNumber.build(GetItemCommand).key({ number }).options({ consistent: true }).send());
    return out.Item ? this.get(out.Item.caseId) : undefined;
  }

  /** The group's case, written with it: only where the group has none yet, or still has the one it `replaces`. */
  private groupTransaction(group: CaseGroupClaim, created: StoredCase, at: string) {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + group.windowMinutes * 60 + 24 * 3600;
    return this.db.caseGroup
      .build(PutTransaction)
      .item({ playbookId: group.playbookId, groupKey: group.key, caseId: created.caseId, caseNumber: created.number, openedAt: at, expiresAt })
      .options({ condition: group.replaces ? { attr: 'caseId', eq: group.replaces } : { attr: 'playbookId', exists: false } });
  }

  /** The case a grouping playbook opened last for a group, if any. */
  async group(playbookId: string, key: string): Promise<CaseGroup | undefined> {
    const out = await guard(() => this.db.caseGroup.build(GetItemCommand).key({ playbookId, groupKey: key }).options({ consistent: true }).send());
    return out.Item ? { caseId: out.Item.caseId, caseNumber: out.Item.caseNumber, openedAt: out.Item.openedAt } : undefined;
  }

  private get records(): IdempotencyRepository {
    if (!this.peers) throw new Error('CaseRepository was made without its peers: an idempotent creation needs the idempotency repository');
    return this.peers.idempotency;
  }

  /**
   * A creation's one read (one BatchGetItem): the alert a conversion
   * converts, with its affected install base as last calculated; the first
   * result of an earlier request with the same Idempotency-Key; and the queue
   * the input names, unless this instance has the queues cached.
   */
  async readForCreation(r: { alertId?: string; queueId?: string; idempotency?: IdempotencyRequest }): Promise<CreationRead> {
    const cachedQueue = r.queueId === undefined ? { queue: undefined } : this.queues.cachedQueue(r.queueId);
    const requests = [
      ...(r.alertId ? [this.db.alert.build(BatchGetRequest).key({ alertId: r.alertId })] : []),
      ...(r.idempotency ? [this.records.readRequest(r.idempotency)] : []),
      ...(cachedQueue ? [] : [this.queues.readRequest(r.queueId!)]),
    ];
    const found = requests.length ? await batchGet(this.db, requests) : [];
    const alertItem = r.alertId ? found.shift() : undefined;
    const replay = r.idempotency ? (this.records.resultFrom(found.shift(), r.idempotency, Date.now()) as Case | undefined) : undefined;
    const queue = cachedQueue ? cachedQueue.queue : this.queues.queueRead(found.shift(), r.queueId!);
    return {
      alert: alertItem ? { alert: alertFromItem(alertItem), affected: impactOfAlertItem(alertItem).affected } : undefined,
      replay,
      queue,
    };
  }

  /**
   * Writes a new case in one transaction: the case with the next number of
   * this instance's block, the number, and as the plan says the alert it
   * converts (linked only if it has no case yet), the grouping playbook's
   * group, the major case's guard for the account's child, the idempotency
   * record with the case as its result. A refused write comes back as what
   * refused it; a number whose creation was refused goes back to the block.
   */
  async commitCreation(plan: CreationPlan): Promise<CreationCommit> {
    const { alertId, group, childOf, at, actor, idempotency } = plan;
    const numbers = caseNumbersOf(this.db);
    const number = await numbers.take();
    // The number after the id: a case reads id, number, then the rest.
    const { caseId, ...rest } = plan.draft;
    const built: Case = { caseId, number, ...rest };
    const created = withoutWarnings(built);
    const nowMs = Date.now();
    const linking = alertId
      ? this.db.alert
          .build(UpdateTransaction)
          .item({
            alertId,
            caseId: created.caseId,
            caseNumber: created.number,
            ...caseAlertListKeys(created.caseId, at, alertId),
            updatedAt: at,
            updatedBy: actor,
            lastAction: 'converted_to_case',
            version: $add(1),
          })
          .options({ condition: { and: [{ attr: 'alertId', exists: true }, { attr: 'caseId', exists: false }] }, returnValuesOnConditionFalse: 'ALL_OLD' })
      : undefined;
    const grouping = group && this.groupTransaction(group, created, at);
    const guarding =
      childOf &&
      this.db.majorCaseChild
        .build(PutTransaction)
        .item({ ...childOf, caseId: created.caseId })
        .options({ condition: { attr: 'majorCaseId', exists: false } });
    const record = idempotency && this.records.completedInTransaction(idempotency, built, nowMs);
    const parts = { linking, grouping, guarding, record };
    const named = (Object.keys(parts) as (keyof typeof parts)[]).filter((k) => parts[k]);
    const transactions: Transaction[] = [
      this.caseTransaction(created, plan.action, undefined),
      this.db.caseNumber.build(PutTransaction).item({ number, caseId: created.caseId }).options({ condition: { attr: 'number', exists: false } }),
      ...named.map((k) => parts[k]!),
    ];
    try {
      await commit(transactions);
      return { kind: 'created', case: built };
    } catch (error) {
      const outcomes = cancellation(error, transactions);
      if (!outcomes) throw error;
      // A number already taken (a counter reset by hand) is not given back: the next attempt takes another.
      if (!conditionFailed(outcomes[1])) numbers.giveBack(number);
      const refused = (part: keyof typeof parts) => (named.includes(part) ? outcomes[2 + named.indexOf(part)] : undefined);
      const firstWrite = refused('record');
      if (idempotency && conditionFailed(firstWrite)) {
        const replay = this.records.resultFrom(firstWrite!.item, idempotency, nowMs) as Case | undefined;
        if (replay) return { kind: 'replayed', case: replay };
      }
      if (conditionFailed(refused('grouping'))) return { kind: 'group_taken' };
      if (conditionFailed(refused('guarding'))) return { kind: 'child_exists' };
      const linked = refused('linking');
      if (conditionFailed(linked)) {
        if (!linked!.item) return { kind: 'alert_not_found' };
        if (linked!.item.caseId) return { kind: 'already_converted', caseId: String(linked!.item.caseId), caseNumber: String(linked!.item.caseNumber) };
      }
      // Another transaction held one of the items at the same moment: the caller reads again.
      return { kind: 'contended' };
    }
  }

  /** A case version as a transaction item: a new case (no expected version) or a replacement conditional on the version it replaces. */
  private caseTransaction(c: StoredCase, action: string, expectedVersion: number | undefined) {
    return this.db.case
      .build(PutTransaction)
      .item(itemOf(c, action))
      .options({ condition: expectedVersion === undefined ? { attr: 'caseId', exists: false } : { attr: 'version', eq: expectedVersion } });
  }

  /** Replaces the case if it is still at `expectedVersion`; a stale version is a 412. */
  async replace(change: CaseVersion): Promise<StoredCase> {
    try {
      await guard(() =>
        this.db.case
          .build(PutItemCommand)
          .item(itemOf(change.case, change.action))
          .options({ condition: { attr: 'version', eq: change.expectedVersion } })
          .send(),
      );
      return change.case;
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new PreconditionFailed(`Case '${change.case.caseId}' changed since version ${change.expectedVersion}; read it again.`);
      }
      throw error;
    }
  }

  /**
   * Writes a case's new version together with what it carries: new versions
   * of its children (a major case) and work notes. In transactions of at most
   * 100 items, the first holding the case itself, so it changes with as many
   * children as fit; a version that moved meanwhile is a 412.
   */
  async replaceWithCarried(change: CaseVersion, carried: { children?: CaseVersion[]; notes?: WorkNote[] }): Promise<void> {
    const transactions: Transaction[] = [
      this.caseTransaction(change.case, change.action, change.expectedVersion),
      ...(carried.children ?? []).map((child) => this.caseTransaction(child.case, child.action, child.expectedVersion)),
      ...(carried.notes ?? []).map((note) => this.noteTransaction(note)),
    ];
    await this.commitAll(transactions);
  }

  /** Adds work notes to several cases at once (a major case's note, carried to its children). */
  async addWorkNotes(notes: WorkNote[]): Promise<void> {
    await this.commitAll(notes.map((note) => this.noteTransaction(note)));
  }

  private async commitAll(transactions: Transaction[]): Promise<void> {
    for (const chunk of chunks(transactions, 100)) {
      try {
        await commit(chunk);
      } catch (error) {
        if (!cancellation(error, chunk)) throw error;
        throw new PreconditionFailed('A case changed while this change was being written; read it again and retry.');
      }
    }
  }

  private noteTransaction(note: WorkNote) {
    return this.db.workNote.build(PutTransaction).item(note).options({ condition: { attr: 'noteId', exists: false } });
  }

  async addWorkNote(note: WorkNote): Promise<WorkNote> {
    await guard(() => this.db.workNote.build(PutItemCommand).item(note).options({ condition: { attr: 'noteId', exists: false } }).send());
    return note;
  }

  async listWorkNotes(caseId: string, limit: number, cursor?: string): Promise<Page<WorkNote>> {
    const pattern = workNotesOfCase(caseId);
    const page = await listPage(this.db, { list: `notes:${pattern.partitions[0]}`, ...pattern, newestFirst: false }, limit, cursor);
    const format = this.db.workNote.build(EntityFormatter);
    return withinBudget(page.items.map((item) => format.format(item) as WorkNote), page);
  }
}
