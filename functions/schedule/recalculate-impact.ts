/**
 * The schedule (every 15 minutes by default): recalculates the impact of every
 * open alert, a page at a time with bounded concurrency, and records only real
 * changes.
 */
import { storeFromEnv } from '../../lib/store/store.js';
import { logger } from '../../lib/observability.js';
import { repositoriesFor, type Repositories } from '../../lib/usecases/context.js';
import { recalculateOpenAlerts } from '../../lib/usecases/impact.js';

let repos: Repositories | undefined;

export const handler = async () => {
  repos ??= repositoriesFor(storeFromEnv());
  const outcome = await recalculateOpenAlerts(repos);
  logger.info('impact recalculated', outcome);
  return outcome;
};
