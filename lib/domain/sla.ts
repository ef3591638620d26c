/**
 * Service levels (SPEC §2 "Service levels"): SLA definitions, and the task
 * SLAs a case gets from them, as pure rules. A task SLA's clock counts
 * business time (lib/domain/business-time.ts) from its start, less the
 * business time it spent paused; each warning and the breach is a threshold
 * of the target that fires once, never after the SLA completed. A case's
 * task SLAs are followed from its changes (`followCase`) and fired by the
 * timer sweep (`fireDue`); what fired is kept on the task, so doing either
 * again over the same state changes nothing.
 */
import { addBusinessSeconds, businessSecondsBetween, type Schedule } from './business-time.js';
import type { StoredCase } from './case.js';
import type { Priority } from './priority.js';
import type { Stage } from './stage-transitions.js';

export const SLA_KINDS = ['response', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];
/** What of a case its SLAs follow. */
export type SlaCase = Pick<StoredCase, 'priority' | 'queue' | 'proactive' | 'stage' | 'assignee' | 'createdAt'>;

export const TASK_SLA_STAGES = ['in_progress', 'paused', 'completed', 'cancelled'] as const;
export type TaskSlaStage = (typeof TASK_SLA_STAGES)[number];

export const MAX_SLA_DEFINITIONS = 100;
/** A target of at most a year. */
export const MAX_TARGET_MINUTES = 525_600;
export const DEFAULT_PAUSE_STAGES: readonly Stage[] = ['awaiting_info'];
export const DEFAULT_WARN_AT_PERCENT: readonly number[] = [50, 75];
/** The breach is the threshold at 100 % of the target. */
export const BREACH_PERCENT = 100;

/** An SLA definition (admin): which cases it applies to, its target and how its clock runs. */
export interface SlaDefinition {
  slaId: string;
  name: string;
  kind: SlaKind;
  priorities: Priority[];
  queues?: string[];
  proactive?: boolean;
  targetMinutes: number;
  schedule: Schedule;
  pauseStages: Stage[];
  warnAtPercent: number[];
  /** An SLA that starts to apply after a change (a new priority) counts from the case's creation. */
  retroactive: boolean;
}

/** A warning or the breach, as it fired: its threshold, when it was due and when it fired. */
export interface SlaFiring {
  percent: number;
  dueAt: string;
  at: string;
}

/** A case's SLA of one definition: the definition's terms as they were when it started, and its clock. */
export interface TaskSla {
  slaId: string;
  name: string;
  kind: SlaKind;
  targetMinutes: number;
  schedule: Schedule;
  pauseStages: Stage[];
  warnAtPercent: number[];
  stage: TaskSlaStage;
  startedAt: string;
  /** Business seconds spent in pauses that ended. */
  pausedSeconds: number;
  /** When the pause it is in began. */
  pausedAt?: string;
  /** When it completed or was cancelled. */
  endedAt?: string;
  /** When the target runs out (as of the last change: a pause moves it when it ends). */
  breachAt: string;
  hasBreached: boolean;
  /** Thresholds that fired, in order. */
  fired: SlaFiring[];
  /** Thresholds already past when the clock started (retroactively): recorded, not fired. */
  passed: number[];
}

/** A definition as written: what a POST or PUT left out takes its default. */
export const slaDefinitionWith = (slaId: string, input: Omit<SlaDefinition, 'slaId' | 'pauseStages' | 'warnAtPercent' | 'retroactive'> & Partial<SlaDefinition>): SlaDefinition => ({
  ...input,
  slaId,
  pauseStages: input.pauseStages ?? [...DEFAULT_PAUSE_STAGES],
  warnAtPercent: [...new Set(input.warnAtPercent ?? DEFAULT_WARN_AT_PERCENT)].sort((a, b) => a - b),
  retroactive: input.retroactive ?? true,
});

/** Whether a case falls under a definition (its priority, its queue if the definition names queues, proactive or not if it says). */
export function applies(definition: SlaDefinition, c: SlaCase): boolean {
  return (
    definition.priorities.includes(c.priority) &&
    (definition.queues === undefined || (c.queue !== undefined && definition.queues.includes(c.queue))) &&
    (definition.proactive === undefined || c.proactive === definition.proactive)
  );
}

/** Whether the case has done what the SLA asks: a response is an assignee or leaving `new`; a resolution is resolved or closed. */
const isMet = (kind: SlaKind, c: SlaCase) => (kind === 'response' ? c.assignee !== undefined || c.stage !== 'new' : c.stage === 'resolved' || c.stage === 'closed');

const isOpen = (task: TaskSla) => task.stage === 'in_progress' || task.stage === 'paused';
const thresholds = (task: Pick<TaskSla, 'warnAtPercent'>) => [...task.warnAtPercent.filter((p) => p < BREACH_PERCENT), BREACH_PERCENT];
const reached = (task: TaskSla) => new Set([...task.passed, ...task.fired.map((f) => f.percent)]);

