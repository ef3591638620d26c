/** Case priority from alert severity (SPEC §2). */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PRIORITIES = ['critical', 'high', 'moderate', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What a client may send: `medium` is the security console's word for `moderate`. */
export const PRIORITY_INPUTS = [...PRIORITIES, 'medium'] as const;
export type PriorityInput = (typeof PRIORITY_INPUTS)[number];

const FROM_SEVERITY: Record<Severity, Priority> = {
  critical: 'critical',
  major: 'high',
  minor: 'moderate',
  warning: 'low',
  info: 'low',
};

export function priorityFromSeverity(severity: Severity): Priority {
  return FROM_SEVERITY[severity];
}

export function normalizePriority(input: PriorityInput): Priority {
  return input === 'medium' ? 'moderate' : input;
}

/** Lower rank is worse; used to compare severities (worst open alert, playbook thresholds). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
