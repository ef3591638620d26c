/** History repository: append-only entries under their alert or case, oldest first. */
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import type { HistoryEntry, HistoryOrder, HistoryWrite } from '../domain/history.js';
import { batchWrite } from './batch.js';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { historyAfter, historyOf, type Db } from './entities.js';
import { guard } from './errors.js';
import { keyCondition, listPage, withinBudget, type Page } from './pagination.js';

/** Where an entry stands in its history (its sort key without the prefix: time, then change). */
const MARK = /^\d{4}-\d\d-\d\dT[\d:.]{8,12}Z#[\w.-]{1,200}$/;

export class HistoryRepository {
  constructor(private readonly db: Db) {}

  /**
   * Writes entries in batches of 25. Each entry's key is derived from its
   * change, so writing one again (a retried batch) rewrites the same item:
   * never a second entry. (Unconditional: a condition per entry would need
   * a call per entry.) Calls the database does not answer in time are tried
   * again until `deadline` (epoch ms).
   */
  async appendAll(writes: HistoryWrite[], deadline?: number): Promise<void> {
    const requests = new Map<string, ReturnType<typeof this.putRequest>>();
    for (const write of writes) requests.set(`${write.owner.kind}:${write.owner.id}:${write.at}:${write.changeId}`, this.putRequest(write));
    await batchWrite(this.db, [...requests.values()], { deadline });
  }

  private putRequest({ owner, changeId, ...entry }: HistoryWrite) {
    return this.db.history.build(BatchPutRequest).item({ ownerKind: owner.kind, ownerId: owner.id, changeId, ...entry });
  }

  /**
   * A page of a record's history, in the order asked (a cursor resumes only
   * the order it was given for), and where its first entry stands (`mark`,
   * for `hasAfter`).
   */
  async list(owner: HistoryWrite['owner'], limit: number, cursor?: string, order: HistoryOrder = 'oldest'): Promise<Page<HistoryEntry> & { mark?: string }> {
    const pattern = historyOf(owner);
    const page = await listPage(this.db, { list: `history:${pattern.partitions[0]}:${order}`, ...pattern, newestFirst: order === 'newest' }, limit, cursor);
    const format = this.db.history.build(EntityFormatter);
    const entries = page.items.map((item) => {
      const { at, actor, action, alertId, changes } = format.format(item);
      return { at, actor, action, ...(alertId ? { alertId } : {}), changes } as HistoryEntry;
    });
    return { ...withinBudget(entries, page), mark: page.sortKeys[0]?.slice(pattern.prefix!.length) };
  }

  /**
   * Whether the history has an entry after the one at `mark` (a page's):
   * a query of the keys beyond it, which reads no item when there is none.
   * Eventually consistent (half the read unit of a consistent one): a look
   * for news that misses a change by a moment sees it at the next look.
   * Undefined for a mark that is not one.
   */
  async hasAfter(owner: HistoryWrite['owner'], mark: string): Promise<boolean | undefined> {
    if (!MARK.test(mark)) return undefined;
    const pattern = historyAfter(owner, mark);
    const out = await guard(() => this.db.table.build(QueryCommand).query(keyCondition(pattern)).options({ limit: 1 }).send());
    return (out.Items?.length ?? 0) > 0;
  }
}
