/** History repository: append-only entries under their alert or case, oldest first. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry, HistoryWrite } from '../domain/history.js';
import { guard, isConditionFailure } from './errors.js';
import { keys, SK_PREFIX } from './keys.js';
import { decodeCursor, queryPage, type Page } from './pagination.js';
import type { Store } from './store.js';

const ownerKey = (owner: HistoryWrite['owner']) => (owner.kind === 'alert' ? keys.alert(owner.id) : keys.case(owner.id));

export class HistoryRepository {
  constructor(private readonly store: Store) {}

  /** Writes the entry once: a repeat of the same change (a retried batch) writes nothing. Returns whether it wrote. */
  async append(write: HistoryWrite): Promise<boolean> {
    const { owner, changeId, ...entry } = write;
    try {
      await guard(() =>
        this.store.doc.send(
          new PutCommand({
            TableName: this.store.tableName,
            Item: { ...keys.history(ownerKey(owner), entry.at, changeId), entity: 'history', changeId, ...entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async list(owner: HistoryWrite['owner'], limit: number, cursor?: string): Promise<Page<HistoryEntry>> {
    const pk = ownerKey(owner).pk;
    const page = await queryPage<Record<string, unknown>>(
      this.store.doc,
      {
        TableName: this.store.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': SK_PREFIX.history },
        ConsistentRead: true,
      },
      limit,
      decodeCursor(cursor, { attributes: ['pk', 'sk'], partition: ['pk', pk] }),
    );
    return {
      items: page.items.map(({ at, actor, action, changes }) => ({ at, actor, action, changes }) as HistoryEntry),
      nextCursor: page.nextCursor,
    };
  }
}
