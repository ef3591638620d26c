/** Team metrics: the summary a manager reads, from the counters the `metrics` stream function keeps. Read only. */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { METRICS_API } from '../../lib/contract/operations/metrics.js';
import { httpHandler, json, type Handlers } from '../../lib/http/handler.js';
import { MetricsRepository } from '../../lib/store/metrics.js';
import { metricsSummary } from '../../lib/usecases/metrics.js';

export const routes = {
  'GET /metrics/summary': async ({ query, repos }) => json(200, await metricsSummary(repos, query)),
} satisfies Handlers<typeof METRICS_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(METRICS_API, routes, { auth: authorize, context: tableContext({ metrics: MetricsRepository }) });
