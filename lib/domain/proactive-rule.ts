/** The Create Proactive Case rule (SPEC §2 Automation): which affected install base makes a proactive case. */
import type { AffectedItem } from './install-base.js';

export interface ProactiveDecision {
  /** The external accounts' affected items; empty: no case. */
  items: AffectedItem[];
  /** Set when exactly one external account is affected. */
  accountId?: string;
}

export function proactiveCaseFor(affected: readonly AffectedItem[]): ProactiveDecision {
  const items = affected.filter((i) => i.accountType === 'external');
  const accounts = [...new Set(items.map((i) => i.accountId))];
  return { items, ...(accounts.length === 1 ? { accountId: accounts[0] } : {}) };
}
