/** What use cases are given: the repositories over one store, and who is acting. */
import type { AlertBatchRepository } from '../store/alert-batches.js';
import type { AlertListRepository } from '../store/alert-lists.js';
import type { AlertRepository } from '../store/alerts.js';
import type { CaseAlertRepository } from '../store/case-alerts.js';
import type { CaseListRepository } from '../store/case-lists.js';
import type { CaseRepository } from '../store/cases.js';
import type { CiAlertRepository } from '../store/ci-alerts.js';
import type { ConfigRepository } from '../store/config.js';
import type { Db } from '../store/entities.js';
import type { HistoryRepository } from '../store/history.js';
import type { PlaybookRepository } from '../store/playbooks.js';
import type { ImpactRepository } from '../store/impact.js';
import type { IntegrationKeyRepository } from '../store/integration-keys.js';
import type { IntegrationRepository } from '../store/integrations.js';
import type { InstallBaseRepository } from '../store/install-base.js';
import type { ServiceMapImportRepository } from '../store/service-map-import.js';
import type { ServiceMapRepository } from '../store/service-map.js';
import type { IdempotencyRepository } from '../store/idempotency.js';
import type { QueueRepository } from '../store/queues.js';
import type { AgentRepository } from '../store/agents.js';
import type { WorkItemRepository } from '../store/work-items.js';
import type { SourceRepository } from '../store/sources.js';
import type { CaseSlaRepository, SlaDefinitionRepository } from '../store/slas.js';
import type { MetricsRepository } from '../store/metrics.js';
import type { TimerRepository } from '../store/timers.js';
import type { Store } from '../store/store.js';

export interface Repositories {
  alerts: AlertRepository;
  /** Lists of alerts by filter (the read side: functions that list). */
  alertLists: AlertListRepository;
  /** Alerts many at a time (ingest payloads). */
  alertBatches: AlertBatchRepository;
  cases: CaseRepository;
  /** Lists of cases by filter, a major case's children, a case's alerts (the read side). */
  caseLists: CaseListRepository;
  /** Alerts attached to cases. */
  caseAlerts: CaseAlertRepository;
  queues: QueueRepository;
  /** Presence, capacity and the cases held against it (work assignment). */
  agents: AgentRepository;
  /** Cases waiting for an agent, and their offers. */
  workItems: WorkItemRepository;
  history: HistoryRepository;
  idempotency: IdempotencyRepository;
  serviceMap: ServiceMapRepository;
  /** Imports into the service map (catalog-api). */
  serviceMapImports: ServiceMapImportRepository;
  installBase: InstallBaseRepository;
  impact: ImpactRepository;
  /** Open alerts whose impact includes a CI (install base health). */
  ciAlerts: CiAlertRepository;
  config: ConfigRepository;
  playbooks: PlaybookRepository;
  integrations: IntegrationRepository;
  /** A presented key's credential (ingest). */
  integrationKeys: IntegrationKeyRepository;
  /** Who owns a source (alerts raised by API, or an integration). */
  sources: SourceRepository;
  /** SLA definitions (service levels). */
  slaDefinitions: SlaDefinitionRepository;
  /** Cases' task SLAs. */
  caseSlas: CaseSlaRepository;
  /** What is due on the timer index (offers, SLAs). */
  timers: TimerRepository;
  /** Team metrics' counters, and what of each case and alert they counted. */
  metrics: MetricsRepository;
}

/** The repository classes a function brings (it bundles only those: SPEC §7's cold-start bar). */
export type RepositoryClasses = { [K in keyof Repositories]?: new (db: Db, peers: Repositories) => Repositories[K] };

const NAMES: (keyof Repositories)[] = ['alerts', 'alertLists', 'alertBatches', 'cases', 'caseLists', 'caseAlerts', 'queues', 'agents', 'workItems', 'history', 'idempotency', 'serviceMap', 'serviceMapImports', 'installBase', 'impact', 'ciAlerts', 'config', 'playbooks', 'integrations', 'integrationKeys', 'sources', 'slaDefinitions', 'caseSlas', 'timers', 'metrics'];

/**
 * The repositories over a store, each made on first use from the classes
 * given. Asking for one a function did not bring is a bug in that function's
 * list, said at once (every route runs in the end-to-end tests).
 */
export function repositoriesOf(store: Store, classes: RepositoryClasses): Repositories {
  const repos = {} as Repositories;
  for (const name of NAMES) {
    let made: unknown;
    Object.defineProperty(repos, name, {
      enumerable: true,
      get() {
        const Repository = classes[name];
        if (!Repository) throw new Error(`The ${name} repository is not among this function's repositories (lib/usecases/context.ts)`);
        // Its peers: the other repositories of the function (a case creation keeps an idempotency record through that one).
        return (made ??= new (Repository as new (db: Db, peers: Repositories) => unknown)(store.db, repos));
      },
    });
  }
  return repos;
}

/** `sub` of a user, or an automation actor (`rule:proactive-case`, `playbook:<id>`, `schedule`). */
export type Actor = string;

export const now = () => new Date().toISOString();