/** When a threshold of the target is reached: that share of the target in business time after the start, plus the pauses. */
const thresholdAt = (task: TaskSla, percent: number) => addBusinessSeconds(task.startedAt, (task.targetMinutes * 60 * percent) / 100 + task.pausedSeconds, task.schedule);

/** When the next threshold of a running SLA is due (none while paused or over). */
export function nextDueAt(task: TaskSla): string | undefined {
  if (task.stage !== 'in_progress') return undefined;
  const done = reached(task);
  const next = thresholds(task).find((p) => !done.has(p));
  return next === undefined ? undefined : thresholdAt(task, next);
}

/** Whether a warning threshold is behind the SLA: one fired, or one passed when it started retroactively. */
const pastWarning = (t: TaskSla) => t.fired.some((f) => f.percent < BREACH_PERCENT) || t.passed.some((p) => p < BREACH_PERCENT);

/** What a list shows of a case's SLA (the inbox, case lists): which, its stage, when it breaches and whether it has. */
export const slaSummary = (t: TaskSla) => ({
  slaId: t.slaId,
  name: t.name,
  kind: t.kind,
  stage: t.stage,
  breachAt: t.breachAt,
  warned: pastWarning(t),
  hasBreached: t.hasBreached,
});
export type SlaSummary = ReturnType<typeof slaSummary>;

/** The nearest breach among a case's running SLAs (a paused one's is not yet known). */
export const nearestBreach = (slas: readonly Pick<TaskSla, 'stage' | 'breachAt'>[] | undefined): string | undefined =>
  slas
    ?.filter((s) => s.stage === 'in_progress')
    .map((s) => s.breachAt)
    .sort()[0];

/**
 * The breach a case is listed by (`GET /cases?slaBreached=`, `?slaDueBefore=`):
 * the nearest among its SLAs still on the clock, running, or paused after they
 * breached (a paused SLA that has not breached has no known breach yet).
 * None when no SLA of the case is on the clock.
 */
export const listedBreach = (tasks: readonly Pick<TaskSla, 'stage' | 'breachAt' | 'hasBreached'>[]): string | undefined =>
  tasks
    .filter((t) => t.stage === 'in_progress' || (t.stage === 'paused' && t.hasBreached))
    .map((t) => t.breachAt)
    .sort()[0];

/** The breach times a case list's SLA filters ask for, as of `at`: after (not at) `after`, up to and at `through`, before (not at) `before`. */
export interface BreachWindow {
  after?: string;
  through?: string;
  before?: string;
}

/**
 * `slaBreached=true`: a case's listed breach is at or before now;
 * `slaBreached=false`: after now (an SLA on the clock, none breached);
 * `slaDueBefore`: before that time (breached ones included, unless
 * `slaBreached=false` says otherwise).
 */
export function breachWindow(filters: { slaBreached?: boolean; slaDueBefore?: string }, at: string): BreachWindow {
  return {
    ...(filters.slaBreached === true ? { through: at } : {}),
    ...(filters.slaBreached === false ? { after: at } : {}),
    ...(filters.slaDueBefore !== undefined ? { before: filters.slaDueBefore } : {}),
  };
}

/** When the next threshold of any of a case's SLAs is due: what its timer is set to. */
export const nextDueOf = (tasks: readonly TaskSla[]): string | undefined =>
  tasks
    .map(nextDueAt)
    .filter((d): d is string => d !== undefined)
    .sort()[0];

/** Business seconds counted so far (at `at`, or when it ended), pauses left out. */
export function elapsedSeconds(task: TaskSla, at: string): number {
  const end = task.endedAt ?? at;
  const paused = task.pausedSeconds + (task.pausedAt ? businessSecondsBetween(task.pausedAt, end, task.schedule) : 0);
  return Math.max(0, businessSecondsBetween(task.startedAt, end, task.schedule) - paused);
}

/** A task SLA as the API shows it (SPEC §2), its clock read at `at`. */
export function taskSlaView(task: TaskSla, at: string) {
  const elapsed = elapsedSeconds(task, at);
  const paused = task.pausedSeconds + (task.pausedAt ? businessSecondsBetween(task.pausedAt, task.endedAt ?? at, task.schedule) : 0);
  return {
    slaId: task.slaId,
    name: task.name,
    kind: task.kind,
    targetMinutes: task.targetMinutes,
    stage: task.stage,
    startedAt: task.startedAt,
    breachAt: task.breachAt,
    elapsedSeconds: Math.round(elapsed),
    elapsedPercent: Math.round((elapsed / (task.targetMinutes * 60)) * 1000) / 10,
    pausedSeconds: Math.round(paused),
    warned: pastWarning(task),
    hasBreached: task.hasBreached,
    ...(task.endedAt ? { endedAt: task.endedAt } : {}),
  };
}

