/** CloudWatch alarms, GuardDuty findings and Security Hub findings from the account's default bus (SPEC §2 "Alert sources"). */
import type { EventBridgeEvent } from 'aws-lambda';
import { logger, observed } from '../../lib/observability.js';
import { awsSignals } from '../../lib/sources/aws.js';
import { AlertBatchRepository } from '../../lib/store/alert-batches.js';
import { AlertRepository } from '../../lib/store/alerts.js';
import { CaseAlertRepository } from '../../lib/store/case-alerts.js';
import { ConfigRepository } from '../../lib/store/config.js';
import { CaseRepository } from '../../lib/store/cases.js';
import { PlaybookRepository } from '../../lib/store/playbooks.js';
import { ServiceMapRepository } from '../../lib/store/service-map.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';
import { applySignals } from '../../lib/usecases/ingest.js';

let repos: Repositories | undefined;

export const handler = observed(async (event: EventBridgeEvent<string, unknown>) => {
  // An invalid event throws before anything is written: after the retries it lands in the dead-letter queue for a person to read.
  const signals = awsSignals(event);
  repos ??= repositoriesOf(storeFromEnv(), { alerts: AlertRepository, alertBatches: AlertBatchRepository, cases: CaseRepository, caseAlerts: CaseAlertRepository, config: ConfigRepository, playbooks: PlaybookRepository, serviceMap: ServiceMapRepository });
  // The event id, with the finding's place in it, makes a redelivery by EventBridge a no-op (at-least-once delivery).
  const summary = await applySignals(repos, signals, `event:${event.source}`, (signal) => `${event.id}/${signal.at}`);
  logger.info('alerts from an AWS event', { eventId: event.id, detailType: event['detail-type'], ...summary });
  return summary;
});
