/** What use cases are given: the repositories over one store, and who is acting. */
import { AlertRepository } from '../store/alerts.js';
import { CaseRepository } from '../store/cases.js';
import { ConfigRepository } from '../store/config.js';
import { HistoryRepository } from '../store/history.js';
import { PlaybookRepository } from '../store/playbooks.js';
import { ImpactRepository } from '../store/impact.js';
import { InstallBaseRepository } from '../store/install-base.js';
import { ServiceMapRepository } from '../store/service-map.js';
import { IdempotencyRepository, type IdempotencyRequest, type StoredResponse } from '../store/idempotency.js';
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
  /** For use cases that write across items in one transaction. */
  tableName: string;
}

export function repositoriesFor(store: Store): Repositories {
  return {
    alerts: new AlertRepository(store),
    cases: new CaseRepository(store),
    queues: new QueueRepository(store),
    history: new HistoryRepository(store),
    idempotency: new IdempotencyRepository(store),
    serviceMap: new ServiceMapRepository(store),
    installBase: new InstallBaseRepository(store),
    impact: new ImpactRepository(store),
    config: new ConfigRepository(store),
    playbooks: new PlaybookRepository(store),
    tableName: store.tableName,
  };
}

/** `sub` of a user, or an automation actor (`rule:proactive-case`, `playbook:<id>`, `schedule`). */
export type Actor = string;

/** An idempotent request, and how its first result is stored for replay. */
export interface Idempotent<T> {
  request: IdempotencyRequest;
  respond(result: T): StoredResponse;
}

/** A use case result, or the stored first response of an idempotent retry. */
export type OrReplay<T> = { result: T; replay?: undefined } | { replay: StoredResponse; result?: undefined };

export const now = () => new Date().toISOString();
