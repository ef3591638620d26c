/** Configuration items: the proactive case rule, read through the instance's cache (cache.ts). */
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { cached, forget } from './cache.js';
import type { Db } from './entities.js';
import { guard } from './errors.js';

export interface ProactiveRule {
  enabled: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

const PROACTIVE_RULE = 'proactive-case-rule';

export class ConfigRepository {
  constructor(private readonly db: Db) {}

  /** Off until an admin turns it on. */
  proactiveRule(): Promise<ProactiveRule> {
    return cached(this.db.table.getName(), `config:${PROACTIVE_RULE}`, async () => {
      const out = await guard(() => this.db.config.build(GetItemCommand).key({ configId: PROACTIVE_RULE }).options({ consistent: true }).send());
      if (!out.Item) return { enabled: false, updatedAt: null, updatedBy: null };
      return { enabled: out.Item.enabled, updatedAt: out.Item.updatedAt, updatedBy: out.Item.updatedBy };
    });
  }

  async setProactiveRule(enabled: boolean, change: { at: string; actor: string }): Promise<ProactiveRule> {
    const rule = { enabled, updatedAt: change.at, updatedBy: change.actor };
    await guard(() => this.db.config.build(PutItemCommand).item({ configId: PROACTIVE_RULE, ...rule }).send());
    forget(this.db.table.getName(), `config:${PROACTIVE_RULE}`);
    return rule;
  }
}
