/** Configuration routes: queues and their members. */
import { httpHandler, json, route } from '../../lib/http/handler.js';
import { PutQueueBody, QueueIdParams } from '../../lib/http/schemas.js';
import { now } from '../../lib/usecases/context.js';

export const routes = {
  'GET /queues': route({
    async handle({ repos }) {
      return json(200, { items: await repos.queues.list(), nextCursor: null });
    },
  }),
  'PUT /queues/{queueId}': route({
    params: QueueIdParams,
    body: PutQueueBody,
    async handle({ params, body, user, repos }) {
      return json(200, await repos.queues.put({ queueId: params.queueId, members: body.members }, { at: now(), actor: user.sub }));
    },
  }),
};

export const handler = httpHandler('config-api', routes);
