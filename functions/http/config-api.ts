/** Configuration routes: queues, the proactive case rule, the case-sync rule, playbooks, integrations. */
import { inEvaluationOrder } from '../../lib/domain/playbooks.js';
import { authorize } from '../../lib/http/auth.js';
import { tableContext } from '../../lib/http/table-context.js';
import { AlertListRepository } from '../../lib/store/alert-lists.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { IdempotencyRepository } from '../../lib/store/idempotency.js';
import { IntegrationRepository } from '../../lib/store/integrations.js';
import { PlaybookRepository } from '../../lib/store/playbooks.js';
import { QueueRepository } from '../../lib/store/queues.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { CONFIG_API } from '../../lib/contract/operations/config.js';
import { httpHandler, json, type Handlers } from '../../lib/http/handler.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/contract/schemas.js';
import { pageOfList } from '../../lib/store/pagination.js';
import { now } from '../../lib/usecases/context.js';
import { createPlaybook, deletePlaybook, replacePlaybook, requirePlaybook, testPlaybook } from '../../lib/usecases/playbooks.js';
import { setProactiveRule } from '../../lib/usecases/proactive.js';
import { createIntegration, revokeIntegration } from '../../lib/usecases/integrations.js';

export const routes = {
  'GET /queues': async ({ query, repos }) => json(200, pageOfList(await repos.queues.list(), (q) => q.queueId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'PUT /queues/{queueId}': async ({ params, body, user, repos }) => json(200, await repos.queues.put({ ...body, queueId: params.queueId }, { at: now(), actor: user.sub })),
  'GET /rules/proactive-case': async ({ repos }) => json(200, await repos.config.proactiveRule()),
  'PUT /rules/proactive-case': async ({ body, user, repos }) => json(200, await setProactiveRule(repos, body.enabled, user.sub)),
  'GET /rules/case-sync': async ({ repos }) => json(200, await repos.config.caseSyncRule()),
  'PUT /rules/case-sync': async ({ body, user, repos }) => json(200, await repos.config.setCaseSyncRule(body, { at: now(), actor: user.sub })),
  'GET /playbooks': async ({ query, repos }) => {
    const ordered = inEvaluationOrder(await repos.playbooks.list());
    return json(200, pageOfList(ordered, (p) => p.playbookId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
  },
  'POST /playbooks': async ({ body, user, repos }) => json(201, await createPlaybook(repos, body, user.sub)),
  'GET /playbooks/{playbookId}': async ({ params, repos }) => json(200, await requirePlaybook(repos, params.playbookId)),
  'PUT /playbooks/{playbookId}': async ({ params, body, user, repos }) => json(200, await replacePlaybook(repos, params.playbookId, body, user.sub)),
  'DELETE /playbooks/{playbookId}': async ({ params, repos }) => {
    await deletePlaybook(repos, params.playbookId);
    return { statusCode: 204 };
  },
  'POST /playbooks/{playbookId}/test': async ({ params, query, repos }) => json(200, await testPlaybook(repos, params.playbookId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'GET /integrations': async ({ query, repos }) => json(200, pageOfList(await repos.integrations.list(), (i) => i.integrationId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor)),
  'POST /integrations': async ({ body, user, repos }) => {
    const { key, ...integration } = await createIntegration(repos, body, user.sub);
    // The key exists in clear in this answer only: a retry with the same Idempotency-Key is answered without it.
    return { ...json(201, { ...integration, key }, { 'cache-control': 'no-store' }), replay: json(201, integration, { 'cache-control': 'no-store', 'idempotent-replay': 'key-not-kept' }) };
  },
  'DELETE /integrations/{integrationId}': async ({ params, repos }) => {
    await revokeIntegration(repos, params.integrationId);
    return { statusCode: 204 };
  },
} satisfies Handlers<typeof CONFIG_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(CONFIG_API, routes, {
  auth: authorize,
  context: tableContext({
    queues: QueueRepository,
    config: ConfigRepository,
    playbooks: PlaybookRepository,
    alerts: AlertRepository,
    alertLists: AlertListRepository,
    serviceMap: ServiceMapRepository,
    idempotency: IdempotencyRepository,
    integrations: IntegrationRepository,
  }),
});
