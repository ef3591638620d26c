/**
 * Ingest routes: alerts in the formats monitoring tools already send (SPEC §2
 * "Alert sources"). No user token here: an integration's key, checked before
 * the payload is looked at; a key grants its own kind's route and nothing else.
 */
import { Invalid } from '../../lib/domain/errors.js';
import type { Integration } from '../../lib/domain/integration.js';
import { INGEST_API } from '../../lib/contract/operations/ingest.js';
import { httpHandler, json, type HttpResult, type Handlers } from '../../lib/http/handler.js';
import { HttpProblem } from '../../lib/http/problem.js';
import { logger } from '../../lib/observability.js';

import { tableContext } from '../../lib/http/table-context.js';
import { alertmanagerSignals, MAX_ALERTS_PER_PAYLOAD } from '../../lib/sources/alertmanager.js';
import { acceptedAnswer, invalidEventAnswer, pagerdutySignals, unknownRoutingKey } from '../../lib/sources/pagerduty.js';
import type { SourceContext } from '../../lib/sources/signal.js';
import { AlertBatchRepository } from '../../lib/store/alert-batches.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseAlertRepository } from '../../lib/store/case-alerts.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { IntegrationKeyRepository } from '../../lib/store/integration-keys.js';
import { PlaybookRepository } from '../../lib/store/playbooks.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { actorOf, applySignals } from '../../lib/usecases/ingest.js';
import { integrationOfKey } from '../../lib/usecases/integrations.js';

const contextOf = (integration: Integration): SourceContext => ({ source: integration.source, mapping: integration.mapping });

const unauthorized = () =>
  new HttpProblem(401, 'Unauthorized', "An Alertmanager integration's key is required as `Authorization: Bearer <key>`.", {
    'www-authenticate': 'Bearer realm="integrations"',
  });

/** PagerDuty's own answer to an event it cannot take: its senders read `errors`. */
const pagerdutyInvalid = (error: unknown): HttpResult | undefined => (error instanceof Invalid ? json(400, invalidEventAnswer(error)) : undefined);

/** Applies a payload's signals and logs what they did, as the AWS events' function does: the integration by its id, never its key. */
async function applied(repos: Parameters<typeof applySignals>[0], signals: Parameters<typeof applySignals>[1], integration: Integration) {
  const summary = await applySignals(repos, signals, actorOf(integration));
  logger.info('alerts from a sender', { integrationId: integration.integrationId, ...summary });
  return summary;
}

export const routes = {
  'POST /integrations/alertmanager': async (request) => {
    const { body, header } = request;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header('authorization') ?? '')?.[1];
    const integration = await integrationOfKey(request, 'alertmanager', bearer);
    if (!integration) throw unauthorized();
    const alerts = (body as { alerts?: unknown } | null)?.alerts;
    if (Array.isArray(alerts) && alerts.length > MAX_ALERTS_PER_PAYLOAD) {
      throw new HttpProblem(413, 'Content Too Large', `The payload holds ${alerts.length} alerts; at most ${MAX_ALERTS_PER_PAYLOAD} are taken in one request (Alertmanager: set max_alerts).`);
    }
    const signals = alertmanagerSignals(body, contextOf(integration));
    const { acknowledged: _none, ...answer } = await applied(request.repos, signals, integration);
    return json(200, answer);
  },
  'POST /integrations/pagerduty/v2/enqueue': {
    answerError: pagerdutyInvalid,
    async handle(request) {
      const routingKey = (request.body as { routing_key?: unknown } | null)?.routing_key;
      const integration = await integrationOfKey(request, 'pagerduty', typeof routingKey === 'string' ? routingKey : undefined);
      // PagerDuty answers an unknown routing key as an invalid event, not 401: its senders expect that.
      if (!integration) throw unknownRoutingKey();
      const { signal, dedupKey } = pagerdutySignals(request.body, contextOf(integration), () => crypto.randomUUID().replace(/-/g, ''));
      await applied(request.repos, [signal], integration);
      return json(202, acceptedAnswer(dedupKey));
    },
  },
} satisfies Handlers<typeof INGEST_API>;

// The repositories these routes' use cases need: the function bundles those alone.
export const handler = httpHandler(INGEST_API, routes, {
  context: tableContext({
    integrationKeys: IntegrationKeyRepository,
    alerts: AlertRepository,
    alertBatches: AlertBatchRepository,
    cases: CaseRepository,
    caseAlerts: CaseAlertRepository,
    config: ConfigRepository,
    playbooks: PlaybookRepository,
    serviceMap: ServiceMapRepository,
  }),
});
