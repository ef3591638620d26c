/**
 * Service levels (SPEC §2): managing SLA definitions, keeping each case's
 * task SLAs as its changes arrive from the stream, firing their warnings and
 * breaches from the timer sweep, and reading them. Every write of a case's
 * SLAs is over the version read, and both the stream and the sweep start
 * again from a fresh read when the other wrote first, so each threshold
 * fires once.
 */
import type { StoredCase } from '../domain/case.js';
import { Conflict, NotFound } from '../domain/errors.js';
import { fireDue, followCase, MAX_SLA_DEFINITIONS, nextDueOf, slaDefinitionWith, taskSlaView, type SlaDefinition } from '../domain/sla.js';
import { mapLimit } from '../concurrency.js';
import { caseListFields, type CaseSlas, type StoredSlaDefinition } from '../store/slas.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';

/** What a POST or PUT of a definition carries (the rest takes its default). */
export type SlaInput = Omit<SlaDefinition, 'slaId' | 'pauseStages' | 'warnAtPercent' | 'retroactive'> & Partial<Pick<SlaDefinition, 'pauseStages' | 'warnAtPercent' | 'retroactive'>>;

/** How many times a write that lost to another is read and made again before the caller is told (the stream retries the record). */
const ATTEMPTS = 5;

export const listSlaDefinitions = (repos: Repositories) => repos.slaDefinitions.list();

export async function getSlaDefinition(repos: Repositories, slaId: string): Promise<StoredSlaDefinition> {
  const found = await repos.slaDefinitions.get(slaId);
  if (!found) throw new NotFound(`SLA '${slaId}' does not exist.`);
  return found;
}

export async function createSlaDefinition(repos: Repositories, input: SlaInput, actor: Actor): Promise<StoredSlaDefinition> {
  const definition = { ...slaDefinitionWith(`sla_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`, input), updatedAt: now(), updatedBy: actor };
  if ((await repos.slaDefinitions.create(definition)) === 'limit_reached') {
    throw new Conflict(`There are already ${MAX_SLA_DEFINITIONS} SLA definitions, the most there may be; delete one first.`, { limit: MAX_SLA_DEFINITIONS });
  }
  return definition;
}

/** Replaces a definition: cases' SLAs already running keep the terms they started with; new ones take these. */
export async function replaceSlaDefinition(repos: Repositories, slaId: string, input: SlaInput, actor: Actor): Promise<StoredSlaDefinition> {
  const definition = { ...slaDefinitionWith(slaId, input), updatedAt: now(), updatedBy: actor };
  if (!(await repos.slaDefinitions.replace(definition))) throw new NotFound(`SLA '${slaId}' does not exist.`);
  return definition;
}

export async function deleteSlaDefinition(repos: Repositories, slaId: string): Promise<void> {
  if (!(await repos.slaDefinitions.delete(slaId))) throw new NotFound(`SLA '${slaId}' does not exist.`);
}

/** A case's task SLAs, their clocks read now. */
export async function caseSlas(repos: Repositories, caseId: string) {
  const [[c], slas] = await Promise.all([repos.caseSlas.cases([caseId]), repos.caseSlas.get(caseId)]);
  if (!c) throw new NotFound(`Case '${caseId}' does not exist.`);
  const at = now();
  return { items: (slas?.slas ?? []).map((t) => taskSlaView(t, at)) };
}

/**
 * Follows a change of a case (the stream): its SLAs start, pause, resume,
 * complete or are cancelled as of the change's time. A change already
 * followed (a retried batch, an older record) changes nothing.
 */
export async function followCaseSlas(repos: Repositories, after: StoredCase): Promise<void> {
  const definitions = await repos.slaDefinitions.forCases();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await repos.caseSlas.get(after.caseId);
    if (current && current.caseVersion >= after.version) return;
    const slas = followCase(definitions, current?.slas ?? [], after, after.updatedAt);
    // A case no SLA has applied to yet needs no item.
    if (!current && slas.length === 0) return;
    const next: CaseSlas = { caseId: after.caseId, caseVersion: after.version, ...caseListFields(after), slas, nextDueAt: nextDueOf(slas), version: (current?.version ?? 0) + 1 };
    if (await repos.caseSlas.put(next, current?.version)) return;
  }
  throw new Error(`SLAs of case ${after.caseId}: written by others ${ATTEMPTS} times in a row`);
}

/**
 * Fires the warnings and breaches due at `at` of cases' SLAs the timer
 * index names: each over the version read, and only for SLAs that have
 * followed their case's last change (one that has not, the stream is about
 * to follow; it is fired afterwards, so an SLA the change completed is never
 * breached). Returns how many cases' SLAs fired.
 */
export async function fireDueSlas(repos: Repositories, due: CaseSlas[], at = now()): Promise<number> {
  if (due.length === 0) return 0;
  const cases = await repos.caseSlas.cases(due.map((d) => d.caseId));
  const current = new Map(cases.flatMap((c) => (c ? [[c.caseId, c.version] as const] : [])));
  const fired = await mapLimit(due, 32, async (item) => {
    const caseVersion = current.get(item.caseId);
    if (caseVersion === undefined || caseVersion > item.caseVersion) return false;
    // The firing says when it was written (never before the threshold's due time, which `at` is after).
    const firedAt = new Date(Math.max(Date.parse(at), Date.now())).toISOString();
    const slas = item.slas.map((t) => fireDue(t, firedAt));
    // fireDue hands back the very task when nothing of it was due.
    if (slas.every((t, i) => t === item.slas[i])) return false;
    return repos.caseSlas.put({ ...item, slas, nextDueAt: nextDueOf(slas), version: item.version + 1 }, item.version);
  });
  return fired.filter(Boolean).length;
}
