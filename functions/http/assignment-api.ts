/** Assignment routes: the inbox, presence and capacity, queues' waiting work and agents, accept and reject. */
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { AgentRepository } from '../../lib/store/agents.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { QueueRepository } from '../../lib/store/queues.js';
import { WorkItemRepository } from '../../lib/store/work-items.js';
import { CaseSlaRepository } from '../../lib/store/slas.js';
import { ASSIGNMENT_API } from '../../lib/contract/operations/assignment.js';
import { isAllowed } from '../../lib/contract/permissions.js';
import { httpHandler, json, versioned, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { pageOfList } from '../../lib/store/pagination.js';
import { acceptOffer, inbox, listAgents, queueWorkItems, rejectOffer, setAgent } from '../../lib/usecases/assignment.js';

export const routes = {
  'GET /inbox': async ({ user, repos }) => json(200, await inbox(repos, user.sub)),
  'PUT /users/{sub}': async ({ params, body, user, repos }) =>
    json(200, await setAgent(repos, params.sub === 'me' ? user.sub : params.sub, body, { sub: user.sub, manager: isAllowed(user.roles, 'team:manage') })),
  'GET /users': async ({ query, repos }) => json(200, pageOfList(await listAgents(repos, query.queue), (a) => a.sub, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'GET /queues/{queueId}/work-items': async ({ params, query, repos }) => json(200, await queueWorkItems(repos, params.queueId, query.state, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'POST /work-items/{workItemId}/accept': async ({ params, user, repos }) => versioned(200, await acceptOffer(repos, params.workItemId, user.sub)),
  'POST /work-items/{workItemId}/reject': async ({ params, body, user, repos }) => json(200, await rejectOffer(repos, params.workItemId, user.sub, body.reason)),
} satisfies Handlers<typeof ASSIGNMENT_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(ASSIGNMENT_API, routes, {
  auth: authorize,
  context: tableContext({ agents: AgentRepository, workItems: WorkItemRepository, cases: CaseRepository, queues: QueueRepository, caseSlas: CaseSlaRepository, idempotency: IdempotencyRepository }),
});
