/** Refreshing and reading an alert's impact: impacted CIs and affected install base (SPEC §2, §4). */
import { OPEN_ALERT_STATES } from '../domain/alert.js';
import { NotFound } from '../domain/errors.js';
import { clock } from '../clock.js';
import { mapLimit } from '../concurrency.js';
import { impactedCisOf, DEFAULT_MAX_DEPTH, type ImpactedCi } from '../domain/impact.js';
import { groupByAccount, type AccountGroup, type AffectedItem } from '../domain/install-base.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';
import { metrics, MetricUnit } from '../observability.js';
import { invalidCursor } from '../store/pagination.js';

export interface ImpactView {
  alertId: string;
  refreshedAt: string | null;
  truncated: boolean;
  impactedCis: ImpactedCi[];
  /** More impacted CIs than `impactedCis`: the cursor for GET /alerts/{alertId}/impacted-cis. */
  nextCursor: string | null;
  affectedInstallBase: AccountGroup[];
}

export interface RefreshOptions {
  /** The schedule records only real changes; a person's refresh always records the refresh. */
  onlyIfChanged?: boolean;
  maxDepth?: number;
  /** When the walk must stop (epoch ms); default REFRESH_WALK_MS from now. */
  walkDeadline?: number;
  /** When writing the impact must stop (epoch ms); default REFRESH_MS from the start. */
  deadline?: number;
}

/**
 * How long a refresh may look things up and write: writing stops then (what
 * was written is the impact, truncated), inside an API function's 8 s for the
 * database (SPEC §4). Removing the generations it replaced gets
 * REFRESH_CLEANUP_MS more; what is left then goes with a later refresh.
 */
export const REFRESH_MS = 6000;
export const REFRESH_CLEANUP_MS = 1000;

/**
 * How long a refresh may walk the service map: what it found by then is the
 * answer, `truncated`. Looking up the install base on what it found gets half
 * of what is left until REFRESH_MS, writing it the rest.
 */
export const REFRESH_WALK_MS = 3000;

/** CIs whose install base is looked up, and impacted CIs written, however late it is: one wave of each. */
const FIRST_WAVE = 400;

export const maxDepthFromEnv = () => Number(process.env.IMPACT_MAX_DEPTH) || DEFAULT_MAX_DEPTH;

/**
 * The impacted CIs whose install base was looked up by `deadline` (the first
 * ones, in walk order: all of them when there was time), and the install base
 * items on them with their accounts.
 */
export async function affectedItemsOf(repos: Repositories, impactedCis: ImpactedCi[], deadline?: number): Promise<{ impactedCis: ImpactedCi[]; affected: AffectedItem[] }> {
  const { items, lookedUp } = await repos.installBase.onCis(
    impactedCis.map((c) => c.ciId),
    { deadline, atLeast: FIRST_WAVE },
  );
  const accounts = await repos.installBase.accounts([...new Set(items.map((i) => i.accountId))]);
  return {
    impactedCis: lookedUp < impactedCis.length ? impactedCis.slice(0, lookedUp) : impactedCis,
    affected: items.flatMap((item) => {
      const account = accounts.get(item.accountId);
      return account ? [{ ...item, accountName: account.name, accountType: account.type }] : [];
    }),
  };
}

/**
 * Refreshes an alert's impact (SPEC §2, §4): the walk, the install base on
 * what it found, the new generation written and switched to, the replaced
 * ones removed; each step stops at its deadline (by `clock`), and a step cut
 * short leaves a smaller impact that is whole (each listed CI with its
 * install base) and says `truncated`.
 */
