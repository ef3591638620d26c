/** Configuration items: the proactive case rule. Always read consistently: a change applies to the next event. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { guard } from './errors.js';
import type { Store } from './store.js';

export interface ProactiveRule {
  enabled: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

const RULE_KEY = { pk: 'CONFIG#proactive-case-rule', sk: 'CONFIG' };

export class ConfigRepository {
  constructor(private readonly store: Store) {}

  /** Off until an admin turns it on. */
  async proactiveRule(): Promise<ProactiveRule> {
    const out = await guard(() => this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: RULE_KEY, ConsistentRead: true })));
    if (!out.Item) return { enabled: false, updatedAt: null, updatedBy: null };
    return { enabled: out.Item.enabled === true, updatedAt: out.Item.updatedAt as string, updatedBy: out.Item.updatedBy as string };
  }

  async setProactiveRule(enabled: boolean, change: { at: string; actor: string }): Promise<ProactiveRule> {
    const rule = { enabled, updatedAt: change.at, updatedBy: change.actor };
    await guard(() => this.store.doc.send(new PutCommand({ TableName: this.store.tableName, Item: { ...RULE_KEY, entity: 'config', ...rule } })));
    return rule;
  }
}
