/** Case routes: create, list, read, change, work notes, history, the case's alerts. */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseAlertRepository } from '../../lib/store/case-alerts.js';
import { CaseListRepository } from '../../lib/store/case-lists.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { HistoryRepository } from '../../lib/store/history.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { QueueRepository } from '../../lib/store/queues.js';
import { CASES_API } from '../../lib/contract/operations/cases.js';
import { historyResult, httpHandler, json, seenMark, versioned, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { caseView } from '../../lib/domain/case.js';
import { addWorkNote, caseHistory, createManualCase, getCase, listWorkNotes, updateCase } from '../../lib/usecases/cases.js';
import { attachAlerts, detachAlert, listCaseAlerts } from '../../lib/usecases/case-alerts.js';
import { acceptMajorCase, proposeMajorCase, rejectMajorCase } from '../../lib/usecases/major-case.js';

export const routes = {
  'POST /cases': async ({ body, user, idempotency, repos }) => versioned(201, caseView(await createManualCase(repos, body, user.sub, { idempotency }))),
  'GET /cases/{caseId}': async ({ params, repos }) => versioned(200, caseView(await getCase(repos, params.caseId))),
  'PATCH /cases/{caseId}': async ({ params, body, user, ifMatch, repos }) => versioned(200, caseView(await updateCase(repos, params.caseId, body, user.sub, ifMatch))),
  'POST /cases/{caseId}/work-notes': async ({ params, body, user, repos }) => json(201, await addWorkNote(repos, params.caseId, body.text, user.sub)),
  'GET /cases/{caseId}/work-notes': async ({ params, query, repos }) => json(200, await listWorkNotes(repos, params.caseId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'GET /cases/{caseId}/history': async ({ params, query, header, repos }) => {
    const seen = seenMark(header('if-none-match'));
    return historyResult(await caseHistory(repos, params.caseId, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor, order: query.order, seen }), seen);
  },
  'GET /cases/{caseId}/alerts': async ({ params, query, repos }) => json(200, await listCaseAlerts(repos, params.caseId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'POST /cases/{caseId}/alerts': async ({ params, body, user, repos }) => json(200, await attachAlerts(repos, params.caseId, body.alertIds, body.move ?? false, user.sub)),
  'DELETE /cases/{caseId}/alerts/{alertId}': async ({ params, user, repos }) => {
    await detachAlert(repos, params.caseId, params.alertId, user.sub);
    return { statusCode: 204 };
  },
  'POST /cases/{caseId}/major-case/propose': async ({ params, body, user, ifMatch, repos }) => versioned(200, caseView(await proposeMajorCase(repos, params.caseId, body.reason, user.sub, ifMatch))),
  'POST /cases/{caseId}/major-case/accept': async ({ params, user, ifMatch, repos }) => versioned(200, caseView(await acceptMajorCase(repos, params.caseId, user.sub, ifMatch))),
  'POST /cases/{caseId}/major-case/reject': async ({ params, body, user, ifMatch, repos }) => versioned(200, caseView(await rejectMajorCase(repos, params.caseId, body.reason, user.sub, ifMatch))),
} satisfies Handlers<typeof CASES_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(CASES_API, routes, {
  auth: authorize,
  context: tableContext({
    cases: CaseRepository,
    caseLists: CaseListRepository,
    caseAlerts: CaseAlertRepository,
    config: ConfigRepository,
    alerts: AlertRepository,
    queues: QueueRepository,
    idempotency: IdempotencyRepository,
    history: HistoryRepository,
  }),
});
