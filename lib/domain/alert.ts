/** The alert record and the rules of raising, repeating and clearing one (SPEC §2 Alert). */
import { createHash } from 'node:crypto';
import type { Severity } from './priority.js';

export const ALERT_STATES = ['open', 'acknowledged', 'closed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const OPEN_ALERT_STATES: readonly AlertState[] = ['open', 'acknowledged'];

export type AttributeValue = string | number | boolean;

/**
 * What an alert may hold (SPEC §2 Alert): `POST /alerts` validates against
 * these, and every sender's format maps its payload to stay inside them.
 */
export const ALERT_LIMITS = {
  /** description and string attribute values */
  text: 4000,
  attributes: 100,
  attributeKey: 128,
  sourceAlertId: 256,
  ciId: 256,
  type: 128,
  detections: 100,
  detectionName: 200,
  detectionDescription: 2000,
  /** An alert and the case that copies it must fit DynamoDB's 400 KB item limit with room to spare. */
  bytes: 128 * 1024,
} as const;

/** Identifiers (source, ciId, detection ids, queue names…): printable, no separators that could forge keys. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;
/** Attribute keys: just names, starting with a letter. */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
/** Keys no map may use: they could reach an object's prototype. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
/** Numbers DynamoDB stores exactly and the SDK marshals without loss. */
export const isStorableNumber = (n: number) => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-100);

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
  if (sourceAlertId === undefined) return `alr_${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const digest = createHash('sha256').update(JSON.stringify([source, sourceAlertId])).digest('hex');
  return `alr_${digest.slice(0, 24)}`;
}

export const alertLinks = (alertId: string, caseId?: string) => ({
  self: `/alerts/${alertId}`,
  ...(caseId ? { case: `/cases/${caseId}` } : {}),
});

/**
 * Whether a raise that changed nothing (a re-sent firing, a redelivered
 * event) should still go to the playbooks: the alert has no case and nothing
 * happened to it since it last fired, so the request that raised it may have
 * failed while converting it. An alert detached from a case, acknowledged or
 * otherwise changed since does not (its `updatedAt` is later than its
 * `lastOccurredAt`).
 */
export const awaitsPlaybooks = (alert: Pick<Alert, 'caseId' | 'updatedAt' | 'lastOccurredAt'>) => !alert.caseId && alert.updatedAt === alert.lastOccurredAt;
