/** Creating (manually or from an alert), reading, changing cases and their work notes (SPEC §2 Case, §4). */
import { randomUUID } from 'node:crypto';
import type { Alert } from '../domain/alert.js';
import type { AffectedItem } from '../domain/install-base.js';
import { caseNumberFor, CASE_NUMBER_PATTERN, type Case, type CaseOrigin } from '../domain/case.js';
import { assertClosedReason, type ClosedReason } from '../domain/closed-reason.js';
import { Conflict, NotFound, PreconditionFailed } from '../domain/errors.js';
import { normalizePriority, priorityFromSeverity, type PriorityInput } from '../domain/priority.js';
import { CARRIED_FIELDS, followsMajorCase } from '../domain/major-case.js';
import { assignCase } from '../domain/queue-rules.js';
import { assertFrozenCaseChange, assertStageTransition, type Stage } from '../domain/stage-transitions.js';
import { alertFromItem } from '../store/alerts.js';
import type { StoredCase, TransactItem, WorkNote } from '../store/cases.js';
import { idempotencyId, idempotencyRecordItem, replayOf } from '../store/idempotency.js';
import { impactOfAlertItem } from '../store/impact.js';
import { keys } from '../store/keys.js';
import { queueFromItem } from '../store/queues.js';
import type { Actor, Idempotent, OrReplay, Repositories } from './context.js';
import { now } from './context.js';
import { metrics, MetricUnit } from '../observability.js';

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

/** A case field set to null in a PATCH is removed. */
export type CasePatch = { [K in keyof CaseInput]?: CaseInput[K] | null };

export const newCaseId = () => `case_${randomUUID().replace(/-/g, '')}`;

interface NewCase {
  input: CaseInput;
  origin: CaseOrigin;
  alert?: Alert;
  /** Install base items attached at creation (an alert's affected install base). */
  affected?: AffectedItem[];
  actor: Actor;
}

/** The case a creation writes, with the warnings its response carries. */
function buildCase(c: NewCase, sequence: number, queueItem: Record<string, unknown> | undefined): Case {
  const { input, alert } = c;
  const stage = input.stage ?? 'new';
  assertClosedReason({ stage, closedReason: input.closedReason, closedReasonText: input.closedReasonText });
  const assignment = assignCase(input, input.queue ? queueFromItem(queueItem, input.queue) : undefined);
  const at = now();
  const priority = input.priority ? normalizePriority(input.priority) : alert ? priorityFromSeverity(alert.severity) : 'moderate';
  return {
    caseId: newCaseId(),
    number: caseNumberFor(sequence),
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
    ...(alert ? { alertId: alert.alertId, alertAttributes: alert.attributes, detections: alert.detections } : {}),
    ...(c.affected?.length ? { affectedInstallBase: Object.fromEntries(c.affected.map((i) => [i.installBaseItemId, i])) } : {}),
    majorCase: 'none',
    warnings: assignment.warnings,
    createdAt: at,
    updatedAt: at,
    createdBy: c.actor,
    updatedBy: c.actor,
    version: 1,
  };
}

function withoutWarnings({ warnings: _warnings, ...stored }: Case): StoredCase {
  return stored;
}

