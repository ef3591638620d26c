/** The case record (SPEC §2 Case), how a new one is made, and case numbers. */
import type { Alert, AttributeValue, Detection } from './alert.js';
import type { AffectedItem } from './install-base.js';
import { detectionsToCopy } from './case-alerts.js';
import { assertClosedReason, type ClosedReason } from './closed-reason.js';
import { normalizePriority, priorityFromSeverity, type Priority, type PriorityInput } from './priority.js';
import { assignCase, type Queue } from './queue-rules.js';
import type { Stage } from './stage-transitions.js';

export const CASE_ORIGINS = ['manual', 'alert', 'proactive_rule', 'playbook'] as const;
export type CaseOrigin = (typeof CASE_ORIGINS)[number];
export const MAJOR_CASE_STATES = ['none', 'proposed', 'accepted', 'rejected'] as const;
export type MajorCaseState = (typeof MAJOR_CASE_STATES)[number];

export interface Case {
  caseId: string;
  number: string;
  origin: CaseOrigin;
  proactive: boolean;
  shortDescription: string;
  description?: string;
  priority: Priority;
  stage: Stage;
  closedReason?: ClosedReason;
  closedReasonText?: string;
  queue?: string;
  assignee?: string;
  accountId?: string;
  alertId?: string;
  /** The source of the alert it was made from, kept as provenance (team metrics count cases by it). */
  source?: string;
  /** Alerts attached now (SPEC §2 "Alerts and cases"). */
  alertCount: number;
  alertAttributes?: Record<string, AttributeValue>;
  detections?: Detection[];
  majorCase: MajorCaseState;
  parentCaseId?: string;
  /** Affected install base items by id (served by the case's affected-install-base routes, not in the case body). */
  affectedInstallBase?: Record<string, AffectedItem>;
  warnings?: string[];
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  version: number;
}

/** A case as stored: the warnings belong to the response that caused them. */
export type StoredCase = Omit<Case, 'warnings'>;

/** The fields a client sets on a case (POST /cases, PATCH /cases/{id}, conversion). */
export const CASE_INPUT_FIELDS = [
  'shortDescription',
  'description',
  'priority',
  'stage',
  'closedReason',
  'closedReasonText',
  'queue',
  'assignee',
  'accountId',
] as const;

/** What a client gives for a new case (POST /cases, conversion). */
export interface CaseInput {
  shortDescription: string;
  description?: string;
  priority?: PriorityInput;
  stage?: Stage;
  closedReason?: ClosedReason;
  closedReasonText?: string;
  queue?: string;
  assignee?: string;
  accountId?: string;
}

export const newCaseId = () => `case_${crypto.randomUUID().replace(/-/g, '')}`;

export interface NewCase {
  input: CaseInput;
  origin: CaseOrigin;
  /** The alert it is created from, if any: priority from its severity, its source, attributes and detections copied. */
  alert?: Pick<Alert, 'alertId' | 'source' | 'severity' | 'attributes' | 'detections'>;
  /** Install base items attached at creation (an alert's affected install base). */
  affected?: AffectedItem[];
  actor: string;
  at: string;
  /** The queue the input names, as configured (undefined when there is no such queue). */
  queue: Queue | undefined;
}

/** A case as the domain makes it, before it is written: the store gives it the next number as it writes it. */
export type DraftCase = Omit<Case, 'number'>;

/** A case's short description is at most this long (SPEC §2). */
export const SHORT_DESCRIPTION_MAX = 160;

/** A new case, with the warnings its response carries (SPEC §2 Case rules). */
export function newCase(c: NewCase): DraftCase {
  const { input, alert } = c;
  const stage = input.stage ?? 'new';
  assertClosedReason({ stage, closedReason: input.closedReason, closedReasonText: input.closedReasonText });
  const assignment = assignCase(input, c.queue);
  const priority = input.priority ? normalizePriority(input.priority) : alert ? priorityFromSeverity(alert.severity) : 'moderate';
  return {
    caseId: newCaseId(),
    origin: c.origin,
    proactive: c.origin === 'proactive_rule',
    shortDescription: input.shortDescription,
    description: input.description,
    priority,
    stage,
    closedReason: input.closedReason,
    closedReasonText: input.closedReasonText,
    queue: assignment.queue ?? undefined,
    assignee: assignment.assignee ?? undefined,
    accountId: input.accountId,
    ...(alert ? { alertId: alert.alertId, source: alert.source, alertAttributes: alert.attributes, detections: detectionsToCopy([], [alert]) } : {}),
    alertCount: alert ? 1 : 0,
    ...(c.affected?.length ? { affectedInstallBase: Object.fromEntries(c.affected.map((i) => [i.installBaseItemId, i])) } : {}),
    majorCase: 'none',
    warnings: assignment.warnings,
    createdAt: c.at,
    updatedAt: c.at,
    createdBy: c.actor,
    updatedBy: c.actor,
    version: 1,
  };
}

export function withoutWarnings({ warnings: _warnings, ...stored }: Case): StoredCase {
  return stored;
}

/** The case as the API shows it: its install base has routes of its own. */
export function caseView<T extends { affectedInstallBase?: unknown }>(c: T): Omit<T, 'affectedInstallBase'> {
  const { affectedInstallBase: _items, ...view } = c;
  return view;
}

/** The case's affected install base items. */
export const caseItemsOf = (c: { affectedInstallBase?: Record<string, AffectedItem> }): AffectedItem[] => Object.values(c.affectedInstallBase ?? {});

const FIRST_CASE_NUMBER = 1001;

/** `CS` + 7 digits; the counter's nth value gives the nth case number, the first CS0001001. */
export function caseNumberFor(sequence: number): string {
  return `CS${String(FIRST_CASE_NUMBER - 1 + sequence).padStart(7, '0')}`;
}

/** The counter value behind a case number (the inverse of `caseNumberFor`). */
export const sequenceOf = (number: string) => Number(number.slice(2)) - FIRST_CASE_NUMBER + 1;

export const CASE_NUMBER_PATTERN = /^CS\d{7}$/;
