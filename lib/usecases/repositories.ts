/** Every repository: for the local runtime's own tools, the bench and tests (functions bring only theirs). */
import { AlertBatchRepository } from '../store/alert-batches.js';
import { AlertListRepository } from '../store/alert-lists.js';
import { AlertRepository } from '../store/alerts.js';
import { CaseAlertRepository } from '../store/case-alerts.js';
import { CaseListRepository } from '../store/case-lists.js';
import { CaseRepository } from '../store/cases.js';
import { CiAlertRepository } from '../store/ci-alerts.js';
import { ConfigRepository } from '../store/config.js';
import { HistoryRepository } from '../store/history.js';
import { IdempotencyRepository } from '../store/idempotency.js';
import { ImpactRepository } from '../store/impact.js';
import { InstallBaseRepository } from '../store/install-base.js';
import { IntegrationKeyRepository } from '../store/integration-keys.js';
import { IntegrationRepository } from '../store/integrations.js';
import { PlaybookRepository } from '../store/playbooks.js';
import { QueueRepository } from '../store/queues.js';
import { AgentRepository } from '../store/agents.js';
import { WorkItemRepository } from '../store/work-items.js';
import { ServiceMapImportRepository } from '../store/service-map-import.js';
import { ServiceMapRepository } from '../store/service-map.js';
import { SourceRepository } from '../store/sources.js';
import { CaseSlaRepository, SlaDefinitionRepository } from '../store/slas.js';
import { TimerRepository } from '../store/timers.js';
import { MetricsRepository } from '../store/metrics.js';
import type { Store } from '../store/store.js';
import { repositoriesOf, type Repositories } from './context.js';

export const ALL_REPOSITORIES = {
  alerts: AlertRepository,
  alertLists: AlertListRepository,
  alertBatches: AlertBatchRepository,
  cases: CaseRepository,
  caseLists: CaseListRepository,
  caseAlerts: CaseAlertRepository,
  queues: QueueRepository,
  agents: AgentRepository,
  workItems: WorkItemRepository,
  history: HistoryRepository,
  idempotency: IdempotencyRepository,
  serviceMap: ServiceMapRepository,
  serviceMapImports: ServiceMapImportRepository,
  installBase: InstallBaseRepository,
  impact: ImpactRepository,
  ciAlerts: CiAlertRepository,
  config: ConfigRepository,
  playbooks: PlaybookRepository,
  integrations: IntegrationRepository,
  integrationKeys: IntegrationKeyRepository,
  sources: SourceRepository,
  slaDefinitions: SlaDefinitionRepository,
  caseSlas: CaseSlaRepository,
  timers: TimerRepository,
  metrics: MetricsRepository,
};

export const repositoriesFor = (store: Store): Repositories => repositoriesOf(store, ALL_REPOSITORIES);
