/**
 * The schedule (every 15 minutes by default): recalculates the impact of every
 * open alert, a page at a time with bounded concurrency, and records only real
 * changes. Failures of single alerts are logged and the run goes on; the run
 * fails at the end if any alert failed, so the dead-letter queue and its alarm
 * show it.
 */
import type { Context } from 'aws-lambda';
import { logger, observed } from '../../lib/observability.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { recalculateOpenAlerts } from '../../lib/usecases/impact.js';
import { AlertListRepository } from '../../lib/store/alert-lists.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { ImpactRepository } from '../../lib/store/impact.js';
import { InstallBaseRepository } from '../../lib/store/install-base.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';

/** Stop starting pages this long before Lambda would end the run. */
const MARGIN_MS = 60_000;

let repos: Repositories | undefined;

export const handler = observed(async (_event: unknown, context: Context) => {
  repos ??= repositoriesOf(storeFromEnv(), { alerts: AlertRepository, alertLists: AlertListRepository, impact: ImpactRepository, installBase: InstallBaseRepository, serviceMap: ServiceMapRepository });
  const outcome = await recalculateOpenAlerts(repos, {
    timeLeft: () => context.getRemainingTimeInMillis() - MARGIN_MS,
    onFailure: (alertId, error) => logger.error('impact recalculation failed', { alertId, error: error as Error }),
  });
  logger.info('impact recalculated', outcome);
  if (outcome.failed > 0) throw new Error(`Impact recalculation failed for ${outcome.failed} of ${outcome.evaluated} open alerts.`);
  return outcome;
});
