/** Playbook repository: one item per playbook, listed from one index partition (playbooks are few). */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Playbook } from '../domain/playbooks.js';
import { batchGet, lookup } from './batch.js';
import { guard, isConditionFailure } from './errors.js';
import { stripStorage, type Store } from './store.js';

const key = (playbookId: string) => ({ pk: `PLAYBOOK#${playbookId}`, sk: 'PLAYBOOK' });

export class PlaybookRepository {
  constructor(private readonly store: Store) {}

  /** Every playbook, read consistently from its own items (no index lag: a change applies to the next alert). */
  async list(): Promise<Playbook[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await guard(() =>
        this.store.doc.send(
          new QueryCommand({
            TableName: this.store.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': 'PLAYBOOK' },
            ExclusiveStartKey: start,
          }),
        ),
      );
      ids.push(...(out.Items ?? []).map((i) => i.playbookId as string));
      start = out.LastEvaluatedKey;
    } while (start);
    return ids.length ? this.getMany(ids) : [];
  }

  private async getMany(ids: string[]): Promise<Playbook[]> {
    const found = await batchGet(this.store, ids.map(key));
    return ids.flatMap((id) => {
      const item = lookup(found, key(id));
      return item ? [stripStorage<Playbook>(item)] : [];
    });
  }

  async get(playbookId: string): Promise<Playbook | undefined> {
    const out = await guard(() =>
      this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: key(playbookId), ConsistentRead: true })),
    );
    return out.Item ? stripStorage<Playbook>(out.Item) : undefined;
  }

  /** Creates (`mustExist` false) or replaces (`mustExist` true) a playbook; false when that expectation fails. */
  async put(playbook: Playbook, mustExist: boolean): Promise<boolean> {
    try {
      await guard(() =>
        this.store.doc.send(
          new PutCommand({
            TableName: this.store.tableName,
            Item: { ...key(playbook.playbookId), entity: 'playbook', gsi1pk: 'PLAYBOOK', gsi1sk: playbook.playbookId, ...playbook },
            ConditionExpression: mustExist ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async delete(playbookId: string): Promise<boolean> {
    try {
      await guard(() =>
        this.store.doc.send(
          new DeleteCommand({ TableName: this.store.tableName, Key: key(playbookId), ConditionExpression: 'attribute_exists(pk)' }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