export async function refreshImpact(
  repos: Repositories,
  alertId: string,
  actor: Actor,
  options: RefreshOptions = {},
): Promise<ImpactView & { changed: boolean; affected: AffectedItem[] }> {
  const started = clock.now();
  const { alert, ...current } = await repos.impact.ofAlert(alertId);
  const deadline = options.deadline ?? started + REFRESH_MS;
  const walkDeadline = options.walkDeadline ?? Math.min(deadline, started + REFRESH_WALK_MS);
  const walk = await impactedCisOf(alert.ciId as string | undefined, repos.serviceMap, {
    maxDepth: options.maxDepth ?? maxDepthFromEnv(),
    outOfTime: () => clock.now() > walkDeadline,
    readUntil: walkDeadline,
  });
  const walked = clock.now();
  const found = await affectedItemsOf(repos, walk.impactedCis, walked + Math.max(0, deadline - walked) / 2);
  metrics.addMetric('ImpactedCis', MetricUnit.Count, found.impactedCis.length);
  metrics.addMetric('AffectedInstallBaseItems', MetricUnit.Count, found.affected.length);
  metrics.addMetric('ImpactWalkWaves', MetricUnit.Count, walk.waves);
  const saved = await repos.impact.save(
    alertId,
    current,
    { impactedCis: found.impactedCis, affected: found.affected, truncated: walk.truncated || found.impactedCis.length < walk.impactedCis.length },
    { at: now(), actor, onlyIfChanged: options.onlyIfChanged ?? false, deadline, cleanupDeadline: Math.max(deadline, clock.now()) + REFRESH_CLEANUP_MS },
  );
  const { impactedCis, affected } = saved.stored;
  const firstPage =
    impactedCis.length <= REFRESH_PAGE
      ? { items: impactedCis, nextCursor: null }
      : await repos.impact.impactedCis(alertId, saved.summary.generation, REFRESH_PAGE);
  return {
    alertId,
    refreshedAt: saved.summary.refreshedAt,
    truncated: saved.summary.truncated,
    impactedCis: firstPage.items,
    /** More impacted CIs than one page: `GET /alerts/{alertId}/impacted-cis?cursor=` goes on. */
    nextCursor: firstPage.nextCursor,
    affectedInstallBase: groupByAccount(affected),
    changed: saved.changed,
    affected,
  };
}

export async function impactedCisView(repos: Repositories, alertId: string, limit: number, cursor?: string) {
  for (let attempt = 1; ; attempt++) {
    const { summary } = await repos.impact.ofAlert(alertId);
    // Before a first refresh there is no list for a cursor to belong to.
    if (!summary && cursor !== undefined) throw invalidCursor();
    const page = summary ? await repos.impact.impactedCis(alertId, summary.generation, limit, cursor) : { items: [], nextCursor: null };
    // A refresh (the schedule's) switched generations between the two reads and removed the one read: read again.
    if (summary && summary.impactedCis > 0 && page.items.length === 0 && cursor === undefined && attempt < 3) continue;
    return {
      alertId,
      refreshedAt: summary?.refreshedAt ?? null,
      truncated: summary?.truncated ?? false,
      impactedCis: page.items,
      nextCursor: page.nextCursor,
    };
  }
}

/** The impacted CIs a refresh answers with: all of them when they fit one page, else the first page and a cursor for the rest. */
export const REFRESH_PAGE = 100;

export async function affectedInstallBaseView(repos: Repositories, alertId: string) {
  const { summary, affected } = await repos.impact.ofAlert(alertId);
  return { alertId, refreshedAt: summary?.refreshedAt ?? null, affectedInstallBase: groupByAccount(affected) };
}

export async function ciView(repos: Repositories, ciId: string) {
  const ci = await repos.serviceMap.get(ciId);
  if (!ci) throw new NotFound(`CI '${ciId}' is not in the service map.`);
  return ci;
}

const SCHEDULE_CONCURRENCY = 8;

export interface RecalculationOptions {
  maxDepth?: number;
  /** Milliseconds left before the run must stop (Lambda's remaining time less a margin). */
  timeLeft?: () => number;
  onFailure?: (alertId: string, error: unknown) => void;
}

/**
 * Recalculates every open alert's impact (the schedule), writing only where it
 * changed. One alert that fails is counted and the run goes on; a run that
 * runs out of time stops between pages and says how far it got.
 */
export async function recalculateOpenAlerts(repos: Repositories, options: RecalculationOptions = {}) {
  let evaluated = 0;
  let changed = 0;
  let failed = 0;
  let stoppedEarly = false;
  for (const state of OPEN_ALERT_STATES) {
    let cursor: string | undefined;
    do {
      if (options.timeLeft && options.timeLeft() <= 0) {
        stoppedEarly = true;
        break;
      }
      const page = await repos.alertLists.list({ state }, 100, cursor);
      const outcomes = await mapLimit(page.items, SCHEDULE_CONCURRENCY, async (alert) => {
        try {
          const left = Math.max(0, options.timeLeft?.() ?? Infinity);
          const timing = { walkDeadline: clock.now() + Math.min(REFRESH_WALK_MS, left / 2), deadline: clock.now() + Math.min(REFRESH_MS, left) };
          return (await refreshImpact(repos, alert.alertId, 'schedule', { onlyIfChanged: true, maxDepth: options.maxDepth, ...timing })).changed ? 'changed' : 'same';
        } catch (error) {
          if (error instanceof NotFound) return 'same';
          options.onFailure?.(alert.alertId, error);
          return 'failed';
        }
      });
      evaluated += page.items.length;
      changed += outcomes.filter((o) => o === 'changed').length;
      failed += outcomes.filter((o) => o === 'failed').length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (stoppedEarly) break;
  }
  return { evaluated, changed, failed, stoppedEarly };
}
