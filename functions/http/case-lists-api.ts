/** The case list: by its filters, or by SLA breach; each case with its SLAs in brief. Read only. */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { CASE_LISTS_API } from '../../lib/contract/operations/case-lists.js';
import { httpHandler, json, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { CaseListRepository } from '../../lib/store/case-lists.js';
import { CaseSlaRepository } from '../../lib/store/slas.js';
import { listCases } from '../../lib/usecases/cases.js';

export const routes = {
  'GET /cases': async ({ query: { limit, cursor, ...filters }, repos }) => json(200, await listCases(repos, filters, limit ?? DEFAULT_PAGE_SIZE, cursor)),
} satisfies Handlers<typeof CASE_LISTS_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(CASE_LISTS_API, routes, {
  auth: authorize,
  context: tableContext({ caseLists: CaseListRepository, caseSlas: CaseSlaRepository }),
});
