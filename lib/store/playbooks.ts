/**
 * Playbook repository. Playbooks are few (at most 200) and live in one
 * partition, read by one strongly consistent Query. Every alert raise needs
 * the enabled ones, so that list is read through the instance's cache
 * (cache.ts): a change applies within 5 s, at once on the instance that made it.
 */
import { createCounted, deleteCounted } from './counters.js';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { MAX_PLAYBOOKS, type Playbook } from '../domain/playbooks.js';
import { cached, forget } from './cache.js';
import { allPlaybooks, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { queryWhole } from './pagination.js';

export class PlaybookRepository {
  constructor(private readonly db: Db) {}

  /** Every playbook, as stored now. */
  async list(): Promise<Playbook[]> {
    const out = await guard(() => queryWhole(this.db, this.db.playbook, allPlaybooks()).send());
    return out.Items ?? [];
  }

  /** The playbooks an alert raise evaluates: read at most once per 5 s per instance. */
  forRaise(): Promise<Playbook[]> {
    return cached(this.db.table.getName(), 'playbooks', () => this.list());
  }

  async get(playbookId: string): Promise<Playbook | undefined> {
    const out = await guard(() => this.db.playbook.build(GetItemCommand).key({ playbookId }).options({ consistent: true }).send());
    return out.Item;
  }

  /**
   * Creates a playbook with the count of playbooks, in one transaction: never
   * more than MAX_PLAYBOOKS, however many admins create at once.
   */
  async create(playbook: Playbook): Promise<'created' | 'limit_reached'> {
    try {
      return await createCounted(this.db, this.db.playbook.build(PutTransaction).item(playbook).options({ condition: { attr: 'playbookId', exists: false } }), 'playbooks', MAX_PLAYBOOKS);
    } finally {
      forget(this.db.table.getName(), 'playbooks');
    }
  }

  /** Replaces a playbook; false when there is none. */
  async replace(playbook: Playbook): Promise<boolean> {
    try {
      await guard(() => this.db.playbook.build(PutItemCommand).item(playbook).options({ condition: { attr: 'playbookId', exists: true } }).send());
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    } finally {
      forget(this.db.table.getName(), 'playbooks');
    }
  }

  /** Deletes a playbook and counts it out; false when there is none. */
  async delete(playbookId: string): Promise<boolean> {
    try {
      return await deleteCounted(this.db, this.db.playbook.build(DeleteTransaction).key({ playbookId }).options({ condition: { attr: 'playbookId', exists: true } }), 'playbooks');
    } finally {
      forget(this.db.table.getName(), 'playbooks');
    }
  }
}
