/**
 * Playbooks (SPEC §2 Automation): named, ordered rules whose conditions all
 * hold for an alert, and what the case they create gets. Pure matching.
 */
import type { AttributeValue } from './alert.js';
import type { Grouping } from './case-alerts.js';
import type { ClosedReason } from './closed-reason.js';
import { severityRank, type PriorityInput, type Severity } from './priority.js';
import type { CiClass } from './service-map.js';
import type { Stage } from './stage-transitions.js';

export interface PlaybookConditions {
  severityAtLeast?: Severity;
  sources?: string[];
  ciClasses?: CiClass[];
  attributeEquals?: Record<string, AttributeValue>;
}

export interface PlaybookAction {
  queue?: string;
  assignee?: string;
  priority?: PriorityInput;
  stage?: Stage;
  closedReason?: ClosedReason;
  closedReasonText?: string;
  /** Gather matching alerts of one group into one case (SPEC §2 Grouping). */
  group?: Grouping;
}

/** At most this many playbooks are stored (SPEC §4): every alert raise evaluates them all. */
export const MAX_PLAYBOOKS = 200;

export interface Playbook {
  playbookId: string;
  name: string;
  enabled: boolean;
  order: number;
  conditions: PlaybookConditions;
  action: PlaybookAction;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** What matching needs to know of an alert: itself and the class of its CI, if known. */
export interface AlertFacts {
  source: string;
  severity: Severity;
  attributes: Record<string, AttributeValue>;
  ciClass?: CiClass;
}

export function matches(conditions: PlaybookConditions, alert: AlertFacts): boolean {
  const c = conditions;
  if (c.severityAtLeast && severityRank(alert.severity) > severityRank(c.severityAtLeast)) return false;
  if (c.sources && !c.sources.includes(alert.source)) return false;
  if (c.ciClasses && (!alert.ciClass || !c.ciClasses.includes(alert.ciClass))) return false;
  if (c.attributeEquals && !Object.entries(c.attributeEquals).every(([k, v]) => alert.attributes[k] === v)) return false;
  return true;
}

/** Playbooks in the order they are tried: `order`, then name, then id. */
export function inEvaluationOrder(playbooks: readonly Playbook[]): Playbook[] {
  return [...playbooks].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name) || a.playbookId.localeCompare(b.playbookId));
}

/** The first enabled playbook whose conditions all hold. */
export function firstMatch(playbooks: readonly Playbook[], alert: AlertFacts): Playbook | undefined {
  return inEvaluationOrder(playbooks).find((p) => p.enabled && matches(p.conditions, alert));
}
