/**
 * The metrics roll-up (every 15 minutes): seals the days of team metrics that
 * are over (a summary then reads one small value a day instead of the day's
 * count map) and reseals days written since; and gives CloudWatch the open
 * cases now (TeamBacklog, the dashboard's backlog line).
 */
import { logger, metrics, MetricUnit, observed } from '../../lib/observability.js';
import { TEAM_FIGURES } from '../../lib/observability-names.js';
import { MetricsRepository } from '../../lib/store/metrics.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';
import { rollUpMetrics } from '../../lib/usecases/metrics.js';

let repos: Repositories | undefined;

export const handler = observed(async () => {
  repos ??= repositoriesOf(storeFromEnv(), { metrics: MetricsRepository });
  const outcome = await rollUpMetrics(repos);
  metrics.addMetric(TEAM_FIGURES.backlog, MetricUnit.Count, outcome.backlog);
  if (outcome.sealed.length) logger.info('metrics days sealed', { days: outcome.sealed });
  return outcome;
});
