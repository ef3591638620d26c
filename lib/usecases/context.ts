/** What use cases are given: the repositories over one store, and who is acting. */
import { AlertRepository } from '../store/alerts.js';
import { CaseRepository } from '../store/cases.js';
import { ConfigRepository } from '../store/config.js';
import { HistoryRepository } from '../store/history.js';
import { PlaybookRepository } from '../store/playbooks.js';
import { ImpactRepository } from '../store/impact.js';
import { InstallBaseRepository } from '../store/install-base.js';
import { ServiceMapRepository } from '../store/service-map.js';
import { IdempotencyRepository } from '../store/idempotency.js';
import { QueueRepository } from '../store/queues.js';
import type { Store } from '../store/store.js';

export interface Repositories {
  alerts: AlertRepository;
  cases: CaseRepository;
  queues: QueueRepository;
  history: HistoryRepository;
  idempotency: IdempotencyRepository;
  serviceMap: ServiceMapRepository;
  installBase: InstallBaseRepository;
  impact: ImpactRepository;
  config: ConfigRepository;
  playbooks: PlaybookRepository;
}

export function repositoriesFor({ db }: Store): Repositories {
  return {
    alerts: new AlertRepository(db),
    cases: new CaseRepository(db),
    queues: new QueueRepository(db),
    history: new HistoryRepository(db),
    idempotency: new IdempotencyRepository(db),
    serviceMap: new ServiceMapRepository(db),
    installBase: new InstallBaseRepository(db),
    impact: new ImpactRepository(db),
    config: new ConfigRepository(db),
    playbooks: new PlaybookRepository(db),
  };
}

/** `sub` of a user, or an automation actor (`rule:proactive-case`, `playbook:<id>`, `schedule`). */
export type Actor = string;

export type { Idempotent } from '../domain/idempotency.js';

/** A use case result, or the stored first response of an idempotent retry. */
export type OrReplay<T> = { result: T; replay?: undefined } | { replay: import('../domain/idempotency.js').StoredResponse; result?: undefined };

export const now = () => new Date().toISOString();
