/**
 * Every item in the one table, as dynamodb-toolbox entities: each entity's
 * schema, its primary key (`computeKey`) and its index keys (linked
 * attributes, hidden from what a read returns) live here and nowhere else.
 * Repositories build commands from these entities and speak the domain to
 * their callers; nothing outside `lib/store` sees a key.
 * Key shapes and the access patterns they serve: docs/access-patterns.md.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity } from 'dynamodb-toolbox/entity';
import { isExtension } from 'dynamodb-toolbox/entity/actions/update/symbols';
import { any } from 'dynamodb-toolbox/schema/any';
import { boolean } from 'dynamodb-toolbox/schema/boolean';
import { item } from 'dynamodb-toolbox/schema/item';
import { list } from 'dynamodb-toolbox/schema/list';
import { map } from 'dynamodb-toolbox/schema/map';
import { number } from 'dynamodb-toolbox/schema/number';
import { record } from 'dynamodb-toolbox/schema/record';
import { set } from 'dynamodb-toolbox/schema/set';
import { string } from 'dynamodb-toolbox/schema/string';
import { Table } from 'dynamodb-toolbox/table';
import { ALERT_SHARDS, CASE_SHARDS, sharded, shardPartitions } from './shards.js';
import { ENTITY_ATTRIBUTE, INDEXES, indexKeys, PARTITION_KEY, SORT_KEY, type IndexName } from './table.js';

/** A list served by an index: which index, its partition key for a filter value, over how many write shards. */
export interface ListIndex {
  index: IndexName;
  partition: (value: string) => string;
  shards: number;
}

const listIndex = (index: IndexName, prefix: string, shards: number): ListIndex => ({
  index,
  partition: (value) => (value === '' ? prefix : `${prefix}#${value}`),
  shards,
});

/** The partitions of a list (one per write shard), for a filter value ('' for the whole list). */
export const partitionsOf = (list: ListIndex, value: string) =>
  list.shards > 1 ? shardPartitions(list.partition(value), list.shards) : [list.partition(value)];

/** The partition an item with this id writes to in a list. */
const partitionFor = (list: ListIndex, value: string, id: string) =>
  list.shards > 1 ? sharded(list.partition(value), id, list.shards) : list.partition(value);

/** Alert lists, newest first: all, and by each filter, most selective first. */
export const ALERT_LISTS = {
  all: listIndex('gsi1', 'ALERT', ALERT_SHARDS),
  source: listIndex('gsi4', 'ALERT#SOURCE', ALERT_SHARDS),
  severity: listIndex('gsi3', 'ALERT#SEVERITY', ALERT_SHARDS),
  state: listIndex('gsi2', 'ALERT#STATE', ALERT_SHARDS),
} as const;

/** Case lists, newest first: all, and by each indexed filter, most selective first. */
export const CASE_LISTS = {
  all: listIndex('gsi1', 'CASE', CASE_SHARDS),
  parentCaseId: listIndex('gsi7', 'CASE#PARENT', 1),
  accountId: listIndex('gsi5', 'CASE#ACCOUNT', CASE_SHARDS),
  assignee: listIndex('gsi4', 'CASE#ASSIGNEE', CASE_SHARDS),
  queue: listIndex('gsi3', 'CASE#QUEUE', CASE_SHARDS),
  stage: listIndex('gsi2', 'CASE#STAGE', CASE_SHARDS),
} as const;

/** Index sort key of a listed item: newest first by creation, the id breaking ties. */
export const listSortKey = (createdAt: string, id: string) => `${createdAt}#${id}`;
/** The id in a list sort key, if it is one (a cursor names positions by sort key). */
export function idInListSortKey(sortKey: string, idPattern: RegExp): string | undefined {
  const m = /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z#(.+)$/.exec(sortKey);
  return m && idPattern.test(m[1]) ? m[1] : undefined;
}

/** A case's alerts, in the order they joined it (gsi5 on the alert; at most MAX_CASE_ALERTS, so one partition). */
export const CASE_ALERTS_INDEX: IndexName = 'gsi5';
export const caseAlertsPartition = (caseId: string) => `ALERT#CASE#${caseId}`;
/** The index keys that list an alert under the case it joins at `at`. */
export const caseAlertListKeys = (caseId: string, at: string, alertId: string) => ({ gsi5pk: caseAlertsPartition(caseId), gsi5sk: listSortKey(at, alertId) });