/** Fires what is due at `at` of a running SLA, warnings before the breach; nothing of one paused or over. */
export function fireDue(task: TaskSla, at: string): TaskSla {
  if (task.stage !== 'in_progress') return task;
  const done = reached(task);
  const fired = [...task.fired];
  for (const percent of thresholds(task)) {
    if (done.has(percent)) continue;
    const dueAt = thresholdAt(task, percent);
    if (dueAt > at) break;
    fired.push({ percent, dueAt, at });
  }
  if (fired.length === task.fired.length) return task;
  return { ...task, fired, hasBreached: task.hasBreached || fired.some((f) => f.percent === BREACH_PERCENT) };
}

/**
 * Starts a definition's SLA on a case at `at`. One the case already meets
 * starts completed, with nothing fired; one born past its thresholds
 * (retroactive) records them as passed, and a breach as fired (no warnings).
 */
function start(definition: SlaDefinition, c: SlaCase, at: string): TaskSla {
  const task: TaskSla = {
    slaId: definition.slaId,
    name: definition.name,
    kind: definition.kind,
    targetMinutes: definition.targetMinutes,
    schedule: definition.schedule,
    pauseStages: definition.pauseStages,
    warnAtPercent: definition.warnAtPercent,
    stage: 'in_progress',
    startedAt: definition.retroactive ? c.createdAt : at,
    pausedSeconds: 0,
    breachAt: '',
    hasBreached: false,
    fired: [],
    passed: [],
  };
  const started = { ...task, breachAt: thresholdAt(task, BREACH_PERCENT) };
  if (isMet(definition.kind, c)) return { ...started, stage: 'completed', endedAt: at };
  const past = thresholds(started).filter((p) => thresholdAt(started, p) <= at);
  const born: TaskSla = past.includes(BREACH_PERCENT)
    ? { ...started, passed: past.filter((p) => p !== BREACH_PERCENT), fired: [{ percent: BREACH_PERCENT, dueAt: started.breachAt, at }], hasBreached: true }
    : { ...started, passed: past };
  return definition.pauseStages.includes(c.stage) ? { ...born, stage: 'paused', pausedAt: at } : born;
}

/** Ends a running SLA at `at` (a pause in progress counts as paused up to then). */
function end(task: TaskSla, stage: 'completed' | 'cancelled', at: string): TaskSla {
  const { pausedAt, ...rest } = task;
  return { ...rest, stage, endedAt: at, pausedSeconds: task.pausedSeconds + (pausedAt ? businessSecondsBetween(pausedAt, at, task.schedule) : 0) };
}

/** One SLA through a change of its case at `at`: cancelled, completed, paused or resumed. */
function follow(task: TaskSla, c: SlaCase, stillApplies: boolean, at: string): TaskSla {
  if (!isOpen(task)) return task;
  if (c.stage === 'cancelled' || !stillApplies) return end(task, 'cancelled', at);
  if (isMet(task.kind, c)) return end(task, 'completed', at);
  const pauses = task.pauseStages.includes(c.stage);
  if (task.stage === 'in_progress' && pauses) return { ...task, stage: 'paused', pausedAt: at };
  if (task.stage === 'paused' && !pauses) {
    const { pausedAt, ...rest } = task;
    const resumed: TaskSla = { ...rest, stage: 'in_progress', pausedSeconds: task.pausedSeconds + businessSecondsBetween(pausedAt!, at, task.schedule) };
    return { ...resumed, breachAt: thresholdAt(resumed, BREACH_PERCENT) };
  }
  return task;
}

/**
 * A case's task SLAs after a change of it (`at`: when the change was made):
 * each open one followed, and one started for each definition the case
 * falls under now and has none running of (a cancelled one starts again;
 * a completed one stays completed, even when the case is reopened). A
 * settled or cancelled case starts none.
 */
export function followCase(definitions: readonly SlaDefinition[], tasks: readonly TaskSla[], c: SlaCase, at: string): TaskSla[] {
  const bySla = new Map(tasks.map((t) => [t.slaId, t]));
  const next = tasks.map((t) => {
    const definition = definitions.find((d) => d.slaId === t.slaId);
    return follow(t, c, definition !== undefined && applies(definition, c), at);
  });
  const startable = c.stage !== 'cancelled' && c.stage !== 'resolved' && c.stage !== 'closed';
  for (const definition of definitions) {
    const current = bySla.get(definition.slaId);
    if (!startable || !applies(definition, c) || (current && current.stage !== 'cancelled')) continue;
    const started = start(definition, c, at);
    if (current) next[next.findIndex((t) => t.slaId === definition.slaId)] = started;
    else next.push(started);
  }
  return next;
}

/** The firings of `after` that `before` did not have (what a change of a case's SLAs newly fired), with their SLA. */
export function newFirings(before: readonly TaskSla[], after: readonly TaskSla[]): { task: TaskSla; firing: SlaFiring }[] {
  const key = (t: TaskSla, f: SlaFiring) => `${t.slaId}|${t.startedAt}|${f.percent}`;
  const seen = new Set(before.flatMap((t) => t.fired.map((f) => key(t, f))));
  return after.flatMap((task) => task.fired.filter((f) => !seen.has(key(task, f))).map((firing) => ({ task, firing })));
}
