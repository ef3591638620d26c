/** Service-level routes: SLA definitions, and a case's task SLAs. */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { SLA_API } from '../../lib/contract/operations/slas.js';
import { httpHandler, json, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { pageOfList } from '../../lib/store/pagination.js';
import { CaseSlaRepository, SlaDefinitionRepository } from '../../lib/store/slas.js';
import { caseSlas, createSlaDefinition, deleteSlaDefinition, getSlaDefinition, listSlaDefinitions, replaceSlaDefinition } from '../../lib/usecases/slas.js';

export const routes = {
  'GET /slas': async ({ query, repos }) => json(200, pageOfList(await listSlaDefinitions(repos), (d) => d.slaId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'POST /slas': async ({ body, user, repos }) => json(201, await createSlaDefinition(repos, body, user.sub)),
  'GET /slas/{slaId}': async ({ params, repos }) => json(200, await getSlaDefinition(repos, params.slaId)),
  'PUT /slas/{slaId}': async ({ params, body, user, repos }) => json(200, await replaceSlaDefinition(repos, params.slaId, body, user.sub)),
  'DELETE /slas/{slaId}': async ({ params, repos }) => {
    await deleteSlaDefinition(repos, params.slaId);
    return { statusCode: 204 };
  },
  'GET /cases/{caseId}/slas': async ({ params, repos }) => json(200, await caseSlas(repos, params.caseId)),
} satisfies Handlers<typeof SLA_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(SLA_API, routes, {
  auth: authorize,
  context: tableContext({ slaDefinitions: SlaDefinitionRepository, caseSlas: CaseSlaRepository }),
});
