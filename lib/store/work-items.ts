/**
 * Work items: one per case at a time, beside the case, written whole and
 * only over the version read (so of two steps at once, one wins). A step
 * that offers, accepts or gives back an item changes its agent in the same
 * transaction: an offer counts against capacity only if there is room, in
 * the one conditional write that makes it.
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add } from 'dynamodb-toolbox/entity/actions/update';
import { workItemOfRecord, type WorkItem, type WorkItemRecord, type WorkItemState } from '../domain/assignment.js';
import type { StoredCase } from '../domain/case.js';
import { assignmentEntities } from './assignment-entities.js';
import { batchGet, chunks } from './batch.js';
import { casesByIds, caseVersionTransaction, type CaseVersion } from './cases.js';
import { workItemsOfQueue, WORK_STATE_PREFIX, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { listPage, type Page } from './pagination.js';
import { cancellation, commit, conditionFailed, type Transaction } from './transactions.js';

/** What an offer, an automatic assignment or an accept does to its agent (rooms are freed afterwards: `release` in lib/usecases/assignment.ts). */
export interface AgentStep {
  sub: string;
  /** Count the case against them: only while they are available with room (an offer, an automatic assignment). */
  take?: boolean;
  /** Count the case against them whatever their room (an accept: the offer's slot becomes the case's). */
  keep?: boolean;
  /** When they were last given work (round robin and ties read it). */
  assignedAt?: string;
}

/** How a step came out: written, or refused because the item, the agent's room or the case moved first. */
export type StepOutcome = 'done' | 'item_changed' | 'agent_unavailable' | 'case_changed';

type Item = Record<string, unknown>;

function itemOf(w: WorkItem) {
  const { offeredTo, expiresAt, ...rest } = w;
  return { ...rest, ...(offeredTo ? { offeredTo } : {}), ...(expiresAt ? { offerExpiresAt: expiresAt } : {}) };
}

const workItemOf = (item: Item) => workItemOfRecord(item as WorkItemRecord);

export class WorkItemRepository {
  private readonly entities;

  constructor(private readonly db: Db) {
    this.entities = assignmentEntities(db);
  }

  async get(caseId: string): Promise<WorkItem | undefined> {
    const out = await guard(() => this.entities.workItem.build(GetItemCommand).key({ caseId }).options({ consistent: true }).send());
    return out.Item && workItemOf(out.Item);
  }

  /** The work items of these cases, in order (undefined where a case has none). */
  async getMany(caseIds: string[]): Promise<(WorkItem | undefined)[]> {
    const found = (await Promise.all(chunks(caseIds, 100).map((part) => batchGet(this.db, part.map((caseId) => this.entities.workItem.build(BatchGetRequest).key({ caseId })))))).flat();
    return found.map((item) => item && workItemOf(item));
  }

  /** Cases by id, in order (undefined where there is none): what an inbox shows of its offers and assigned work. */
  cases(caseIds: string[]): Promise<(StoredCase | undefined)[]> {
    return casesByIds(this.db, caseIds);
  }

  /**
   * Opens a case's work item, over the closed one at `replacing` (its
   * version) or where there is none; false when another was written first
   * (a retried change, or the item is already open).
   */
  async open(item: WorkItem, replacing: number | undefined): Promise<boolean> {
    try {
      await guard(() =>
        this.entities.workItem
          .build(PutItemCommand)
          .item(itemOf(item))
          .options({ condition: replacing === undefined ? { attr: 'caseId', exists: false } : { attr: 'version', eq: replacing } })
          .send(),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Writes the item's next version (if it is still at `expectedVersion`),
   * what the step does to its agent, and the case's new version (accept,
   * automatic assignment), all or nothing.
   */
  async step(next: WorkItem, expectedVersion: number, agent?: AgentStep, caseChange?: CaseVersion): Promise<StepOutcome> {
    // The item alone (a rejection, a timeout, a cancellation, a new priority): one conditional write, no transaction.
    if (!agent && !caseChange) return (await this.open(next, expectedVersion)) ? 'done' : 'item_changed';
    const transactions: Transaction[] = [this.entities.workItem.build(PutTransaction).item(itemOf(next)).options({ condition: { attr: 'version', eq: expectedVersion } })];
    if (agent) transactions.push(this.agentTransaction(agent, next.caseId));
    if (caseChange) transactions.push(caseVersionTransaction(this.db, caseChange));
    try {
      await commit(transactions);
      return 'done';
    } catch (error) {
      const outcomes = cancellation(error, transactions);
      if (!outcomes) throw error;
      if (conditionFailed(outcomes[0])) return 'item_changed';
      if (agent && conditionFailed(outcomes[1])) return 'agent_unavailable';
      if (caseChange && conditionFailed(outcomes[transactions.length - 1])) return 'case_changed';
      // Another transaction held one of the items: the caller reads again and decides again.
      return 'item_changed';
    }
  }

  private agentTransaction(step: AgentStep, caseId: string) {
    const update = this.entities.agent.build(UpdateTransaction).item({
      sub: step.sub,
      holding: $add(new Set([caseId])),
      ...(step.assignedAt ? { lastAssignedAt: step.assignedAt } : {}),
    });
    if (!step.take) return update;
    // Room is checked where it is counted: available, and fewer cases held than the capacity.
    return update.options({
      condition: { and: [{ attr: 'presence', eq: 'available' }, { or: [{ attr: 'holding', exists: false }, { size: 'holding', lt: { attr: 'capacity' } }] }] },
    });
  }

  /** A queue's queued items, best first (priority, then oldest): up to `limit`. */
  async queued(queueId: string, limit: number): Promise<WorkItem[]> {
    return (await this.page(workItemsOfQueue(queueId, 'queued'), `work:${queueId}:queued`, 'queued', limit)).items;
  }

  /** A queue's open items in a state (queued first, best first), a page at a time. */
  async listOfQueue(queueId: string, state: keyof typeof WORK_STATE_PREFIX, limit: number, cursor?: string): Promise<Page<WorkItem>> {
    return this.page(workItemsOfQueue(queueId, state), `work:${queueId}:${state}`, state, limit, cursor);
  }

  private async page(pattern: ReturnType<typeof workItemsOfQueue>, list: string, state: WorkItemState, limit: number, cursor?: string): Promise<Page<WorkItem>> {
    const page = await listPage(this.db, { list, ...pattern, newestFirst: false }, limit, cursor);
    const keys = page.sortKeys.map((sk) => pattern.tableKeyOf(sk)!);
    const items = await this.getMany(keys.map((k) => k.pk.slice('CASE#'.length)));
    // An item that moved on since the index saw it is passed over (the index lags the table a moment).
    return { items: items.filter((w): w is WorkItem => w?.state === state), nextCursor: page.nextCursor };
  }
}
