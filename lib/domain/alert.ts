/** The alert record and the rules of raising, repeating and clearing one (SPEC §2 Alert). */
import { createHash, randomUUID } from 'node:crypto';
import type { Severity } from './priority.js';

export const ALERT_STATES = ['open', 'acknowledged', 'closed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const OPEN_ALERT_STATES: readonly AlertState[] = ['open', 'acknowledged'];

export type AttributeValue = string | number | boolean;

export interface Detection {
  id: string;
  name: string;
  tactic?: string;
  technique?: string;
  description?: string;
}

export interface Alert {
  alertId: string;
  source: string;
  sourceAlertId?: string;
  severity: Severity;
  state: AlertState;
  ciId?: string;
  description: string;
  type?: string;
  attributes: Record<string, AttributeValue>;
  detections: Detection[];
  occurrences: number;
  firstOccurredAt: string;
  lastOccurredAt: string;
  incidentId?: string;
  caseId?: string;
  caseNumber?: string;
  links: { self: string; case?: string };
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  version: number;
}

/**
 * An alert with a `sourceAlertId` gets an id derived from its de-duplication
 * key, so a repeat lands on the same item with one conditional write and no
 * lookup table. Alerts without one are always new.
 */
export function alertIdFor(source: string, sourceAlertId: string | undefined): string {
  if (sourceAlertId === undefined) return `alr_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const digest = createHash('sha256').update(JSON.stringify([source, sourceAlertId])).digest('hex');
  return `alr_${digest.slice(0, 24)}`;
}

export const alertLinks = (alertId: string, caseId?: string) => ({
  self: `/alerts/${alertId}`,
  ...(caseId ? { case: `/cases/${caseId}` } : {}),
});
