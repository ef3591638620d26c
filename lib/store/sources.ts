/**
 * Who owns a `source` (SPEC §2 Alert sources). An integration takes its
 * source in the transaction that creates it (integrations.ts) and gives it
 * up when revoked; the first alert raised through POST /alerts or `Alert
 * Raised` with a source no integration holds takes it for such alerts, for
 * good. Either way the owner's item is written only if there is none, so an
 * integration and a raise racing for one source cannot both win.
 */
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { cached } from './cache.js';
import type { Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';

/** The owner of a source: alerts raised by API, or a live integration. */
export type SourceOwner = { owner: 'alerts' } | { owner: 'integration'; integrationId: string };

export const sourceCacheKey = (source: string) => `source:${source}`;

export class SourceRepository {
  constructor(private readonly db: Db) {}

  /**
   * The source's owner once alerts raised by API have asked for it: `alerts`
   * when it was theirs or no one's (now theirs), else the integration that
   * holds it. Read at most once per 5 s per instance, so a storm on one
   * source costs no read per alert; a revoked integration's source is free
   * within 5 s.
   */
  claimForAlerts(source: string): Promise<SourceOwner> {
    return cached(this.db.table.getName(), sourceCacheKey(source), async () => {
      for (;;) {
        const held = await this.owner(source);
        if (held) return held;
        try {
          await guard(() => this.db.sourceOwner.build(PutItemCommand).item({ source, owner: 'alerts' }).options({ condition: { attr: 'source', exists: false } }).send());
          return { owner: 'alerts' };
        } catch (error) {
          // Taken meanwhile (by an integration, or by another raise): read who holds it.
          if (!isConditionFailure(error)) throw error;
        }
      }
    });
  }

  /** The source's owner, if it has one (a clear by API reads it: closing an alert takes no source). */
  async owner(source: string): Promise<SourceOwner | undefined> {
    const out = await guard(() => this.db.sourceOwner.build(GetItemCommand).key({ source }).options({ consistent: true }).send());
    if (!out.Item) return undefined;
    return out.Item.owner === 'integration' ? { owner: 'integration', integrationId: out.Item.integrationId ?? '' } : { owner: 'alerts' };
  }
}
