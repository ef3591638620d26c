/**
 * Case repository: reads, creations (one read, one transaction, a number from
 * the instance's block), optimistic replacement, a major case with its
 * children, work notes, lists. Callers get domain outcomes; the store turns
 * a cancelled transaction into them.
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add } from 'dynamodb-toolbox/entity/actions/update';
import { sleep } from '../concurrency.js';
import type { AffectedItem } from '../domain/install-base.js';
import { caseView, newCase, withoutWarnings, type Case, type CaseInput, type CaseOrigin, type StoredCase } from '../domain/case.js';
import { NotFound, PreconditionFailed, Unavailable } from '../domain/errors.js';
import type { Idempotent, StoredResponse } from '../domain/idempotency.js';
import type { Queue } from '../domain/queue-rules.js';
import { alertFromItem } from './alerts.js';
import { batchGet, chunks } from './batch.js';
import { caseNumbersOf } from './case-numbers.js';
import { CASE_LISTS, caseAlertListKeys, caseKey, SK_PREFIX, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import type { IdempotencyRepository } from './idempotency.js';
import { impactOfAlertItem } from './impact.js';
import { invalidCursor, listByFilters, listPage, withinBudget, type FilteredList, type Page } from './pagination.js';
import { QueueRepository } from './queues.js';
import { cancellation, commit, conditionFailed, type Transaction } from './transactions.js';
import { CASE_ID_PATTERN } from '../domain/ids.js';

export type { StoredCase };
type Item = Record<string, unknown>;


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
}

/** What creating a case came to. */
export type Creation =
  | { kind: 'created'; case: Case }
  /** The alert already has a case (this one, or the winner of a race). */
  | { kind: 'already_converted'; caseId: string; caseNumber: string }
  /** The same idempotent request ran before: its first response. */
  | { kind: 'replayed'; response: StoredResponse }
  /** A grouping conversion found its group given a case meanwhile (by another alert of the group): join that one instead. */
  | { kind: 'group_taken' };

/** The case a grouping playbook opened for a group, and when. */
export interface CaseGroup {
  caseId: string;
  caseNumber: string;
  openedAt: string;
}

export interface Conversion {
  alertId: string;
  input: CaseInput;
  origin: CaseOrigin;
  actor: string;
  /** Items to attach instead of the alert's whole affected install base (the proactive rule: external only). */
  attach?: AffectedItem[];
  idempotency?: Idempotent<Case>;
  /** A grouping playbook's group: the new case becomes the group's, if the group still has no case, or still `replaces` this one. */
  group?: { playbookId: string; key: string; windowMinutes: number; replaces?: string };
}

/** A case's new version, written only if it is still at `expectedVersion`. */
export interface CaseVersion {
  case: StoredCase;
  expectedVersion: number;
  /** What the change was (history's action). */
  action: string;
}

const now = () => new Date().toISOString();

/** A case version as written whole: the ids of its detections beside them (the attach conditions read them), no warnings. */
function itemOf(c: StoredCase | Case, action: string) {
  const { warnings: _warnings, ...stored } = c as Case;
  const ids = new Set((stored.detections ?? []).map((d) => d.id));
  return { ...stored, lastAction: action, detectionIds: ids.size ? ids : undefined };
}

/** A transaction that lost to another one on the same items is tried again this many times. */
const ATTEMPTS = 5;

