/** Case repository: reads, numbered creation in one transaction, optimistic updates, work notes, lists. */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Case } from '../domain/case.js';
import { NotFound, PreconditionFailed, Unavailable } from '../domain/errors.js';
import { batchGet, lookup } from './batch.js';
import { cancellationReasons, guard, isConditionFailure, tooLarge } from './errors.js';
import { caseIndexKeys, keys, SK_PREFIX } from './keys.js';
import { decodeCursor, listByFilters, queryPage, type IndexedFilter, type Page } from './pagination.js';
import { stripStorage, type Store } from './store.js';

export type StoredCase = Omit<Case, 'warnings'>;
type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const caseFromItem = (item: Item) => stripStorage<StoredCase>(item);

export function caseItem(c: StoredCase, lastAction: string): Item {
  return { ...keys.case(c.caseId), ...caseIndexKeys(c), entity: 'case', lastAction, ...c };
}

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

/** Filters that have an index, most selective first. */
const CASE_FILTER_INDEXES: IndexedFilter[] = [
  ['alertId', 'gsi6', 'CASE#ALERT#'],
  ['parentCaseId', 'gsi7', 'CASE#PARENT#'],
  ['accountId', 'gsi5', 'CASE#ACCOUNT#'],
  ['assignee', 'gsi4', 'CASE#ASSIGNEE#'],
  ['queue', 'gsi3', 'CASE#QUEUE#'],
  ['stage', 'gsi2', 'CASE#STAGE#'],
];

/** What a numbered creation decides after its one read. */
export type CreationDecision<R> =
  | { kind: 'done'; result: R }
  | { kind: 'write'; case: StoredCase; lastAction: string; extra: { name: string; item: TransactItem }[]; result: R };

export interface NumberedCreation<R> {
  /** Items to read in the same round trip as the case counter, by name. */
  reads: Record<string, Key>;
  decide(read: { sequence: number; items: Record<string, Item | undefined> }): CreationDecision<R>;
  /** An extra item's condition failed (the item as it was, if any): an answer, or undefined to try again. */
  onConditionFailure?(name: string, item: Item | undefined): R | undefined;
}

const MAX_ATTEMPTS = 12;

export class CaseRepository {
  constructor(private readonly store: Store) {}