/** Primary keys of the items lists point to. */
export const alertKey = (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' });
export const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });

/** The install base by account and by CI, and impacted CIs by CI: unsharded (written by imports and refreshes, not per alert). */
export const ACCOUNT_PARTITION = (accountId: string) => `ACCOUNT#${accountId}`;
export const CI_INSTALL_BASE_PARTITION = (ciId: string) => `INSTALLBASE#CI#${ciId}`;
export const IMPACTED_PARTITION = (ciId: string) => `IMPACTED#${ciId}`;

export const SK_PREFIX = { note: 'NOTE#', history: 'HISTORY#', impact: 'IMPACT#', queue: 'QUEUE#', playbook: 'PLAYBOOK#', integration: 'INTEGRATION#' } as const;

const hashed = (text: string) => createHash('sha256').update(text).digest('hex');

/** The value an update sets, unless it is an extension ($add, $remove...) or absent. */
const plain = <T>(value: T | unknown): T | undefined => (value === undefined || isExtension(value) ? undefined : (value as T));

const detection = map({
  id: string(),
  name: string(),
  tactic: string().optional(),
  technique: string().optional(),
  description: string().optional(),
});
const attributeValues = record(string(), any());
const affectedItem = map({
  installBaseItemId: string(),
  accountId: string(),
  soldProductId: string(),
  ciId: string(),
  name: string(),
  accountName: string(),
  accountType: string(),
});
/** Who changed a record last and how: the history handler's `actor` and `action` (never returned by a read). */
const lastAction = string().hidden().optional();

