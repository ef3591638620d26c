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
import { CASES_API_ROUTES } from '../../lib/http/routes/cases-api.js';
import { httpHandler, json, replayed, route, versioned } from '../../lib/http/handler.js';
import {
  AddInstallBaseItemBody,
  AttachAlertsBody,
  CaseAlertParams,
  CaseIdOrNumberParams,
  CaseItemParams,
  CaseIdParams,
  CaseListQuery,
  CreateCaseBody,
  DEFAULT_PAGE_SIZE,
  PageQuery,
  ProposeMajorCaseBody,
  RejectMajorCaseBody,
  UpdateCaseBody,
  WorkNoteBody,
} from '../../lib/contract/schemas.js';
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
  'POST /cases': route({
    body: CreateCaseBody,
    idempotency: 'native',
    async handle({ body, user, idempotency, repos }) {
      const outcome = await createManualCase(repos, body, user.sub, {
        idempotency: idempotency && { request: idempotency, respond: (c) => versioned(201, caseView(c)) },
      });
      return outcome.replay ? replayed(outcome.replay) : versioned(201, caseView(outcome.result));
    },
  }),
  'GET /cases': route({
    query: CaseListQuery,
    async handle({ query: { limit, cursor, ...filters }, repos }) {
      const page = await repos.cases.list(filters, limit ?? DEFAULT_PAGE_SIZE, cursor);
      return json(200, { ...page, items: page.items.map(caseView) });
    },
  }),
  'GET /cases/{caseId}': route({
    params: CaseIdOrNumberParams,
    async handle({ params, repos }) {
      return versioned(200, caseView(await getCase(repos, params.caseId)));
    },
  }),
  'PATCH /cases/{caseId}': route({
    params: CaseIdParams,
    body: UpdateCaseBody,
    async handle({ params, body, user, ifMatch, repos }) {
      return versioned(200, caseView(await updateCase(repos, params.caseId, body, user.sub, ifMatch)));
    },
  }),
  'POST /cases/{caseId}/work-notes': route({
    params: CaseIdParams,
    body: WorkNoteBody,
    async handle({ params, body, user, repos }) {
      return json(201, await addWorkNote(repos, params.caseId, body.text, user.sub));
    },
  }),
  'GET /cases/{caseId}/work-notes': route({
    params: CaseIdParams,
    query: PageQuery,
    async handle({ params, query, repos }) {
      await repos.cases.require(params.caseId);
      return json(200, await repos.cases.listWorkNotes(params.caseId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    },
  }),
  'GET /cases/{caseId}/history': route({
    params: CaseIdParams,
    query: PageQuery,
    async handle({ params, query, repos }) {
      await repos.cases.require(params.caseId);
      return json(200, await repos.history.list({ kind: 'case', id: params.caseId }, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    },
  }),
  'GET /cases/{caseId}/alerts': route({
    params: CaseIdParams,
    query: PageQuery,
    async handle({ params, query, repos }) {
      return json(200, await listCaseAlerts(repos, params.caseId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    },
  }),
  'POST /cases/{caseId}/alerts': route({
    params: CaseIdParams,
    body: AttachAlertsBody,
    async handle({ params, body, user, repos }) {
      return json(200, await attachAlerts(repos, params.caseId, body.alertIds, body.move ?? false, user.sub));
    },
  }),
  'DELETE /cases/{caseId}/alerts/{alertId}': route({
    params: CaseAlertParams,
    async handle({ params, user, repos }) {
      await detachAlert(repos, params.caseId, params.alertId, user.sub);
      return { statusCode: 204 };
    },
  }),
  'GET /cases/{caseId}/affected-install-base': route({
    params: CaseIdParams,
    async handle({ params, repos }) {
      return json(200, caseInstallBaseView(await repos.cases.require(params.caseId)));
    },
  }),
  'POST /cases/{caseId}/affected-install-base': route({
    params: CaseIdParams,
    body: AddInstallBaseItemBody,
    async handle({ params, body, user, ifMatch, repos }) {
      return json(201, await addCaseInstallBaseItem(repos, params.caseId, body.installBaseItemId, user.sub, ifMatch));
    },
  }),
  'DELETE /cases/{caseId}/affected-install-base/{installBaseItemId}': route({
    params: CaseItemParams,
    async handle({ params, user, ifMatch, repos }) {
      await removeCaseInstallBaseItem(repos, params.caseId, params.installBaseItemId, user.sub, ifMatch);
      return { statusCode: 204 };
    },
  }),
  'POST /cases/{caseId}/install-base-health/refresh': route({
    params: CaseIdParams,
    async handle({ params, repos }) {
      return json(200, await refreshInstallBaseHealth(repos, params.caseId));
    },
  }),
  'GET /cases/{caseId}/details': route({
    params: CaseIdParams,
    async handle({ params, repos }) {
      return json(200, await caseDetails(repos, params.caseId));
    },
  }),
  'POST /cases/{caseId}/major-case/propose': route({
    params: CaseIdParams,
    body: ProposeMajorCaseBody,
    async handle({ params, body, user, ifMatch, repos }) {
      return versioned(200, caseView(await proposeMajorCase(repos, params.caseId, body.reason, user.sub, ifMatch)));
    },
  }),
  'POST /cases/{caseId}/major-case/accept': route({
    params: CaseIdParams,
    async handle({ params, user, ifMatch, repos }) {
      return versioned(200, caseView(await acceptMajorCase(repos, params.caseId, user.sub, ifMatch)));
    },
  }),
  'POST /cases/{caseId}/major-case/reject': route({
    params: CaseIdParams,
    body: RejectMajorCaseBody,
    async handle({ params, body, user, ifMatch, repos }) {
      return versioned(200, caseView(await rejectMajorCase(repos, params.caseId, body.reason, user.sub, ifMatch)));
    },
  }),
};

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(CASES_API_ROUTES, routes, {
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
