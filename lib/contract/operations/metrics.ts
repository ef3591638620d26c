/** The operations `metrics-api` serves: team metrics. */
import { operations, ok } from '../operation.js';
import { MAX_SUMMARY_DAYS, MetricsSummaryQuery } from '../schemas.js';
import * as res from '../responses.js';

export const METRICS_API = operations('metrics-api', {
  'GET /metrics/summary': {
    permission: 'metrics:read',
    query: MetricsSummaryQuery,
    doc: CONTRACT_DOCS && {
      summary: 'Team metrics',
      description: `Counted from every change as the stream delivers it; read from the counters alone (one item per day and the backlog). \`from\` and \`to\` are UTC dates, both included, at most ${MAX_SUMMARY_DAYS} days. \`queue\` and \`priority\` filter cases, SLAs and the backlog; \`source\` filters cases (by the alert they were made from) and alerts. Cases count on the day of each event; alerts on the day they were raised, so \`rate\` is a share of those alerts.`,
      success: [ok(res.MetricsSummary, 'Totals, per day, MTTA and MTTR, SLA compliance, backlog and conversion by source')],
    },
  },
});
