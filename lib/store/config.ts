/** Configuration items: the proactive case rule and the case-sync rule, read through the instance's cache (cache.ts). */
import type { FormattedItem } from 'dynamodb-toolbox/entity';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { cached, forget } from './cache.js';
import type { Db } from './entities.js';
import { guard } from './errors.js';

interface Changed {
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface ProactiveRule extends Changed {
  enabled: boolean;
}

/** SPEC §2 "Alerts and cases": how a case follows its alerts, and its alerts the case. */
export interface CaseSyncRule extends Changed {
  raisePriorityOnEscalation: boolean;
  closeAlertsWithCase: boolean;
}

/** A rule as written: its switches, and who changed it when (always known then). */
interface RuleWrite {
  enabled?: boolean;
  raisePriorityOnEscalation?: boolean;
  closeAlertsWithCase?: boolean;
  updatedAt: string;
  updatedBy: string;
}

const PROACTIVE_RULE = 'proactive-case-rule';
const CASE_SYNC_RULE = 'case-sync-rule';

export class ConfigRepository {
  constructor(private readonly db: Db) {}

  private read<T>(configId: string, of: (item: FormattedItem<Db['config']> | undefined) => T): Promise<T> {
    return cached(this.db.table.getName(), `config:${configId}`, async () => {
      const out = await guard(() => this.db.config.build(GetItemCommand).key({ configId }).options({ consistent: true }).send());
      return of(out.Item);
    });
  }

  private async write<T extends RuleWrite>(configId: string, rule: T): Promise<T> {
    await guard(() => this.db.config.build(PutItemCommand).item({ configId, ...rule }).send());
    forget(this.db.table.getName(), `config:${configId}`);
    return rule;
  }

  /** Off until an admin turns it on. */
  proactiveRule(): Promise<ProactiveRule> {
    return this.read(PROACTIVE_RULE, (item) => ({
      enabled: item?.enabled === true,
      updatedAt: item?.updatedAt ?? null,
      updatedBy: item?.updatedBy ?? null,
    }));
  }

  setProactiveRule(enabled: boolean, change: { at: string; actor: string }): Promise<ProactiveRule> {
    return this.write(PROACTIVE_RULE, { enabled, updatedAt: change.at, updatedBy: change.actor });
  }

  /** Raising priority on escalation is on, closing alerts with their case off, until an admin says otherwise. */
  caseSyncRule(): Promise<CaseSyncRule> {
    return this.read(CASE_SYNC_RULE, (item) => ({
      raisePriorityOnEscalation: item?.raisePriorityOnEscalation !== false,
      closeAlertsWithCase: item?.closeAlertsWithCase === true,
      updatedAt: item?.updatedAt ?? null,
      updatedBy: item?.updatedBy ?? null,
    }));
  }

  setCaseSyncRule(rule: Pick<CaseSyncRule, 'raisePriorityOnEscalation' | 'closeAlertsWithCase'>, change: { at: string; actor: string }): Promise<CaseSyncRule> {
    return this.write(CASE_SYNC_RULE, { ...rule, updatedAt: change.at, updatedBy: change.actor });
  }
}
