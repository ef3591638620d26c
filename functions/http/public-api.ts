/** Routes that need no token. */
import { httpHandler, json, route } from '../../lib/http/handler.js';

export const routes = {
  'GET /health': route({
    async handle() {
      return json(200, { status: 'ok', service: 'alert-to-case' });
    },
  }),
};

export const handler = httpHandler('public-api', routes);
