/** A case's install base routes: its affected items (add, remove, list), their health, and the case's details. */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { CiAlertRepository } from '../../lib/store/ci-alerts.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { InstallBaseRepository } from '../../lib/store/install-base.js';
import { CASE_INSTALL_BASE_API } from '../../lib/contract/operations/case-install-base.js';
import { httpHandler, json, type Handlers } from '../../lib/http/handler.js';
import {
  addCaseInstallBaseItem,
  caseDetails,
  caseInstallBaseView,
  refreshInstallBaseHealth,
  removeCaseInstallBaseItem,
} from '../../lib/usecases/case-install-base.js';

export const routes = {
  'GET /cases/{caseId}/affected-install-base': async ({ params, repos }) => json(200, caseInstallBaseView(await repos.cases.require(params.caseId))),
  'POST /cases/{caseId}/affected-install-base': async ({ params, body, user, ifMatch, repos }) => json(201, await addCaseInstallBaseItem(repos, params.caseId, body.installBaseItemId, user.sub, ifMatch)),
  'DELETE /cases/{caseId}/affected-install-base/{installBaseItemId}': async ({ params, user, ifMatch, repos }) => {
    await removeCaseInstallBaseItem(repos, params.caseId, params.installBaseItemId, user.sub, ifMatch);
    return { statusCode: 204 };
  },
  'POST /cases/{caseId}/install-base-health/refresh': async ({ params, repos }) => json(200, await refreshInstallBaseHealth(repos, params.caseId)),
  'GET /cases/{caseId}/details': async ({ params, repos }) => json(200, await caseDetails(repos, params.caseId)),
} satisfies Handlers<typeof CASE_INSTALL_BASE_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(CASE_INSTALL_BASE_API, routes, {
  auth: authorize,
  context: tableContext({
    cases: CaseRepository,
    installBase: InstallBaseRepository,
    ciAlerts: CiAlertRepository,
    alerts: AlertRepository,
    idempotency: IdempotencyRepository,
  }),
});