export class CaseRepository {
  private readonly listing: FilteredList;
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
    this.listing = {
      name: 'cases',
      all: CASE_LISTS.all,
      indexed: [
        ['parentCaseId', CASE_LISTS.parentCaseId],
        ['accountId', CASE_LISTS.accountId],
        ['assignee', CASE_LISTS.assignee],
        ['queue', CASE_LISTS.queue],
        ['stage', CASE_LISTS.stage],
      ],
      idPattern: CASE_ID_PATTERN,
      keyOf: caseKey,
      read: (ids) => batchGet(db, ids.map((caseId) => db.case.build(BatchGetRequest).key({ caseId })), false),
      view: (item) => caseView(item),
    };
  }

  async get(caseId: string): Promise<StoredCase | undefined> {
    const out = await guard(() => this.db.case.build(GetItemCommand).key({ caseId }).options({ consistent: true }).send());
    return out.Item as StoredCase | undefined;
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

  /**
   * Converts an alert into a case: one read round trip (the alert, the
   * idempotency record, the queue from the instance's cache), then one
   * transaction that creates the case with its number and links the alert
   * only if it has no case yet. Every loser of a race learns the winner.
   */
  async convertAlert(c: Conversion): Promise<Creation> {
    const alertRead = this.db.alert.build(BatchGetRequest).key({ alertId: c.alertId });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const [[alertItem], { replay, queue }] = await this.readForCreation(c, [alertRead]);
      if (replay) return { kind: 'replayed', response: replay };
      if (!alertItem) throw new NotFound(`Alert '${c.alertId}' does not exist.`);
      if (alertItem.caseId) return { kind: 'already_converted', caseId: String(alertItem.caseId), caseNumber: String(alertItem.caseNumber) };
      const alert = alertFromItem(alertItem);
      const at = now();
      const outcome = await this.commitCreation(c.idempotency, 'created_from_alert', (number) =>
        newCase({ input: c.input, origin: c.origin, alert, affected: c.attach ?? impactOfAlertItem(alertItem).affected, actor: c.actor, at, number, queue }),
      (created) => [
        this.db.alert
          .build(UpdateTransaction)
          .item({
            alertId: c.alertId,
            caseId: created.caseId,
            caseNumber: created.number,
            ...caseAlertListKeys(created.caseId, at, c.alertId),
            updatedAt: at,
            updatedBy: c.actor,
            lastAction: 'converted_to_case',
            version: $add(1),
          })
          .options({ condition: { and: [{ attr: 'alertId', exists: true }, { attr: 'caseId', exists: false }] }, returnValuesOnConditionFalse: 'ALL_OLD' }),
        ...(c.group ? [this.groupTransaction(c.group, created, at)] : []),
      ]);
      if (outcome.kind !== 'refused') return outcome;
      if (c.group && conditionFailed(outcome.outcomes[1])) return { kind: 'group_taken' };
      const linked = outcome.outcomes[0];
      if (linked && conditionFailed(linked)) {
        if (!linked.item) throw new NotFound(`Alert '${c.alertId}' does not exist.`);
        if (linked.item.caseId) return { kind: 'already_converted', caseId: String(linked.item.caseId), caseNumber: String(linked.item.caseNumber) };
      }
      // Another transaction held one of the items at the same moment: read again.
      await sleep(5 + Math.random() * 20 * attempt);
    }
    throw new Unavailable('The alert kept changing while it was being converted; retry shortly.');
  }

  /** The group's case, written with it: only where the group has none yet, or still has the one it `replaces`. */
  private groupTransaction(group: NonNullable<Conversion['group']>, created: StoredCase, at: string) {
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

  /** A case not tied to an alert (POST /cases): one read round trip at most (idempotency record, queue), one transaction. */
  async create(c: { input: CaseInput; actor: string; idempotency?: Idempotent<Case> }): Promise<Exclude<Creation, { kind: 'already_converted' }>> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const [, { replay, queue }] = await this.readForCreation(c, []);
      if (replay) return { kind: 'replayed', response: replay };
      const at = now();
      const outcome = await this.commitCreation(c.idempotency, 'created', (number) =>
        newCase({ input: c.input, origin: 'manual', actor: c.actor, at, number, queue }),
      );
      if (outcome.kind !== 'refused') return outcome as Exclude<Creation, { kind: 'already_converted' }>;
      await sleep(5 + Math.random() * 20 * attempt);
    }
    throw new Unavailable('Too many simultaneous changes; retry shortly.');
  }

  /**
   * A creation's one read: `items`, the idempotency record (and the answer a
   * retry gets from it), and the queue the input names unless this instance
   * has the queues cached.
   */
  private async readForCreation(
    c: { input: CaseInput; idempotency?: Idempotent<Case> },
    items: Parameters<typeof batchGet>[1],
  ): Promise<[(Item | undefined)[], { replay?: StoredResponse; queue: Queue | undefined }]> {
    const queueId = c.input.queue;
    const cachedQueue = queueId === undefined ? { queue: undefined } : this.queues.cachedQueue(queueId);
    const requests = [
      ...items,
      ...(c.idempotency ? [this.records.readRequest(c.idempotency.request)] : []),
      ...(cachedQueue ? [] : [this.queues.readRequest(queueId!)]),
    ];
    const found = requests.length ? await batchGet(this.db, requests) : [];
    const replay = c.idempotency ? this.records.replayFrom(found[items.length], c.idempotency.request, Date.now()) : undefined;
    const queue = cachedQueue ? cachedQueue.queue : this.queues.queueRead(found[found.length - 1], queueId!);
    return [found.slice(0, items.length), { replay, queue }];
  }

  /**
   * Opens the child of a major case for one account, once: a guard item per
   * (major case, account) is written with the child. Returns false when the
   * child was there already.
   */
  async createChild(child: Omit<StoredCase, 'number'>, majorCaseId: string, accountId: string): Promise<boolean> {
    const guardRead = await guard(() => this.db.majorCaseChild.build(GetItemCommand).key({ majorCaseId, accountId }).options({ consistent: true }).send());
    if (guardRead.Item) return false;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const outcome = await this.commitCreation(
        undefined,
        'created_from_major_case',
        (number) => ({ ...child, number }),
        (created) => [
          this.db.majorCaseChild
            .build(PutTransaction)
            .item({ majorCaseId, accountId, caseId: created.caseId })
            .options({ condition: { attr: 'majorCaseId', exists: false } }),
        ],
      );
      if (outcome.kind === 'created') return true;
      if (outcome.kind === 'refused' && conditionFailed(outcome.outcomes[0])) return false;
      await sleep(5 + Math.random() * 20 * attempt);
    }
    throw new Unavailable('Too many simultaneous changes; retry shortly.');
  }

  /**
   * The one transaction of a creation: the case, its number (taken from this
   * instance's block), the caller's items, and the idempotency record. A number
   * whose creation was refused goes back to the block.
   */
  private async commitCreation(
    idempotency: Idempotent<Case> | undefined,
    action: string,
    build: (number: string) => Case | StoredCase,
    extra: (created: StoredCase) => Transaction[] = () => [],
  ): Promise<Exclude<Creation, { kind: 'already_converted' }> | { kind: 'refused'; outcomes: ({ code: string; item?: Item } | undefined)[] }> {
    const numbers = caseNumbersOf(this.db);
    const number = await numbers.take();
    let built: Case | StoredCase;
    try {
      built = build(number);
    } catch (error) {
      // The domain refused the case (a closed stage without its reason, an unknown queue): nothing was written.
      numbers.giveBack(number);
      throw error;
    }
    const created = 'warnings' in built ? withoutWarnings(built as Case) : (built as StoredCase);
    const extras = extra(created);
    const idempotencyRecord = idempotency && this.records.completedInTransaction(idempotency.request, idempotency.respond(built as Case), Date.now());
    const transactions: Transaction[] = [
      this.caseTransaction(created, action, undefined),
      this.db.caseNumber.build(PutTransaction).item({ number, caseId: created.caseId }).options({ condition: { attr: 'number', exists: false } }),
      ...extras,
      ...(idempotencyRecord ? [idempotencyRecord] : []),
    ];
    try {
      await commit(transactions);
      return { kind: 'created', case: built as Case };
    } catch (error) {
      const outcomes = cancellation(error, transactions);
      if (!outcomes) throw error;
      // A number already taken (a counter reset by hand) is not given back: the next attempt takes another.
      if (!conditionFailed(outcomes[1])) numbers.giveBack(number);
      const record = idempotencyRecord ? outcomes[outcomes.length - 1] : undefined;
      if (idempotency && conditionFailed(record)) {
        const replay = this.records.replayFrom(record!.item, idempotency.request, Date.now());
        if (replay) return { kind: 'replayed', response: replay };
      }
      return { kind: 'refused', outcomes: outcomes.slice(2, 2 + extras.length) };
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
    const { pk } = caseKey(caseId);
    const page = await listPage(
      this.db,
      { list: `notes:${pk}`, partitions: [pk], prefix: SK_PREFIX.note, newestFirst: false, tableKeyOf: (sk) => ({ pk, sk }) },
      limit,
      cursor,
    );
    const format = this.db.workNote.build(EntityFormatter);
    return withinBudget(page.items.map((item) => format.format(item) as WorkNote), page);
  }

  /**
   * `GET /cases?alertId=`: the case the alert is attached to now (not the
   * cases it is the origin of, once detached), if it matches the other
   * filters. A list of at most one: it hands out no cursor and takes none.
   */
  private async caseOfAlert({ alertId, ...rest }: CaseFilters, cursor: string | undefined): Promise<Page<StoredCase>> {
    if (cursor !== undefined) throw invalidCursor();
    const alert = await guard(() => this.db.alert.build(GetItemCommand).key({ alertId: alertId! }).options({ consistent: true }).send());
    const caseId = alert.Item?.caseId;
    const found = caseId ? await this.get(caseId) : undefined;
    const matches = found && Object.entries(rest).every(([field, value]) => value === undefined || (found as unknown as Item)[field] === value);
    return { items: matches ? [found] : [], nextCursor: null };
  }

  /** Every child of a major case. */
  async children(parentCaseId: string): Promise<StoredCase[]> {
    const children: StoredCase[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list({ parentCaseId }, 100, cursor);
      children.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return children;
  }

  async list(filters: CaseFilters, limit: number, cursor?: string): Promise<Page<StoredCase>> {
    if (filters.alertId !== undefined) return this.caseOfAlert(filters, cursor);
    const page = await listByFilters(this.db, this.listing, { ...filters }, limit, cursor);
    return { items: page.items as unknown as StoredCase[], nextCursor: page.nextCursor };
  }
}