export function defineTable(documentClient: DynamoDBDocumentClient, name: string) {
  const indexes = Object.fromEntries(
    INDEXES.map((i) => [
      i.name,
      { type: 'global' as const, partitionKey: { name: indexKeys(i.name).pk, type: 'string' as const }, sortKey: { name: indexKeys(i.name).sk, type: 'string' as const } },
    ]),
  ) as Record<IndexName, { type: 'global'; partitionKey: { name: string; type: 'string' }; sortKey: { name: string; type: 'string' } }>;
  const table = new Table({
    name,
    documentClient,
    partitionKey: { name: PARTITION_KEY, type: 'string' },
    sortKey: { name: SORT_KEY, type: 'string' },
    indexes,
    entityAttributeSavedAs: ENTITY_ATTRIBUTE,
  });
  const common = { table, timestamps: false } as const;

  const alertSchema = item({
    alertId: string().key(),
    source: string(),
    sourceAlertId: string().optional(),
    severity: string(),
    state: string(),
    ciId: string().optional(),
    description: string(),
    type: string().optional(),
    attributes: attributeValues,
    detections: list(detection),
    occurrences: number(),
    /** The sender's name for the current occurrence (Alertmanager's `startsAt`): the same again is a re-sent notification. */
    occurrence: string().optional(),
    firstOccurredAt: string(),
    lastOccurredAt: string(),
    incidentId: string().optional(),
    caseId: string().optional(),
    caseNumber: string().optional(),
    createdAt: string(),
    updatedAt: string(),
    createdBy: string(),
    updatedBy: string(),
    version: number(),
    /** The summary of the current impact generation (ImpactSummary). */
    impact: any().optional(),
    /** The affected install base of the current impact, at most MAX_AFFECTED_ITEMS (AffectedItem[]). */
    impactAffected: any().optional(),
    /** A generation being written, not yet switched to (impact.ts). */
    impactPending: string().optional(),
    /** The request that wrote it last: an SDK retry of a write that did land is known as ours, not taken for another's. */
    writeToken: string().optional().hidden(),
    lastAction,
  });
  const alert = new Entity({
    ...common,
    name: 'alert',
    schema: alertSchema.and((prev) => ({
      gsi1pk: string().hidden().putLink<typeof prev>(({ alertId }) => partitionFor(ALERT_LISTS.all, '', alertId)),
      gsi1sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      gsi2pk: string()
        .hidden()
        .putLink<typeof prev>(({ state, alertId }) => partitionFor(ALERT_LISTS.state, state, alertId))
        .updateLink<typeof prev>(({ state, alertId }) => {
          const to = plain<string>(state);
          const id = plain<string>(alertId);
          return to === undefined || id === undefined ? undefined : partitionFor(ALERT_LISTS.state, to, id);
        }),
      gsi2sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      gsi3pk: string()
        .hidden()
        .putLink<typeof prev>(({ severity, alertId }) => partitionFor(ALERT_LISTS.severity, severity, alertId))
        .updateLink<typeof prev>(({ severity, alertId }) => {
          const to = plain<string>(severity);
          const id = plain<string>(alertId);
          return to === undefined || id === undefined ? undefined : partitionFor(ALERT_LISTS.severity, to, id);
        }),
      gsi3sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      gsi4pk: string().hidden().putLink<typeof prev>(({ source, alertId }) => partitionFor(ALERT_LISTS.source, source, alertId)),
      gsi4sk: string().hidden().putLink<typeof prev>(({ createdAt, alertId }) => listSortKey(createdAt, alertId)),
      /** The case's alerts, in the order they joined it: set by the writes that attach, move and detach (caseAlertListKeys). */
      gsi5pk: string().optional().hidden(),
      gsi5sk: string().optional().hidden(),
    })),
    computeKey: ({ alertId }: { alertId: string }) => alertKey(alertId),
  });

  const caseSchema = item({
    caseId: string().key(),
    number: string(),
    origin: string(),
    proactive: boolean(),
    shortDescription: string(),
    description: string().optional(),
    priority: string(),
    stage: string(),
    closedReason: string().optional(),
    closedReasonText: string().optional(),
    queue: string().optional(),
    assignee: string().optional(),
    accountId: string().optional(),
    alertId: string().optional(),
    /** Alerts attached now (at most MAX_CASE_ALERTS). */
    alertCount: number(),
    alertAttributes: attributeValues.optional(),
    detections: list(detection).optional(),
    /** The ids of `detections`, for the conditions that keep them unique when alerts join at once (written with them, never shown). */
    detectionIds: set(string()).optional().hidden(),
    /** The alerts the write that made this version attached or detached (history names them). */
    changedAlerts: list(string()).optional().hidden(),
    majorCase: string(),
    parentCaseId: string().optional(),
    affectedInstallBase: record(string(), affectedItem).optional(),
    createdAt: string(),
    updatedAt: string(),
    createdBy: string(),
    updatedBy: string(),
    version: number(),
    lastAction,
  });
  /** A case's entry in a list when `value` (its filter field) is set; sparse otherwise. */
  const caseListKeys = (list: ListIndex, value: string | undefined, caseId: string) => (value ? partitionFor(list, value, caseId) : undefined);
  const kase = new Entity({
    ...common,
    name: 'case',
    schema: caseSchema.and((prev) => ({
      gsi1pk: string().hidden().putLink<typeof prev>(({ caseId }) => partitionFor(CASE_LISTS.all, '', caseId)),
      gsi1sk: string().hidden().putLink<typeof prev>(({ createdAt, caseId }) => listSortKey(createdAt, caseId)),
      gsi2pk: string().hidden().putLink<typeof prev>(({ stage, caseId }) => partitionFor(CASE_LISTS.stage, stage, caseId)),
      gsi2sk: string().hidden().putLink<typeof prev>(({ createdAt, caseId }) => listSortKey(createdAt, caseId)),
      gsi3pk: string().optional().hidden().putLink<typeof prev>(({ queue, caseId }) => caseListKeys(CASE_LISTS.queue, queue, caseId)),
      gsi3sk: string().optional().hidden().putLink<typeof prev>(({ queue, createdAt, caseId }) => (queue ? listSortKey(createdAt, caseId) : undefined)),
      gsi4pk: string().optional().hidden().putLink<typeof prev>(({ assignee, caseId }) => caseListKeys(CASE_LISTS.assignee, assignee, caseId)),
      gsi4sk: string().optional().hidden().putLink<typeof prev>(({ assignee, createdAt, caseId }) => (assignee ? listSortKey(createdAt, caseId) : undefined)),
      gsi5pk: string().optional().hidden().putLink<typeof prev>(({ accountId, caseId }) => caseListKeys(CASE_LISTS.accountId, accountId, caseId)),
      gsi5sk: string().optional().hidden().putLink<typeof prev>(({ accountId, createdAt, caseId }) => (accountId ? listSortKey(createdAt, caseId) : undefined)),
      gsi7pk: string().optional().hidden().putLink<typeof prev>(({ parentCaseId, caseId }) => caseListKeys(CASE_LISTS.parentCaseId, parentCaseId, caseId)),
      gsi7sk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ parentCaseId, createdAt, caseId }) => (parentCaseId ? listSortKey(createdAt, caseId) : undefined)),
    })),
    computeKey: ({ caseId }: { caseId: string }) => caseKey(caseId),
  });

  /** A case number taken: written with its case, so no number is ever used twice; read by `GET /cases/CS…`. */
  const caseNumber = new Entity({
    ...common,
    name: 'casenumber',
    schema: item({ number: string().key(), caseId: string() }),
    computeKey: ({ number }: { number: string }) => ({ pk: `CASENUMBER#${number}`, sk: 'CASENUMBER' }),
  });

  /**
   * Counters, each changed only by atomic `ADD`: `case` = case numbers reserved
   * in blocks (the case-number reservation, case-numbers.ts); `playbooks` =
   * playbooks stored (at most MAX_PLAYBOOKS).
   */
  const counter = new Entity({
    ...common,
    name: 'counter',
    schema: item({ counter: string().key(), value: number() }),
    computeKey: ({ counter }: { counter: string }) => ({ pk: `COUNTER#${counter}`, sk: 'COUNTER' }),
  });

  const workNote = new Entity({
    ...common,
    name: 'note',
    schema: item({ caseId: string().key(), createdAt: string().key(), noteId: string().key(), text: string(), author: string() }),
    computeKey: ({ caseId, createdAt, noteId }: { caseId: string; createdAt: string; noteId: string }) => ({
      pk: caseKey(caseId).pk,
      sk: `${SK_PREFIX.note}${createdAt}#${noteId}`,
    }),
  });

  /** Queues are few and read whole: one partition. */
  const queue = new Entity({
    ...common,
    name: 'queue',
    schema: item({ queueId: string().key(), members: list(string()), updatedAt: string(), updatedBy: string() }),
    computeKey: ({ queueId }: { queueId: string }) => ({ pk: 'QUEUES', sk: `${SK_PREFIX.queue}${queueId}` }),
  });

  /** A history entry lives under its alert or case, in order of time. */
  const history = new Entity({
    ...common,
    name: 'history',
    schema: item({
      ownerKind: string().key(),
      ownerId: string().key(),
      at: string().key(),
      changeId: string().key(),
      actor: string(),
      action: string(),
      alertId: string().optional(),
      changes: any(),
    }),
    computeKey: ({ ownerKind, ownerId, at, changeId }: { ownerKind: string; ownerId: string; at: string; changeId: string }) => ({
      pk: (ownerKind === 'alert' ? alertKey(ownerId) : caseKey(ownerId)).pk,
      sk: `${SK_PREFIX.history}${at}#${changeId}`,
    }),
  });

  /** The first result of a POST with Idempotency-Key, keyed by a hash of its scope and key. */
  const idempotency = new Entity({
    ...common,
    name: 'idempotency',
    schema: item({
      requestId: string().key(),
      status: string(),
      fingerprint: string(),
      response: any().optional(),
      /** A large response, gzipped JSON in base64 (so a first result that must be kept fits an item). */
      responseGzip: string().optional(),
      expiresAt: number(),
    }),
    computeKey: ({ requestId }: { requestId: string }) => ({ pk: `IDEMPOTENCY#${requestId}`, sk: 'IDEMPOTENCY' }),
  });

  /** An event delivery already applied (EventBridge delivers at least once). */
  const delivery = new Entity({
    ...common,
    name: 'delivery',
    schema: item({ deliveryId: string().key(), expiresAt: number() }),
    computeKey: ({ deliveryId }: { deliveryId: string }) => ({ pk: `DELIVERY#${hashed(deliveryId)}`, sk: 'DELIVERY' }),
  });

  const ci = new Entity({
    ...common,
    name: 'ci',
    schema: item({
      ciId: string().key(),
      name: string().optional(),
      class: string().optional(),
      operationalStatus: string().optional(),
      /** The CIs that depend on this one, and that it depends on. */
      parents: set(string()).optional(),
      children: set(string()).optional(),
      updatedAt: string().optional(),
    }),
    computeKey: ({ ciId }: { ciId: string }) => ({ pk: `CI#${ciId}`, sk: 'CI' }),
  });

  const account = new Entity({
    ...common,
    name: 'account',
    schema: item({ accountId: string().key(), name: string(), type: string(), updatedAt: string() }),
    computeKey: ({ accountId }: { accountId: string }) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  });

  const soldProduct = new Entity({
    ...common,
    name: 'soldproduct',
    schema: item({ soldProductId: string().key(), accountId: string(), name: string(), updatedAt: string() }).and((prev) => ({
      gsi5pk: string().hidden().putLink<typeof prev>(({ accountId }) => ACCOUNT_PARTITION(accountId)),
      gsi5sk: string().hidden().putLink<typeof prev>(({ soldProductId }) => `SOLDPRODUCT#${soldProductId}`),
    })),
    computeKey: ({ soldProductId }: { soldProductId: string }) => ({ pk: `SOLDPRODUCT#${soldProductId}`, sk: 'SOLDPRODUCT' }),
  });

  const installBaseItem = new Entity({
    ...common,
    name: 'installbaseitem',
    schema: item({
      installBaseItemId: string().key(),
      accountId: string(),
      soldProductId: string(),
      ciId: string(),
      name: string(),
      updatedAt: string(),
    }).and((prev) => ({
      gsi5pk: string().hidden().putLink<typeof prev>(({ accountId }) => ACCOUNT_PARTITION(accountId)),
      gsi5sk: string().hidden().putLink<typeof prev>(({ installBaseItemId }) => `INSTALLBASEITEM#${installBaseItemId}`),
      gsi6pk: string().hidden().putLink<typeof prev>(({ ciId }) => CI_INSTALL_BASE_PARTITION(ciId)),
      gsi6sk: string().hidden().putLink<typeof prev>(({ accountId, installBaseItemId }) => `${accountId}#${installBaseItemId}`),
    })),
    computeKey: ({ installBaseItemId }: { installBaseItemId: string }) => ({ pk: `INSTALLBASEITEM#${installBaseItemId}`, sk: 'INSTALLBASEITEM' }),
  });

  /** One impacted CI of an alert's impact generation, in walk order. */
  const impactedCi = new Entity({
    ...common,
    name: 'impactedci',
    schema: item({
      alertId: string().key(),
      generation: string().key(),
      position: number().key(),
      ciId: string(),
      name: string(),
      class: string(),
      kind: string(),
      path: list(string()),
    }).and((prev) => ({
      gsi7pk: string().hidden().putLink<typeof prev>(({ ciId }) => IMPACTED_PARTITION(ciId)),
      gsi7sk: string().hidden().putLink<typeof prev>(({ alertId }) => alertId),
    })),
    computeKey: ({ alertId, generation, position }: { alertId: string; generation: string; position: number }) => ({
      pk: alertKey(alertId).pk,
      sk: `${SK_PREFIX.impact}${generation}#${String(position).padStart(6, '0')}`,
    }),
  });

  const lock = new Entity({
    ...common,
    name: 'lock',
    schema: item({ lockId: string().key(), since: string(), expiresAt: number(), /** What holds it: the same work sent again may take it over. */ holder: string().optional() }),
    computeKey: ({ lockId }: { lockId: string }) => ({ pk: `LOCK#${lockId}`, sk: 'LOCK' }),
  });

  /** A rule's settings (the proactive case rule: `enabled`; the case-sync rule: its two switches): absent means the defaults. */
  const config = new Entity({
    ...common,
    name: 'config',
    schema: item({
      configId: string().key(),
      enabled: boolean().optional(),
      raisePriorityOnEscalation: boolean().optional(),
      closeAlertsWithCase: boolean().optional(),
      updatedAt: string(),
      updatedBy: string(),
    }),
    computeKey: ({ configId }: { configId: string }) => ({ pk: `CONFIG#${configId}`, sk: 'CONFIG' }),
  });

  /** Playbooks are few (at most 200) and read whole: one partition. */
  const playbook = new Entity({
    ...common,
    name: 'playbook',
    schema: item({
      playbookId: string().key(),
      name: string(),
      enabled: boolean(),
      order: number(),
      conditions: any(),
      action: any(),
      createdAt: string(),
      updatedAt: string(),
      updatedBy: string(),
    }),
    computeKey: ({ playbookId }: { playbookId: string }) => ({ pk: 'PLAYBOOKS', sk: `${SK_PREFIX.playbook}${playbookId}` }),
  });

  /** Integrations are few (at most MAX_INTEGRATIONS) and listed whole: one partition. Never holds the key. */
  const integration = new Entity({
    ...common,
    name: 'integration',
    schema: item({
      integrationId: string().key(),
      name: string(),
      kind: string(),
      mapping: any(),
      source: string(),
      createdAt: string(),
      createdBy: string(),
      /** Names the key's credential item (the first characters of the key, not a secret on their own; never shown). */
      keyId: string(),
    }),
    computeKey: ({ integrationId }: { integrationId: string }) => ({ pk: 'INTEGRATIONS', sk: `${SK_PREFIX.integration}${integrationId}` }),
  });

  /** What an ingest request reads, by the key's name: the key's hash and a copy of its integration (one GetItem). */
  const integrationKey = new Entity({
    ...common,
    name: 'integrationkey',
    schema: item({ keyId: string().key(), keyHash: string(), integration: any() }),
    computeKey: ({ keyId }: { keyId: string }) => ({ pk: `INTEGRATIONKEY#${keyId}`, sk: 'INTEGRATIONKEY' }),
  });

  /**
   * Who a `source` belongs to (SPEC §2 Alert sources): `integration` (a live
   * one, `integrationId`; deleted when it is revoked) or `alerts` (raised
   * through POST /alerts or `Alert Raised`; for good).
   */
  const sourceOwner = new Entity({
    ...common,
    name: 'sourceowner',
    schema: item({ source: string().key(), owner: string().enum('integration', 'alerts'), integrationId: string().optional() }),
    computeKey: ({ source }: { source: string }) => ({ pk: `SOURCE#${source}`, sk: 'SOURCE' }),
  });

  /**
   * The case a grouping playbook opened for one group (SPEC §2 Grouping),
   * written with that case: alerts of the group join it while it gathers; a
   * new case for the group replaces it only if it still names the old one.
   */
  const caseGroup = new Entity({
    ...common,
    name: 'casegroup',
    schema: item({
      playbookId: string().key(),
      groupKey: string().key(),
      caseId: string(),
      caseNumber: string(),
      openedAt: string(),
      /** Removed by TTL a day after its window: by then no alert can join its case. */
      expiresAt: number(),
    }),
    computeKey: ({ playbookId, groupKey }: { playbookId: string; groupKey: string }) => ({ pk: `CASEGROUP#${playbookId}#${hashed(groupKey)}`, sk: 'CASEGROUP' }),
  });

  /** Written with a major case's child for one account: one child per account, however often accept runs. */
  const majorCaseChild = new Entity({
    ...common,
    name: 'majorchild',
    schema: item({ majorCaseId: string().key(), accountId: string().key(), caseId: string() }),
    computeKey: ({ majorCaseId, accountId }: { majorCaseId: string; accountId: string }) => ({
      pk: `MAJORCHILD#${majorCaseId}`,
      sk: `ACCOUNT#${accountId}`,
    }),
  });

  /** Which layout wrote the table (LAYOUT_VERSION). */
  const layout = new Entity({
    ...common,
    name: 'layout',
    schema: item({ layoutId: string().key(), version: number() }),
    computeKey: ({ layoutId }: { layoutId: string }) => ({ pk: `META#${layoutId}`, sk: 'META' }),
  });

  return {
    table,
    alert,
    case: kase,
    caseNumber,
    counter,
    workNote,
    queue,
    history,
    idempotency,
    delivery,
    ci,
    account,
    soldProduct,
    installBaseItem,
    impactedCi,
    lock,
    config,
    playbook,
    integration,
    integrationKey,
    sourceOwner,
    majorCaseChild,
    caseGroup,
    layout,
  };
}

export type Db = ReturnType<typeof defineTable>;
