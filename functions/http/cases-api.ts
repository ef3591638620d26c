/** Case routes: create, list, read, change, work notes, history, the case's alerts. */
import { tableContext } from '../../lib/http/table-context.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseAlertRepository } from '../../lib/store/case-alerts.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { HistoryRepository } from '../../lib/store/history.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { CiAlertRepository } from '../../lib/store/ci-alerts.js';
import { InstallBaseRepository } from '../../lib/store/install-base.js';
import { QueueRepository } from '../../lib/store/queues.js';
import { CASES_API } from '../../lib/contract/operations/cases.js';
import { httpHandler, json, replayed, versioned, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { caseView } from '../../lib/domain/case.js';
import {
  addCaseInstallBaseItem,
  caseDetails,
  caseInstallBaseView,
  refreshInstallBaseHealth,
  removeCaseInstallBaseItem,
} from '../../lib/usecases/case-install-base.js';
import { addWorkNote, createManualCase, getCase, updateCase } from '../../lib/usecases/cases.js';
import { attachAlerts, detachAlert, listCaseAlerts } from '../../lib/usecases/case-alerts.js';
import { acceptMajorCase, proposeMajorCase, rejectMajorCase } from '../../lib/usecases/major-case.js';

export const routes = {
  'POST /cases': async ({ body, user, idempotency, repos }) => {
    const outcome = await createManualCase(repos, body, user.sub, {
      idempotency: idempotency && { request: idempotency, respond: (c) => versioned(201, caseView(c)) },
    });
    return outcome.replay ? replayed(outcome.replay) : versioned(201, caseView(outcome.result));
  },
  'GET /cases': async ({ query: { limit, cursor, ...filters }, repos }) => {
    const page = await repos.cases.list(filters, limit ?? DEFAULT_PAGE_SIZE, cursor);
    return json(200, { ...page, items: page.items.map(caseView) });
  },
  'GET /cases/{caseId}': async ({ params, repos }) => versioned(200, caseView(await getCase(repos, params.caseId))),
  'PATCH /cases/{caseId}': async ({ params, body, user, ifMatch, repos }) => versioned(200, caseView(await updateCase(repos, params.caseId, body, user.sub, ifMatch))),
  'POST /cases/{caseId}/work-notes': async ({ params, body, user, repos }) => json(201, await addWorkNote(repos, params.caseId, body.text, user.sub)),
  'GET /cases/{caseId}/work-notes': async ({ params, query, repos }) => {
    await repos.cases.require(params.caseId);
    return json(200, await repos.cases.listWorkNotes(params.caseId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
  },
  'GET /cases/{caseId}/history': async ({ params, query, repos }) => {
    await repos.cases.require(params.caseId);
    return json(200, await repos.history.list({ kind: 'case', id: params.caseId }, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
  },
  'GET /cases/{caseId}/alerts': async ({ params, query, repos }) => json(200, await listCaseAlerts(repos, params.caseId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'POST /cases/{caseId}/alerts': async ({ params, body, user, repos }) => json(200, await attachAlerts(repos, params.caseId, body.alertIds, body.move ?? false, user.sub)),
  'DELETE /cases/{caseId}/alerts/{alertId}': async ({ params, user, repos }) => {
    await detachAlert(repos, params.caseId, params.alertId, user.sub);
    return { statusCode: 204 };
  },
  'GET /cases/{caseId}/affected-install-base': async ({ params, repos }) => json(200, caseInstallBaseView(await repos.cases.require(params.caseId))),
  'POST /cases/{caseId}/affected-install-base': async ({ params, body, user, ifMatch, repos }) => json(201, await addCaseInstallBaseItem(repos, params.caseId, body.installBaseItemId, user.sub, ifMatch)),
  'DELETE /cases/{caseId}/affected-install-base/{installBaseItemId}': async ({ params, user, ifMatch, repos }) => {
    await removeCaseInstallBaseItem(repos, params.caseId, params.installBaseItemId, user.sub, ifMatch);
    return { statusCode: 204 };
  },
  'POST /cases/{caseId}/install-base-health/refresh': async ({ params, repos }) => json(200, await refreshInstallBaseHealth(repos, params.caseId)),
  'GET /cases/{caseId}/details': async ({ params, repos }) => json(200, await caseDetails(repos, params.caseId)),
  'POST /cases/{caseId}/major-case/propose': async ({ params, body, user, ifMatch, repos }) => versioned(200, caseView(await proposeMajorCase(repos, params.caseId, body.reason, user.sub, ifMatch))),
  'POST /cases/{caseId}/major-case/accept': async ({ params, user, ifMatch, repos }) => versioned(200, caseView(await acceptMajorCase(repos, params.caseId, user.sub, ifMatch))),
  'POST /cases/{caseId}/major-case/reject': async ({ params, body, user, ifMatch, repos }) => versioned(200, caseView(await rejectMajorCase(repos, params.caseId, body.reason, user.sub, ifMatch))),
} satisfies Handlers<typeof CASES_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(CASES_API, routes, {
  context: tableContext({
    cases: CaseRepository,
    caseAlerts: CaseAlertRepository,
    config: ConfigRepository,
    alerts: AlertRepository,
    queues: QueueRepository,
    idempotency: IdempotencyRepository,
    history: HistoryRepository,
    installBase: InstallBaseRepository,
    ciAlerts: CiAlertRepository,
  }),
});
