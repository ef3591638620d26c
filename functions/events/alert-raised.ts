/** `Alert Raised` from the bus: the same use case as POST /alerts. */
import type { EventBridgeEvent } from 'aws-lambda';
import { AlertRaisedDetail } from '../../lib/events/schemas.js';
import { parseWith } from '../../lib/contract/validation.js';
import { logger, observed } from '../../lib/observability.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { raiseApiAlert } from '../../lib/usecases/alerts.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseAlertRepository } from '../../lib/store/case-alerts.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { PlaybookRepository } from '../../lib/store/playbooks.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { SourceRepository } from '../../lib/store/sources.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';

let repos: Repositories | undefined;

export const handler = observed(async (event: EventBridgeEvent<'Alert Raised', unknown>) => {
  // An invalid detail, or a live integration's source, throws: after the bus's retries it lands in the dead-letter queue for a person to read.
  const input = parseWith(AlertRaisedDetail, event.detail, 'event detail');
  repos ??= repositoriesOf(storeFromEnv(), { alerts: AlertRepository, cases: CaseRepository, caseAlerts: CaseAlertRepository, config: ConfigRepository, playbooks: PlaybookRepository, serviceMap: ServiceMapRepository, sources: SourceRepository });
  // The event id makes a redelivery by EventBridge a no-op (at-least-once delivery).
  const { alert, outcome } = await raiseApiAlert(repos, input, `event:${event.source}`, { deliveryId: event.id });
  logger.info('alert raised from event', { eventId: event.id, alertId: alert.alertId, outcome });
  return { alertId: alert.alertId, outcome };
});
