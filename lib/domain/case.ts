/** The case record (SPEC §2 Case) and case numbers. */
import type { AttributeValue, Detection } from './alert.js';
import type { AffectedItem } from './install-base.js';
import type { ClosedReason } from './closed-reason.js';
import type { Priority } from './priority.js';
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

export const CASE_NUMBER_PATTERN = /^CS\d{7}$/;
