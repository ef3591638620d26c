/** Playbooks: managing them, applying the first match to a raised alert, and a dry run (SPEC §2 Automation). */
import { awaitsPlaybooks, OPEN_ALERT_STATES, type Alert } from '../domain/alert.js';
import { closedReasonErrors } from '../domain/closed-reason.js';
import { Conflict, Invalid, NotFound } from '../domain/errors.js';
import { firstMatch, matches, MAX_PLAYBOOKS, type Playbook, type PlaybookAction, type PlaybookConditions } from '../domain/playbooks.js';
import { GATHERING_STAGES, groupKeyOf, withinWindow, type Grouping } from '../domain/case-alerts.js';
import { SHORT_DESCRIPTION_MAX, type CaseInput } from '../domain/case.js';
import { followEscalation } from './case-sync.js';
import { logger } from '../observability.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { jsonBytes, PAGE_BUDGET_BYTES } from '../store/pagination.js';
import { normalizePriority } from '../domain/priority.js';
import { attach } from './case-alerts.js';
import { convertAlert } from './cases.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';

export interface PlaybookInput {
  name: string;
  enabled?: boolean;
  order?: number;
  conditions: PlaybookConditions;
  action: PlaybookAction;
}

const DEFAULT_ORDER = 100;

/** An action must be one a conversion can carry out: a known queue, a closed stage with its reason. */
async function assertPerformable(repos: Repositories, action: PlaybookAction): Promise<PlaybookAction> {
  const errors = closedReasonErrors({ stage: action.stage ?? 'new', closedReason: action.closedReason, closedReasonText: action.closedReasonText }).map((e) => ({
    ...e,
    path: `action.${e.path}`,
  }));
  if (action.queue && !(await repos.queues.get(action.queue))) errors.push({ path: 'action.queue', message: `unknown queue '${action.queue}'` });
  if (errors.length) throw new Invalid(`The playbook's action cannot be carried out: ${errors[0].path} ${errors[0].message}.`, errors);
  return action.priority ? { ...action, priority: normalizePriority(action.priority) } : action;
}

export async function createPlaybook(repos: Repositories, input: PlaybookInput, actor: Actor): Promise<Playbook> {
  const action = await assertPerformable(repos, input.action);
  const at = now();
  const playbook: Playbook = {
    playbookId: `pb_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`,
    name: input.name,
    // A new playbook acts only once turned on, after a dry run.
    enabled: input.enabled ?? false,
    order: input.order ?? DEFAULT_ORDER,
    conditions: input.conditions,
    action,
    createdAt: at,
    updatedAt: at,
    updatedBy: actor,
  };
  if ((await repos.playbooks.create(playbook)) === 'limit_reached') {
    throw new Conflict(`There are already ${MAX_PLAYBOOKS} playbooks, the most there may be; delete one first.`, { limit: MAX_PLAYBOOKS });
  }
  return playbook;
}

export async function replacePlaybook(repos: Repositories, playbookId: string, input: PlaybookInput, actor: Actor): Promise<Playbook> {
  const current = await requirePlaybook(repos, playbookId);
  const action = await assertPerformable(repos, input.action);
  const playbook: Playbook = {
    ...current,
    name: input.name,
    enabled: input.enabled ?? current.enabled,
    order: input.order ?? current.order,
    conditions: input.conditions,
    action,
    updatedAt: now(),
    updatedBy: actor,
  };
  if (!(await repos.playbooks.replace(playbook))) throw new NotFound(`Playbook '${playbookId}' does not exist.`);
  return playbook;
}

export async function requirePlaybook(repos: Repositories, playbookId: string): Promise<Playbook> {
  const playbook = await repos.playbooks.get(playbookId);
  if (!playbook) throw new NotFound(`Playbook '${playbookId}' does not exist.`);
  return playbook;
}

export async function deletePlaybook(repos: Repositories, playbookId: string): Promise<void> {
  if (!(await repos.playbooks.delete(playbookId))) throw new NotFound(`Playbook '${playbookId}' does not exist.`);
}

async function ciClassOf(repos: Repositories, alert: Pick<Alert, 'ciId'>, needed: boolean) {
  if (!needed || !alert.ciId) return undefined;
  return repos.serviceMap.classOf(alert.ciId);
}

/**
 * A raised or repeated alert without a case: the first enabled playbook whose
 * conditions hold converts it. Returns the alert as it is afterwards. A
 * playbook that cannot convert (another conversion won) leaves the alert as it is.
 */
export async function applyPlaybooks(repos: Repositories, alert: Alert): Promise<Alert> {
  if (alert.caseId) return alert;
  const enabled = (await repos.playbooks.forRaise()).filter((p) => p.enabled);
  if (enabled.length === 0) return alert;
  const ciClass = await ciClassOf(repos, alert, enabled.some((p) => p.conditions.ciClasses));
  const playbook = firstMatch(enabled, { ...alert, ciClass });
  if (!playbook) return alert;
  const { group, ...action } = playbook.action;
  const input = { shortDescription: alert.description.slice(0, SHORT_DESCRIPTION_MAX), description: alert.description, ...action };
  try {
    if (group) await gather(repos, alert, playbook, group, input);
    // An alert converted meanwhile (a sender's retry, another raise) keeps the case it has.
    else await convertAlert(repos, alert.alertId, input, `playbook:${playbook.playbookId}`, { origin: 'playbook' });
  } catch (error) {
    if (!(error instanceof Conflict || error instanceof Invalid)) throw error;
    logger.warn('playbook did not convert the alert', { playbookId: playbook.playbookId, alertId: alert.alertId, reason: (error as Error).message });
  }
  return (await repos.alerts.get(alert.alertId)) ?? alert;
}

