/** Service map and install base routes: bulk imports and reads, and an alert's impact on them (refresh, impacted CIs, affected install base). */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { ImpactRepository } from '../../lib/store/impact.js';
import { InstallBaseRepository } from '../../lib/store/install-base.js';
import { ServiceMapImportRepository } from '../../lib/store/service-map-import.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { CATALOG_API } from '../../lib/contract/operations/catalog.js';
import { httpHandler, json, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { affectedInstallBaseView, ciView, impactedCisView, refreshImpact } from '../../lib/usecases/impact.js';
import { accountInstallBase, findAccounts, importInstallBase, importServiceMap } from '../../lib/usecases/imports.js';

export const routes = {
  'POST /service-map/import': async ({ body, repos }) => json(200, await importServiceMap(repos, body)),
  'GET /cis/{ciId}': async ({ params, repos }) => json(200, await ciView(repos, params.ciId)),
  'POST /install-base/import': async ({ body, repos }) => json(200, await importInstallBase(repos, body)),
  'GET /accounts': async ({ query, repos }) => json(200, await findAccounts(repos, query.q, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'GET /accounts/{accountId}/install-base': async ({ params, query, repos }) => json(200, await accountInstallBase(repos, params.accountId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'POST /alerts/{alertId}/impact/refresh': async ({ params, user, repos }) => {
    const { changed: _changed, affected: _affected, ...view } = await refreshImpact(repos, params.alertId, user.sub);
    return json(200, view);
  },
  'GET /alerts/{alertId}/impacted-cis': async ({ params, query, repos }) => json(200, await impactedCisView(repos, params.alertId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'GET /alerts/{alertId}/affected-install-base': async ({ params, repos }) => json(200, await affectedInstallBaseView(repos, params.alertId)),
} satisfies Handlers<typeof CATALOG_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(CATALOG_API, routes, {
  auth: authorize,
  context: tableContext({
    serviceMap: ServiceMapRepository,
    serviceMapImports: ServiceMapImportRepository,
    installBase: InstallBaseRepository,
    idempotency: IdempotencyRepository,
    alerts: AlertRepository,
    impact: ImpactRepository,
  }),
});
