/**
 * The timer index (SPEC §7 "Assignment and timers"): offers waiting for an
 * answer and cases' SLAs with a threshold ahead, by due time over 16 write
 * shards. The index holds whole items, so a sweep reads what it fires from
 * it and nothing else; what it holds may lag the table a moment, and a
 * write over the version read finds that out.
 */
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { workItemOfRecord, type WorkItem, type WorkItemRecord } from '../domain/assignment.js';
import { assignmentEntities } from './assignment-entities.js';
import { timersDue, type Db } from './entities.js';
import { guard } from './errors.js';
import { keyCondition } from './pagination.js';
import { slaEntities } from './sla-entities.js';
import type { CaseSlas } from './slas.js';

/** What is due: offers whose time is up, cases' SLAs with a warning or breach due. */
export interface DueTimers {
  offers: WorkItem[];
  slas: CaseSlas[];
}

export class TimerRepository {
  private readonly entities;

  constructor(private readonly db: Db) {
    this.entities = { workItem: assignmentEntities(db).workItem, caseSlas: slaEntities(db).caseSlas };
  }

  /**
   * What is due at `until`: the earliest `perShard` of each timer shard, all
   * shards at once (a sweep takes them in any order, so no shard is read
   * further than what is taken from it).
   */
  async due(until: string, perShard: number): Promise<DueTimers> {
    const pattern = timersDue(until);
    const found = await Promise.all(
      pattern.partitions.map(async (partition) => {
        const query = this.db.table
          .build(QueryCommand)
          .entities(this.entities.workItem, this.entities.caseSlas)
          .query(keyCondition(pattern, partition))
          .options({ limit: perShard, showEntityAttr: true });
        return (await guard(() => query.send())).Items ?? [];
      }),
    );
    const due: DueTimers = { offers: [], slas: [] };
    for (const item of found.flat()) {
      if (item.entity === 'caseslas') {
        if (item.nextDueAt !== undefined && item.nextDueAt <= until) due.slas.push(item);
        continue;
      }
      const offer = workItemOfRecord(item as WorkItemRecord);
      if (offer.state === 'offered' && offer.expiresAt !== undefined && offer.expiresAt <= until) due.offers.push(offer);
    }
    return due;
  }
}
