/** `Incident Created` from the bus: the Create Proactive Case rule. */
import type { EventBridgeEvent } from 'aws-lambda';
import { IncidentCreatedDetail } from '../../lib/events/schemas.js';
import { parseWith } from '../../lib/contract/validation.js';
import { logger, observed } from '../../lib/observability.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { onIncidentCreated } from '../../lib/usecases/proactive.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { ImpactRepository } from '../../lib/store/impact.js';
import { InstallBaseRepository } from '../../lib/store/install-base.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';

let repos: Repositories | undefined;

export const handler = observed(async (event: EventBridgeEvent<'Incident Created', unknown>) => {
  // An invalid detail throws: after the retries it lands in the dead-letter queue for a person to read.
  const detail = parseWith(IncidentCreatedDetail, event.detail, 'event detail');
  repos ??= repositoriesOf(storeFromEnv(), { alerts: AlertRepository, cases: CaseRepository, config: ConfigRepository, impact: ImpactRepository, installBase: InstallBaseRepository, serviceMap: ServiceMapRepository });
  const result = await onIncidentCreated(repos, detail);
  logger.info('incident created', { eventId: event.id, ...detail, ...result });
  return result;
});
