/**
 * SLA definitions and cases' task SLAs. Definitions are few (at most
 * MAX_SLA_DEFINITIONS), in one partition, read by one strongly consistent
 * Query; the stream follows every case change with them, so it reads them
 * through the instance's cache (a change applies within 5 s). A case's task
 * SLAs are one item beside the case, written whole and only over the version
 * read (so of the stream and a sweep at once, one wins and the other reads
 * again).
 */
import { createCounted, deleteCounted } from './counters.js';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { MAX_SLA_DEFINITIONS, type SlaDefinition, type TaskSla } from '../domain/sla.js';
import type { StoredCase } from '../domain/case.js';
import { batchGet, chunks } from './batch.js';
import { casesByIds } from './cases.js';
import { cached, forget } from './cache.js';
import { allSlaDefinitions, type Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { queryWhole } from './pagination.js';
import { slaEntities } from './sla-entities.js';

/** A definition as stored: who changed it last, and when. */
export type StoredSlaDefinition = SlaDefinition & { updatedAt: string; updatedBy: string };

/** A case's task SLAs, the case version they follow, and their own version. */
/**
 * What of its case a case's SLA item copies: what a case list filters on
 * (lib/store/case-lists.ts), so that the SLA list filters in its index, and
 * the priority and source team metrics count its SLAs by.
 */
export type CaseListFields = Pick<StoredCase, 'stage' | 'queue' | 'assignee' | 'accountId' | 'proactive' | 'parentCaseId' | 'priority' | 'source'>;
export const caseListFields = ({ stage, queue, assignee, accountId, proactive, parentCaseId, priority, source }: StoredCase): CaseListFields => ({
  stage,
  queue,
  assignee,
  accountId,
  proactive,
  parentCaseId,
  priority,
  source,
});

export interface CaseSlas extends Partial<CaseListFields> {
  caseId: string;
  caseVersion: number;
  slas: TaskSla[];
  /** When the next threshold of one of them is due (none: nothing to time). */
  nextDueAt?: string;
  version: number;
}

const CACHE_KEY = 'sla-definitions';

export class SlaDefinitionRepository {
  private readonly entities;

  constructor(private readonly db: Db) {
    this.entities = slaEntities(db);
  }

  /** Every definition, as stored now, by name. */
  async list(): Promise<StoredSlaDefinition[]> {
    const out = await guard(() => queryWhole(this.db, this.entities.slaDefinition, allSlaDefinitions()).send());
    return ((out.Items ?? []) as StoredSlaDefinition[]).sort((a, b) => a.name.localeCompare(b.name) || a.slaId.localeCompare(b.slaId));
  }

  /** The definitions cases are followed with: read at most once per 5 s per instance. */
  forCases(): Promise<StoredSlaDefinition[]> {
    return cached(this.db.table.getName(), CACHE_KEY, () => this.list());
  }

  async get(slaId: string): Promise<StoredSlaDefinition | undefined> {
    const out = await guard(() => this.entities.slaDefinition.build(GetItemCommand).key({ slaId }).options({ consistent: true }).send());
    return out.Item as StoredSlaDefinition | undefined;
  }

  /** Creates a definition with the count of definitions, in one transaction: never more than MAX_SLA_DEFINITIONS, however many admins create at once. */
  async create(definition: StoredSlaDefinition): Promise<'created' | 'limit_reached'> {
    try {
      return await createCounted(this.db, this.entities.slaDefinition.build(PutTransaction).item(definition).options({ condition: { attr: 'slaId', exists: false } }), 'slas', MAX_SLA_DEFINITIONS);
    } finally {
      forget(this.db.table.getName(), CACHE_KEY);
    }
  }

  /** Replaces a definition; false when there is none. */
  async replace(definition: StoredSlaDefinition): Promise<boolean> {
    try {
      await guard(() => this.entities.slaDefinition.build(PutItemCommand).item(definition).options({ condition: { attr: 'slaId', exists: true } }).send());
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    } finally {
      forget(this.db.table.getName(), CACHE_KEY);
    }
  }

  /** Deletes a definition and counts it out; false when there is none. */
  async delete(slaId: string): Promise<boolean> {
    try {
      return await deleteCounted(this.db, this.entities.slaDefinition.build(DeleteTransaction).key({ slaId }).options({ condition: { attr: 'slaId', exists: true } }), 'slas');
    } finally {
      forget(this.db.table.getName(), CACHE_KEY);
    }
  }
}

export class CaseSlaRepository {
  private readonly entities;

  constructor(private readonly db: Db) {
    this.entities = slaEntities(db);
  }

  async get(caseId: string): Promise<CaseSlas | undefined> {
    const out = await guard(() => this.entities.caseSlas.build(GetItemCommand).key({ caseId }).options({ consistent: true }).send());
    return out.Item;
  }

  /** Cases by id, in order (undefined where there is none): whether the SLAs a sweep fires have followed their case's last change. */
  cases(caseIds: string[]): Promise<(StoredCase | undefined)[]> {
    return casesByIds(this.db, caseIds);
  }

  /** The task SLAs of these cases, in order (undefined where a case has none). */
  async getMany(caseIds: string[]): Promise<(CaseSlas | undefined)[]> {
    return (await Promise.all(chunks(caseIds, 100).map((part) => batchGet(this.db, part.map((caseId) => this.entities.caseSlas.build(BatchGetRequest).key({ caseId })))))).flat();
  }

  /**
   * Writes a case's task SLAs over the version read (`expected`, undefined
   * for none yet), timed by `nextDueAt`; false when another write came first.
   */
  async put(next: CaseSlas, expected: number | undefined): Promise<boolean> {
    try {
      await guard(() =>
        this.entities.caseSlas
          .build(PutItemCommand)
          .item(next)
          .options({ condition: expected === undefined ? { attr: 'caseId', exists: false } : { attr: 'version', eq: expected } })
          .send(),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