  async get(caseId: string): Promise<StoredCase | undefined> {
    const out = await guard(() =>
      this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.case(caseId), ConsistentRead: true })),
    );
    return out.Item ? caseFromItem(out.Item) : undefined;
  }

  async require(caseId: string): Promise<StoredCase> {
    const found = await this.get(caseId);
    if (!found) throw new NotFound(`Case '${caseId}' does not exist.`);
    return found;
  }

  async getByNumber(number: string): Promise<StoredCase | undefined> {
    const out = await guard(() =>
      this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.caseNumber(number), ConsistentRead: true })),
    );
    return out.Item ? this.get(out.Item.caseId as string) : undefined;
  }

  /**
   * Creates a case with the next number: one consistent read (the counter and
   * `reads`), then one transaction that advances the counter only from the value
   * read, puts the case and its number, and carries the caller's extra items.
   * A lost race on the counter is tried again; nothing is ever half-written.
   */
  async createNumbered<R>(creation: NumberedCreation<R>): Promise<R> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const read = await this.readWithCounter(creation.reads);
      const decision = creation.decide(read);
      if (decision.kind === 'done') return decision.result;
      const { case: c } = decision;
      const counter = keys.caseCounter();
      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.store.tableName,
            Key: counter,
            UpdateExpression: 'SET #value = :next, entity = :entity',
            ConditionExpression: read.sequence === 1 ? 'attribute_not_exists(pk)' : '#value = :current',
            ExpressionAttributeNames: { '#value': 'value' },
            ExpressionAttributeValues: {
              ':next': read.sequence,
              ':entity': 'counter',
              ...(read.sequence === 1 ? {} : { ':current': read.sequence - 1 }),
            },
          },
        },
        { Put: { TableName: this.store.tableName, Item: caseItem(c, decision.lastAction), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: this.store.tableName,
            Item: { ...keys.caseNumber(c.number), entity: 'casenumber', caseId: c.caseId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...decision.extra.map((e) => e.item),
      ];
      try {
        await guard(() => this.store.doc.send(new TransactWriteCommand({ TransactItems: items })));
        return decision.result;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons.some((r) => r.code === 'ValidationError')) throw tooLarge();
        for (const [i, extra] of decision.extra.entries()) {
          const reason = reasons[i + 3];
          if (reason?.code === 'ConditionalCheckFailed') {
            const answer = creation.onConditionFailure?.(extra.name, reason.item);
            if (answer !== undefined) return answer;
          }
        }
        // The counter moved or another transaction touched the same items: read again and retry.
        await sleep(5 + Math.random() * 20 * attempt);
      }
    }
    throw new Unavailable('Too many simultaneous case creations; retry shortly.');
  }

  private async readWithCounter(reads: Record<string, Key>) {
    const named = Object.entries({ ...reads, '#counter': keys.caseCounter() });
    const found = await batchGet(this.store, named.map(([, key]) => key));
    const items = Object.fromEntries(named.map(([name, key]) => [name, lookup(found, key)]));
    const counter = items['#counter'];
    delete items['#counter'];
    return { sequence: ((counter?.value as number | undefined) ?? 0) + 1, items };
  }

  /** Replaces the case if it is still at `expectedVersion`; a stale version is a 412. */
  async replace(next: StoredCase, expectedVersion: number, lastAction: string): Promise<StoredCase> {
    try {
      await guard(() => this.store.doc.send(new PutCommand(this.replaceItem(next, expectedVersion, lastAction).Put!)));
      return next;
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new PreconditionFailed(`Case '${next.caseId}' changed since version ${expectedVersion}; read it again.`);
      }
      throw error;
    }
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

  /** A case version as a transaction item, conditional on the version it replaces. */
  replaceItem(next: StoredCase, expectedVersion: number, lastAction: string): TransactItem {
    return {
      Put: {
        TableName: this.store.tableName,
        Item: caseItem(next, lastAction),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    };
  }

  noteItem(note: WorkNote): TransactItem {
    return {
      Put: {
        TableName: this.store.tableName,
        Item: { ...keys.workNote(note.caseId, note.createdAt, note.noteId), entity: 'note', ...note },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /**
   * Writes items in transactions of at most 100, the first holding the first
   * item (the major case itself), so it changes with as many children as fit.
   * A condition that fails in a chunk is a 412: someone changed a case meanwhile.
   */
  async transact(items: TransactItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += 100) {
      try {
        await guard(() => this.store.doc.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + 100) })));
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons.some((r) => r.code === 'ValidationError')) throw tooLarge();
        throw new PreconditionFailed('A case changed while this change was being written; read it again and retry.');
      }
    }
  }

  async addWorkNote(note: WorkNote): Promise<WorkNote> {
    await guard(() => this.store.doc.send(new PutCommand(this.noteItem(note).Put!)));
    return note;
  }

  async listWorkNotes(caseId: string, limit: number, cursor?: string): Promise<Page<WorkNote>> {
    const pk = keys.case(caseId).pk;
    const page = await queryPage<Item>(
      this.store.doc,
      {
        TableName: this.store.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': SK_PREFIX.note },
        ConsistentRead: true,
      },
      limit,
      decodeCursor(cursor, { attributes: ['pk', 'sk'], partition: ['pk', pk] }),
    );
    return { items: page.items.map((i) => stripStorage<WorkNote>(i)), nextCursor: page.nextCursor };
  }

  async list(filters: CaseFilters, limit: number, cursor?: string): Promise<Page<StoredCase>> {
    const page = await listByFilters(this.store, { indexed: CASE_FILTER_INDEXES, all: ['gsi1', 'CASE'] }, { ...filters }, limit, cursor);
    return { items: page.items.map(caseFromItem), nextCursor: page.nextCursor };
  }
}
