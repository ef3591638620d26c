/**
 * Playbook repository. Playbooks are few (at most 200) and live in one
 * partition, read by one strongly consistent Query. Every alert raise needs
 * the enabled ones, so that list is read through the instance's cache
 * (cache.ts): a change applies within 5 s, at once on the instance that made it.
 */
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { EntityFormatter as EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import type { Playbook } from '../domain/playbooks.js';
import { cached, forget } from './cache.js';
import { SK_PREFIX, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { queryAll } from './pagination.js';

const PARTITION = 'PLAYBOOKS';

export class PlaybookRepository {
  constructor(private readonly db: Db) {}

  /** Every playbook, as stored now. */
  async list(): Promise<Playbook[]> {
    const items = await queryAll(this.db, { partition: PARTITION, prefix: SK_PREFIX.playbook });
    return items.map((i) => this.db.playbook.build(EntityFormatter).format(i) as Playbook);
  }

  /** The playbooks an alert raise evaluates: read at most once per 5 s per instance. */
  forRaise(): Promise<Playbook[]> {
    return cached(this.db.table.getName(), 'playbooks', () => this.list());
  }

  async get(playbookId: string): Promise<Playbook | undefined> {
    const out = await guard(() => this.db.playbook.build(GetItemCommand).key({ playbookId }).options({ consistent: true }).send());
    return out.Item as Playbook | undefined;
  }

  /** Creates (`mustExist` false) or replaces (`mustExist` true) a playbook; false when that expectation fails. */
  async put(playbook: Playbook, mustExist: boolean): Promise<boolean> {
    try {
      await guard(() =>
        this.db.playbook.build(PutItemCommand).item(playbook).options({ condition: { attr: 'playbookId', exists: mustExist } }).send(),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    } finally {
      forget(this.db.table.getName(), 'playbooks');
    }
  }

  async delete(playbookId: string): Promise<boolean> {
    try {
      await guard(() => this.db.playbook.build(DeleteItemCommand).key({ playbookId }).options({ condition: { attr: 'playbookId', exists: true } }).send());
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    } finally {
      forget(this.db.table.getName(), 'playbooks');
    }
  }
}