/**
 * The playbooks for a stored alert, by id, when it has no case: a sender's
 * retry of a raise that changed nothing (its first attempt may have failed
 * while converting). Reads the alert only when a playbook is enabled.
 */
export async function applyPlaybooksToStored(repos: Repositories, alertId: string): Promise<void> {
  if (!(await repos.playbooks.forRaise()).some((p) => p.enabled)) return;
  const alert = await repos.alerts.get(alertId);
  if (alert && awaitsPlaybooks(alert)) await applyPlaybooks(repos, alert);
}

/** Rounds of looking for the group's case: one is lost only when another alert of the group opened it at the same moment. */
const GATHER_ATTEMPTS = 5;

/**
 * A grouping playbook's match (SPEC §2 Grouping): the alert joins the case
 * the playbook opened for its group while that case gathers (within the
 * window, not resolved, closed or cancelled, not full); otherwise it opens
 * the group's new case, written with the group's record only if no other
 * alert of the group did so first; that one is then joined instead.
 */
async function gather(repos: Repositories, alert: Alert, playbook: Playbook, grouping: Grouping, input: CaseInput): Promise<void> {
  const key = groupKeyOf(alert, grouping);
  const actor = `playbook:${playbook.playbookId}`;
  for (let attempt = 1; attempt <= GATHER_ATTEMPTS; attempt++) {
    const group = await repos.cases.group(playbook.playbookId, key);
    if (group && withinWindow(group.openedAt, grouping.windowMinutes, now())) {
      const joined = await attach(repos, { caseId: group.caseId, alertIds: [alert.alertId], move: false, actor, stages: GATHERING_STAGES });
      if (joined.kind === 'done') {
        if (joined.results[0].outcome === 'attached') await followEscalation(repos, { ...alert, caseId: group.caseId });
        return;
      }
      // The group's case no longer gathers: a new one replaces it.
    }
    const outcome = await convertAlert(repos, alert.alertId, input, actor, {
      origin: 'playbook',
      group: { playbookId: playbook.playbookId, key, windowMinutes: grouping.windowMinutes, replaces: group?.caseId },
    });
    if (outcome.kind !== 'group_taken') return;
  }
  throw new Conflict(`The case of playbook '${playbook.playbookId}' for this group kept changing.`);
}

/** How many open alerts one dry-run request looks at, at most; it answers with a cursor to go on from there. */
export const DRY_RUN_LOOK_LIMIT = 1000;

interface DryRunPosition {
  /** Which of OPEN_ALERT_STATES is being read. */
  state: number;
  /** Where in that list. */
  list?: string;
}

function dryRunPosition(cursor: string | undefined): DryRunPosition {
  if (cursor === undefined) return { state: 0 };
  return decodeCursor(
    cursor,
    ({ s, c }) =>
      typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < OPEN_ALERT_STATES.length && (c === undefined || typeof c === 'string') ? { state: s, list: c } : undefined,
    'dry run',
  );
}

const dryRunCursor = (p: DryRunPosition) => encodeCursor({ s: p.state, ...(p.list ? { c: p.list } : {}) });

/**
 * Which open alerts without a case the playbook would convert, enabled or
 * not. Converts nothing. Paged like a list: up to `limit` matches and
 * DRY_RUN_LOOK_LIMIT alerts looked at per request, within the page byte
 * budget; `nextCursor` goes on from the first alert not looked at.
 */
export async function testPlaybook(repos: Repositories, playbookId: string, limit = 25, cursor?: string) {
  const playbook = await requirePlaybook(repos, playbookId);
  let at = dryRunPosition(cursor);
  let looked = 0;
  let evaluated = 0;
  let bytes = 0;
  const found: Alert[] = [];
  const pageFull = () => found.length >= limit || looked >= DRY_RUN_LOOK_LIMIT || bytes >= PAGE_BUDGET_BYTES;
  while (at.state < OPEN_ALERT_STATES.length) {
    const page = await repos.alertLists.listPage({ state: OPEN_ALERT_STATES[at.state] }, Math.min(100, DRY_RUN_LOOK_LIMIT - looked), at.list);
    const candidates = page.items.filter((a) => !a.caseId);
    const classes = playbook.conditions.ciClasses
      ? await repos.serviceMap.nodes([...new Set(candidates.flatMap((a) => (a.ciId ? [a.ciId] : [])))])
      : new Map();
    for (const [i, alert] of page.items.entries()) {
      if (pageFull()) return { evaluated, matches: found, nextCursor: dryRunCursor({ state: at.state, list: page.cursorAfter(i) ?? undefined }) };
      looked += 1;
      if (alert.caseId) continue;
      evaluated += 1;
      if (matches(playbook.conditions, { ...alert, ciClass: alert.ciId ? classes.get(alert.ciId)?.class : undefined })) {
        found.push(alert);
        bytes += jsonBytes(alert);
      }
    }
    at = page.nextCursor ? { state: at.state, list: page.nextCursor } : { state: at.state + 1 };
    const more = at.state < OPEN_ALERT_STATES.length;
    if (more && pageFull()) {
      return { evaluated, matches: found, nextCursor: dryRunCursor(at) };
    }
  }
  return { evaluated, matches: found, nextCursor: null };
}
