/** Service map and install base routes: bulk imports and reads. */
import { tableContext } from '../../lib/http/table-context.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { InstallBaseRepository } from '../../lib/store/install-base.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { httpHandler, json, route } from '../../lib/http/handler.js';
import { AccountIdParams, CiIdParams, DEFAULT_PAGE_SIZE, InstallBaseImportBody, PageQuery, ServiceMapImportBody } from '../../lib/http/schemas.js';
import { ciView } from '../../lib/usecases/impact.js';
import { accountInstallBase, importInstallBase, importServiceMap } from '../../lib/usecases/imports.js';

export const routes = {
  'POST /service-map/import': route({
    body: ServiceMapImportBody,
    async handle({ body, repos }) {
      return json(200, await importServiceMap(repos, body));
    },
  }),
  'GET /cis/{ciId}': route({
    params: CiIdParams,
    async handle({ params, repos }) {
      return json(200, await ciView(repos, params.ciId));
    },
  }),
  'POST /install-base/import': route({
    body: InstallBaseImportBody,
    async handle({ body, repos }) {
      return json(200, await importInstallBase(repos, body));
    },
  }),
  'GET /accounts/{accountId}/install-base': route({
    params: AccountIdParams,
    query: PageQuery,
    async handle({ params, query, repos }) {
      return json(200, await accountInstallBase(repos, params.accountId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    },
  }),
};

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler('catalog-api', routes, {
  context: tableContext({
    serviceMap: ServiceMapRepository,
    installBase: InstallBaseRepository,
    idempotency: IdempotencyRepository,
  }),
});
