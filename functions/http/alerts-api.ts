/** Alert routes: raise, list, read, change state, convert to a case (one or many), history. */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { AlertListRepository } from '../../lib/store/alert-lists.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseAlertRepository } from '../../lib/store/case-alerts.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { HistoryRepository } from '../../lib/store/history.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { PlaybookRepository } from '../../lib/store/playbooks.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { SourceRepository } from '../../lib/store/sources.js';
import { ALERTS_API } from '../../lib/contract/operations/alerts.js';
import { historyResult, httpHandler, json, seenMark, versioned, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { alertHistory, changeAlertState, raiseApiAlert } from '../../lib/usecases/alerts.js';
import { convertAlertToCase } from '../../lib/usecases/cases.js';
import { convertAlerts } from '../../lib/usecases/case-alerts.js';
import { caseView } from '../../lib/domain/case.js';

export const routes = {
  'POST /alerts': async ({ body, user, repos }) => {
    const { alert, outcome } = await raiseApiAlert(repos, body, user.sub);
    return versioned(outcome === 'created' ? 201 : 200, alert);
  },
  'GET /alerts': async ({ query: { limit, cursor, ...filters }, repos }) => json(200, await repos.alertLists.list(filters, limit ?? DEFAULT_PAGE_SIZE, cursor)),
  'GET /alerts/{alertId}': async ({ params, repos }) => versioned(200, await repos.alerts.require(params.alertId)),
  'PATCH /alerts/{alertId}': async ({ params, body, user, ifMatch, repos }) => versioned(200, await changeAlertState(repos, params.alertId, body.state, user.sub, ifMatch)),
  'POST /alerts/{alertId}/case': async ({ params, body, user, idempotency, repos }) => versioned(201, caseView(await convertAlertToCase(repos, params.alertId, body, user.sub, { idempotency }))),
  'POST /alerts/convert': async ({ body: { alertIds, mode, ...input }, user, repos }) => json(200, { results: await convertAlerts(repos, alertIds, mode, input, user.sub) }),
  'GET /alerts/{alertId}/history': async ({ params, query, header, repos }) => {
    const seen = seenMark(header('if-none-match'));
    return historyResult(await alertHistory(repos, params.alertId, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor, order: query.order, seen }), seen);
  },
} satisfies Handlers<typeof ALERTS_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(ALERTS_API, routes, {
  auth: authorize,
  context: tableContext({
    alerts: AlertRepository,
    alertLists: AlertListRepository,
    cases: CaseRepository,
    caseAlerts: CaseAlertRepository,
    config: ConfigRepository,
    playbooks: PlaybookRepository,
    serviceMap: ServiceMapRepository,
    idempotency: IdempotencyRepository,
    history: HistoryRepository,
    sources: SourceRepository,
  }),
});