function idempotencyParts<T>(tableName: string, idem: Idempotent<T> | undefined, result: T) {
  if (!idem) return [];
  const item: TransactItem = {
    Put: {
      TableName: tableName,
      Item: idempotencyRecordItem(idem.request, idem.respond(result), Date.now()),
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
  return [{ name: 'idempotency', item }];
}

/**
 * Converts an alert into a case: one consistent read (alert, counter, queue,
 * idempotency record), then one transaction that takes the number, creates the
 * case and links the alert only if it has no case yet. Every loser of a race
 * gets a 409 naming the case that won.
 */
export async function convertAlertToCase(
  repos: Repositories,
  tableName: string,
  alertId: string,
  input: CaseInput,
  actor: Actor,
  options: {
    origin?: CaseOrigin;
    idempotency?: Idempotent<Case>;
    /** Items to attach instead of the alert's whole affected install base (the proactive rule: external only). */
    attach?: AffectedItem[];
  } = {},
): Promise<OrReplay<Case>> {
  const idem = options.idempotency;
  const alertKey = keys.alert(alertId);
  const alreadyConverted = (alert: Record<string, unknown>) => {
    metrics.addMetric('ConversionsRefused', MetricUnit.Count, 1);
    return new Conflict(`Alert '${alertId}' is already converted to case ${String(alert.caseNumber)}.`, {
      caseId: alert.caseId,
      caseNumber: alert.caseNumber,
    });
  };
  const outcome = await repos.cases.createNumbered<OrReplay<Case>>({
    reads: {
      alert: alertKey,
      ...(input.queue ? { queue: keys.queue(input.queue) } : {}),
      ...(idem ? { idempotency: keys.idempotency(idempotencyId(idem.request)) } : {}),
    },
    decide({ sequence, items }) {
      const replay = idem && replayOf(items.idempotency, idem.request, Date.now());
      if (replay) return { kind: 'done', result: { replay } };
      if (!items.alert) throw new NotFound(`Alert '${alertId}' does not exist.`);
      if (items.alert.caseId) throw alreadyConverted(items.alert);
      const alert = alertFromItem(items.alert);
      const affected = options.attach ?? impactOfAlertItem(items.alert).affected;
      const created = buildCase({ input, origin: options.origin ?? 'alert', alert, affected, actor }, sequence, items.queue);
      const linkAlert: TransactItem = {
        Update: {
          TableName: tableName,
          Key: alertKey,
          UpdateExpression:
            'SET caseId = :caseId, caseNumber = :number, updatedAt = :at, updatedBy = :actor, lastAction = :action ADD version :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(caseId)',
          ExpressionAttributeValues: {
            ':caseId': created.caseId,
            ':number': created.number,
            ':at': created.createdAt,
            ':actor': actor,
            ':action': 'converted_to_case',
            ':one': 1,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      };
      return {
        kind: 'write',
        case: withoutWarnings(created),
        lastAction: 'created_from_alert',
        extra: [{ name: 'alert', item: linkAlert }, ...idempotencyParts(tableName, idem, created)],
        result: { result: created },
      };
    },
    onConditionFailure(name, item) {
      if (name === 'alert') {
        if (!item) throw new NotFound(`Alert '${alertId}' does not exist.`);
        if (item.caseId) throw alreadyConverted(item);
      }
      if (name === 'idempotency' && idem) {
        const replay = replayOf(item, idem.request, Date.now());
        if (replay) return { replay };
      }
      return undefined;
    },
  });
  if (outcome.result) countCaseCreated(outcome.result.origin);
  return outcome;
}

function countCaseCreated(origin: CaseOrigin) {
  metrics.addMetric('CasesCreated', MetricUnit.Count, 1);
  metrics.addMetadata('origin', origin);
}


/** A case not tied to an alert (POST /cases). */
export async function createManualCase(
  repos: Repositories,
  tableName: string,
  input: CaseInput,
  actor: Actor,
  options: { idempotency?: Idempotent<Case> } = {},
): Promise<OrReplay<Case>> {
  const idem = options.idempotency;
  const outcome = await repos.cases.createNumbered<OrReplay<Case>>({
    reads: {
      ...(input.queue ? { queue: keys.queue(input.queue) } : {}),
      ...(idem ? { idempotency: keys.idempotency(idempotencyId(idem.request)) } : {}),
    },
    decide({ sequence, items }) {
      const replay = idem && replayOf(items.idempotency, idem.request, Date.now());
      if (replay) return { kind: 'done', result: { replay } };
      const created = buildCase({ input, origin: 'manual', actor }, sequence, items.queue);
      return {
        kind: 'write',
        case: withoutWarnings(created),
        lastAction: 'created',
        extra: idempotencyParts(tableName, idem, created),
        result: { result: created },
      };
    },
    onConditionFailure(name, item) {
      const replay = name === 'idempotency' && idem ? replayOf(item, idem.request, Date.now()) : undefined;
      return replay ? { replay } : undefined;
    },
  });
  if (outcome.result) countCaseCreated('manual');
  return outcome;
}

export async function getCase(repos: Repositories, caseIdOrNumber: string): Promise<StoredCase> {
  const found = CASE_NUMBER_PATTERN.test(caseIdOrNumber)
    ? await repos.cases.getByNumber(caseIdOrNumber)
    : await repos.cases.get(caseIdOrNumber);
  if (!found) throw new NotFound(`Case '${caseIdOrNumber}' does not exist.`);
  return found;
}

const PATCHABLE = ['shortDescription', 'description', 'priority', 'closedReason', 'closedReasonText', 'queue', 'assignee', 'accountId'] as const;

/**
 * Changes a case, following the stage transition table. With `expectedVersion`
 * (If-Match) a stale read is a 412; without it a concurrent change is merged
 * by reading again.
 */
export async function updateCase(
  repos: Repositories,
  caseId: string,
  patch: CasePatch,
  actor: Actor,
  expectedVersion?: number,
): Promise<Case> {
  for (let attempt = 1; ; attempt++) {
    const current = await repos.cases.require(caseId);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new PreconditionFailed(`Case '${caseId}' is at version ${current.version}, not ${expectedVersion}.`);
    }
    const next: Record<string, unknown> = { ...current };
    const changed: string[] = [];
    for (const field of PATCHABLE) {
      if (!(field in patch)) continue;
      const raw = patch[field];
      const value = field === 'priority' && raw ? normalizePriority(raw as PriorityInput) : raw;
      if ((current[field] ?? null) === (value ?? null)) continue;
      changed.push(field);
      if (value === null || value === undefined) delete next[field];
      else next[field] = value;
    }
    const toStage = patch.stage ?? current.stage;
    if (changed.length === 0 && toStage === current.stage) return { ...current, warnings: [] };
    if (toStage !== current.stage) assertStageTransition(current.stage, toStage);
    assertFrozenCaseChange(current.stage, patch.stage ?? undefined, changed);
    next.stage = toStage;
    let warnings: string[] = [];
    if (changed.includes('queue') || changed.includes('assignee')) {
      const queueId = next.queue as string | undefined;
      const assignment = assignCase(
        { queue: queueId, assignee: next.assignee as string | undefined },
        queueId ? await repos.queues.get(queueId) : undefined,
      );
      warnings = assignment.warnings;
      if (assignment.assignee == null) delete next.assignee;
    }
    assertClosedReason(next as unknown as StoredCase);
    const updated = { ...(next as unknown as StoredCase), version: current.version + 1, updatedAt: now(), updatedBy: actor };
    try {
      const carried = CARRIED_FIELDS.filter((f) => (current[f] ?? null) !== (updated[f] ?? null));
      if (current.majorCase === 'accepted' && carried.length > 0) {
        await repos.cases.transact([repos.cases.replaceItem(updated, current.version, 'updated'), ...(await carryToChildren(repos, updated, carried))]);
      } else {
        await repos.cases.replace(updated, current.version, 'updated');
      }
      return { ...updated, warnings };
    } catch (error) {
      if (!(error instanceof PreconditionFailed) || expectedVersion !== undefined || attempt >= 3) throw error;
    }
  }
}

export const noteFor = (caseId: string, text: string, author: Actor, createdAt: string): WorkNote => ({
  noteId: `note_${randomUUID().replace(/-/g, '')}`,
  caseId,
  text,
  author,
  createdAt,
});

/** Adds a work note; a note on an accepted major case is written on its open children too, in the same transaction. */
export async function addWorkNote(repos: Repositories, caseId: string, text: string, actor: Actor): Promise<WorkNote> {
  const c = await repos.cases.require(caseId);
  const at = now();
  const note = noteFor(caseId, text, actor, at);
  if (c.majorCase !== 'accepted') return repos.cases.addWorkNote(note);
  const children = (await repos.cases.children(caseId)).filter(followsMajorCase);
  await repos.cases.transact([note, ...children.map((child) => noteFor(child.caseId, text, actor, at))].map((n) => repos.cases.noteItem(n)));
  return note;
}

/**
 * The new versions of a major case's open children after the major case
 * changed `fields`: each follows its priority, stage and closed reason.
 */
async function carryToChildren(repos: Repositories, major: StoredCase, fields: readonly (typeof CARRIED_FIELDS)[number][]) {
  const children = (await repos.cases.children(major.caseId)).filter(followsMajorCase);
  return children.map((child) => {
    const next: Record<string, unknown> = { ...child, version: child.version + 1, updatedAt: major.updatedAt, updatedBy: major.updatedBy };
    for (const field of fields) {
      if (major[field] === undefined) delete next[field];
      else next[field] = major[field];
    }
    if (next.stage !== child.stage) assertStageTransition(child.stage, next.stage as Stage);
    return repos.cases.replaceItem(next as unknown as StoredCase, child.version, 'carried_from_major_case');
  });
}

