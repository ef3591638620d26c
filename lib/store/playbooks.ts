/**
 * Playbook repository. Playbooks are few and all live in one partition, so
 * listing them is one strongly consistent Query: a change applies to the very
 * next alert, with no index lag.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Playbook } from '../domain/playbooks.js';
import { guard, isConditionFailure } from './errors.js';
import { queryAll } from './pagination.js';
import { stripStorage, type Store } from './store.js';

const PARTITION = 'PLAYBOOKS';
const key = (playbookId: string) => ({ pk: PARTITION, sk: `PLAYBOOK#${playbookId}` });

export class PlaybookRepository {
  constructor(private readonly store: Store) {}

  async list(): Promise<Playbook[]> {
    const items = await queryAll(this.store, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PARTITION }, ConsistentRead: true });
    return items.map((i) => stripStorage<Playbook>(i));
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
            Item: { ...key(playbook.playbookId), entity: 'playbook', ...playbook },
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
