/** The shapes the console reads, as the API sends them (SPEC §2, §4); the domain's own types where they exist. */
export type { Alert, AlertState } from '../../lib/domain/alert.js';
export type { Case } from '../../lib/domain/case.js';
export type { HistoryEntry } from '../../lib/domain/history.js';
export type { Severity, Priority } from '../../lib/domain/priority.js';
export type { Stage } from '../../lib/domain/stage-transitions.js';
export type { Playbook } from '../../lib/domain/playbooks.js';

export interface ImpactedCi {
  ciId: string;
  name: string;
  class: string;
  kind: 'alert_ci' | 'service';
  path: string[];
}

export interface InstallBaseItem {
  installBaseItemId: string;
  name: string;
  ciId: string;
  soldProductId: string;
}

export interface AccountGroup {
  accountId: string;
  accountName: string;
  accountType: 'external' | 'internal';
  items: InstallBaseItem[];
}

export interface WorkNote {
  noteId: string;
  text: string;
  author: string;
  createdAt: string;
}

export interface Queue {
  queueId: string;
  members: string[];
}

export interface AlertResult {
  alertId: string;
  outcome: string;
  caseId?: string;
  caseNumber?: string;
}
