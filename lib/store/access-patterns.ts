/**
 * docs/access-patterns.md, generated from the table (`table.ts`) and the
 * entities' named access patterns (`entities.ts`): `npm run
 * access-patterns` writes it, and a unit test fails when it differs from
 * what this makes. No function imports this module (it is the docs, not the
 * store); only the script and the test do.
 *
 * Each query's keys are worked out, never written down: an example item is
 * saved through its entity (as a write would send it) and must land in the
 * partitions its pattern reads, at a sort key the pattern reads and takes
 * back to the item; its example values are then shown as placeholders.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Entity } from 'dynamodb-toolbox/entity';
import { EntityParser } from 'dynamodb-toolbox/entity/actions/parse';
import { ALERT_ID_PATTERN, CASE_ID_PATTERN } from '../domain/ids.js';
import {
  ACCESS_PATTERNS,
  ALERT_LISTS,
  alertKey,
  CASE_LISTS,
  caseAlertListKeys,
  caseKey,
  defineTable,
  idInListSortKey,
  partitionsOf,
  TIMER_LIST,
  type Db,
  type ListIndex,
  type PatternQuery,
  type TableKey,
} from './entities.js';
import { ALERT_SHARDS, CASE_SHARDS } from './shards.js';
import { assignmentEntities } from './assignment-entities.js';
import { slaEntities } from './sla-entities.js';
import { ENTITY_ATTRIBUTE, INDEXES, indexKeys, LAYOUT_VERSION, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from './table.js';

/** Where the docs live, from the repository's root. */
export const ACCESS_PATTERNS_DOC = 'docs/access-patterns.md';

/** The example values keys are worked out from, each shown as `<its name>`. */
const V = {
  alertId: 'alr_0123456789abcdef01234567',
  caseId: 'case_0123456789abcdef0123456789abcdef',
  parentCaseId: 'case_fedcba9876543210fedcba9876543210',
  createdAt: '2026-11-30T10:00:00.000Z',
  attachedAt: '2026-11-30T11:00:00.000Z',
  at: '2026-11-30T12:00:00.000Z',
  state: 'acknowledged',
  severity: 'warning',
  source: 'example-source',
  stage: 'awaiting_info',
  queue: 'example-queue',
  assignee: 'example-assignee',
  accountId: 'example-account',
  soldProductId: 'example-product',
  installBaseItemId: 'example-item',
  ciId: 'example-ci',
  generation: 'example-generation',
  olderGeneration: 'earlier-generation',
  position: '000007',
  noteId: 'example-note',
  changeId: 'example-change',
  seen: '2026-11-30T11:59:59.000Z#earlier-change',
  expiresAt: '2026-11-30T12:02:00.000Z',
  workItemId: 'wi_0123456789abcdef0123456789abcdef_3',
  queueId: 'example-queue-id',
  playbookId: 'pb_0123456789abcdef',
  integrationId: 'int_0123456789abcdef01234567',
  slaId: 'sla_0123456789abcdef',
  breachAt: '2026-11-30T11:30:00.000Z',
} as const;

/** A key as the docs show it: example values as placeholders, longest first (none is part of another's place). */
function shown(key: string): string {
  const values = Object.entries(V).sort(([, a], [, b]) => b.length - a.length);
  // A control character (a separator that sorts first) and the highest character (a range's end) are written as escapes.
  const visible = key.replace(/[\u0000-\u001f\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return values.reduce((text, [name, value]) => text.split(value).join(`<${name}>`), visible);
}

const at = V.createdAt;
const examples = {
  alert: {
    alertId: V.alertId,
    source: V.source,
    severity: V.severity,
    state: V.state,
    description: 'd',
    attributes: {},
    detections: [],
    occurrences: 1,
    firstOccurredAt: at,
    lastOccurredAt: at,
    createdAt: at,
    updatedAt: at,
    createdBy: 'op',
    updatedBy: 'op',
    version: 1,
  },
  case: {
    caseId: V.caseId,
    number: 'CS0001001',
    origin: 'manual',
    proactive: false,
    shortDescription: 's',
    priority: 'moderate',
    stage: V.stage,
    queue: V.queue,
    assignee: V.assignee,
    accountId: V.accountId,
    parentCaseId: V.parentCaseId,
    alertCount: 0,
    majorCase: 'none',
    createdAt: at,
    updatedAt: at,
    createdBy: 'op',
    updatedBy: 'op',
    version: 1,
  },
  account: { accountId: V.accountId, name: 'Acme Retail', type: 'external' as const, updatedAt: at },
  soldProduct: { soldProductId: V.soldProductId, accountId: V.accountId, name: 'n', updatedAt: at },
  installBaseItem: { installBaseItemId: V.installBaseItemId, accountId: V.accountId, soldProductId: V.soldProductId, ciId: V.ciId, name: 'n', updatedAt: at },
  impactedCi: (generation: string) => ({ alertId: V.alertId, generation, position: Number(V.position), ciId: V.ciId, name: 'n', class: 'server', kind: 'service', path: [] }),
  workItem: (state: 'queued' | 'offered') => ({
    workItemId: V.workItemId,
    caseId: V.caseId,
    queueId: V.queueId,
    state,
    priority: 'moderate' as const,
    ...(state === 'offered' ? { offeredTo: V.assignee, offeredAt: V.at, offerExpiresAt: V.expiresAt } : {}),
    offerCount: state === 'offered' ? 1 : 0,
    queuedAt: V.at,
    createdAt: V.at,
    excluded: [],
    steps: [],
    version: 1,
  }),
  history: (ownerKind: 'alert' | 'case', ownerId: string) => ({ ownerKind, ownerId, at: V.at, changeId: V.changeId, actor: 'op', action: 'a', changes: [] }),
};

/** A named access pattern as the docs describe it. */
interface Described {
  /** As the code names it. */
  name: string;
  /** What it reads, with the example values. */
  query: PatternQuery;
  /** Items it reads, as their entities save them. */
  items: { entity: Entity; item: Record<string, unknown> }[];
  serves: string;
  usedBy: string[];
}

/** A list of alerts or cases (newest first, over its write shards), for one filter value; its sort keys name the item's id. */
function listQuery(list: ListIndex, value: string, idPattern: RegExp, keyOf: (id: string) => TableKey): PatternQuery {
  return {
    index: list.index,
    partitions: partitionsOf(list, value),
    tableKeyOf: (sortKey) => {
      const id = idInListSortKey(sortKey, idPattern);
      return id === undefined ? undefined : keyOf(id);
    },
  };
}
const alertList = (list: ListIndex, value: string) => listQuery(list, value, ALERT_ID_PATTERN, alertKey);
const caseList = (list: ListIndex, value: string) => listQuery(list, value, CASE_ID_PATTERN, caseKey);

const ALERT_LIST = ['AlertListRepository.list', 'AlertListRepository.listPage'];
const CASE_LIST = ['CaseListRepository.list'];

/** Every query the store makes, by pattern. */
export function describedPatterns(db: Db): Described[] {
  const alert = { entity: db.alert, item: examples.alert };
  const kase = { entity: db.case, item: examples.case };
  return [
    { name: 'ALERT_LISTS.all', query: alertList(ALERT_LISTS.all, ''), items: [alert], serves: 'every alert, newest first', usedBy: ALERT_LIST },
    { name: 'ALERT_LISTS.state', query: alertList(ALERT_LISTS.state, V.state), items: [alert], serves: 'alerts in a state (the schedule and the playbook dry run read the open ones)', usedBy: ALERT_LIST },
    { name: 'ALERT_LISTS.severity', query: alertList(ALERT_LISTS.severity, V.severity), items: [alert], serves: 'alerts of a severity', usedBy: ALERT_LIST },
    { name: 'ALERT_LISTS.source', query: alertList(ALERT_LISTS.source, V.source), items: [alert], serves: 'alerts from a source', usedBy: ALERT_LIST },
    {
      name: 'ACCESS_PATTERNS.alertsOfCase',
      query: ACCESS_PATTERNS.alertsOfCase(V.caseId),
      items: [{ entity: db.alert, item: { ...examples.alert, caseId: V.caseId, ...caseAlertListKeys(V.caseId, V.attachedAt, V.alertId) } }],
      serves: "a case's alerts, in the order they joined it (at most 1,000: unsharded); an alert is listed only while attached",
      usedBy: ['CaseListRepository.alertsOf', 'CaseListRepository.allAlertsOf'],
    },
    { name: 'CASE_LISTS.all', query: caseList(CASE_LISTS.all, ''), items: [kase], serves: 'every case, newest first', usedBy: CASE_LIST },
    { name: 'CASE_LISTS.stage', query: caseList(CASE_LISTS.stage, V.stage), items: [kase], serves: 'cases in a stage', usedBy: CASE_LIST },
    { name: 'CASE_LISTS.queue', query: caseList(CASE_LISTS.queue, V.queue), items: [kase], serves: 'cases in a queue (sparse: only cases with one)', usedBy: CASE_LIST },
    { name: 'CASE_LISTS.assignee', query: caseList(CASE_LISTS.assignee, V.assignee), items: [kase], serves: 'cases of an assignee (sparse)', usedBy: CASE_LIST },
    { name: 'CASE_LISTS.accountId', query: caseList(CASE_LISTS.accountId, V.accountId), items: [kase], serves: 'cases of an account (sparse)', usedBy: CASE_LIST },
    {
      name: 'CASE_LISTS.parentCaseId',
      query: caseList(CASE_LISTS.parentCaseId, V.parentCaseId),
      items: [kase],
      serves: 'the children of a major case (sparse, unsharded)',
      usedBy: [...CASE_LIST, 'CaseListRepository.children'],
    },
    {
      name: 'ACCESS_PATTERNS.installBaseOfAccount',
      query: ACCESS_PATTERNS.installBaseOfAccount(V.accountId),
      items: [
        { entity: db.soldProduct, item: examples.soldProduct },
        { entity: db.installBaseItem, item: examples.installBaseItem },
      ],
      serves: "an account's sold products, then its install base items (or those of one kind: `begins_with` its prefix)",
      usedBy: ['InstallBaseRepository.accountPage', 'InstallBaseRepository.ofAccount'],
    },
    {
      name: 'ACCESS_PATTERNS.accountsByName',
      query: ACCESS_PATTERNS.accountsByName('acme'),
      items: [{ entity: db.account, item: examples.account }],
      serves: 'accounts whose name begins with what someone typed (any case), A to Z; every account with no prefix (a picker)',
      usedBy: ['InstallBaseRepository.accountsByName'],
    },
    {
      name: 'ACCESS_PATTERNS.installBaseOnCi',
      query: ACCESS_PATTERNS.installBaseOnCi(V.ciId),
      items: [{ entity: db.installBaseItem, item: examples.installBaseItem }],
      serves: 'the install base items running on a CI (an impact refresh, per impacted CI)',
      usedBy: ['InstallBaseRepository.onCis'],
    },
    {
      name: 'ACCESS_PATTERNS.impactsOnCi',
      query: ACCESS_PATTERNS.impactsOnCi(V.ciId),
      items: [{ entity: db.impactedCi, item: examples.impactedCi(V.generation) }],
      serves: "the alert impact generations that include a CI (install base health: counted while the generation is its alert's current one)",
      usedBy: ['CiAlertRepository.openAlertSeveritiesOn'],
    },
    {
      name: 'ACCESS_PATTERNS.impactedCis',
      query: ACCESS_PATTERNS.impactedCis(V.alertId, V.generation),
      items: [{ entity: db.impactedCi, item: examples.impactedCi(V.generation) }],
      serves: "an impact generation's CIs, in walk order (and a generation dropped whole)",
      usedBy: ['ImpactRepository.impactedCis', 'ImpactRepository.save'],
    },
    {
      name: 'ACCESS_PATTERNS.impactGenerationsUpTo',
      query: ACCESS_PATTERNS.impactGenerationsUpTo(V.alertId, V.generation),
      items: [{ entity: db.impactedCi, item: examples.impactedCi(V.olderGeneration) }],
      serves: 'the impacted CIs of the generations a refresh replaced or abandoned (generations sort by when they started)',
      usedBy: ['ImpactRepository.save'],
    },
    {
      name: 'ACCESS_PATTERNS.workNotes',
      query: ACCESS_PATTERNS.workNotes(V.caseId),
      items: [{ entity: db.workNote, item: { caseId: V.caseId, createdAt: V.createdAt, noteId: V.noteId, text: 't', author: 'op' } }],
      serves: "a case's work notes, oldest first",
      usedBy: ['CaseRepository.listWorkNotes'],
    },
    {
      name: "ACCESS_PATTERNS.history({ kind: 'alert' })",
      query: ACCESS_PATTERNS.history({ kind: 'alert', id: V.alertId }),
      items: [{ entity: db.history, item: examples.history('alert', V.alertId) }],
      serves: "an alert's history, oldest first",
      usedBy: ['HistoryRepository.list'],
    },
    {
      name: "ACCESS_PATTERNS.history({ kind: 'case' })",
      query: ACCESS_PATTERNS.history({ kind: 'case', id: V.caseId }),
      items: [{ entity: db.history, item: examples.history('case', V.caseId) }],
      serves: "a case's history, oldest first",
      usedBy: ['HistoryRepository.list'],
    },
    {
      name: "ACCESS_PATTERNS.historyAfter({ kind: 'case' })",
      query: ACCESS_PATTERNS.historyAfter({ kind: 'case', id: V.caseId }, V.seen),
      items: [{ entity: db.history, item: examples.history('case', V.caseId) }],
      serves: "a case's (or an alert's) history entries after one: a form's look for news, which reads no item when nothing is new",
      usedBy: ['HistoryRepository.hasAfter'],
    },
    {
      name: 'ACCESS_PATTERNS.queues',
      query: ACCESS_PATTERNS.queues(),
      items: [{ entity: db.queue, item: { queueId: V.queueId, members: [], updatedAt: at, updatedBy: 'op' } }],
      serves: 'every queue with an item (few: one partition)',
      usedBy: ['QueueRepository.list'],
    },
    {
      name: "ACCESS_PATTERNS.workItemsOfQueue('queued')",
      query: ACCESS_PATTERNS.workItemsOfQueue(V.queueId, 'queued'),
      items: [{ entity: assignmentEntities(db).workItem, item: examples.workItem('queued') }],
      serves: "a queue's queued work items, best first (priority rank, then oldest), over its write shards: what routing offers next, and the managers' list",
      usedBy: ['WorkItemRepository.queued', 'WorkItemRepository.listOfQueue'],
    },
    {
      name: "ACCESS_PATTERNS.workItemsOfQueue('offered')",
      query: ACCESS_PATTERNS.workItemsOfQueue(V.queueId, 'offered'),
      items: [{ entity: assignmentEntities(db).workItem, item: examples.workItem('offered') }],
      serves: "a queue's offered work items (managers' list); an item leaves the list when accepted or cancelled",
      usedBy: ['WorkItemRepository.listOfQueue'],
    },
    {
      name: 'ACCESS_PATTERNS.timersDue',
      query: ACCESS_PATTERNS.timersDue(V.expiresAt),
      items: [
        { entity: assignmentEntities(db).workItem, item: examples.workItem('offered') },
        { entity: slaEntities(db).caseSlas, item: { caseId: V.caseId, caseVersion: 1, slas: [], nextDueAt: V.expiresAt, version: 1 } },
      ],
      serves: "timers due up to a time, over 16 write shards: offers whose time is up, cases' SLAs with a warning or breach due (the timer sweep)",
      usedBy: ['TimerRepository.due'],
    },
    {
      name: 'ACCESS_PATTERNS.playbooks',
      query: ACCESS_PATTERNS.playbooks(),
      items: [
        {
          entity: db.playbook,
          item: { playbookId: V.playbookId, name: 'p', enabled: true, order: 1, conditions: {}, action: {}, createdAt: at, updatedAt: at, updatedBy: 'op' },
        },
      ],
      serves: 'every playbook (at most 200: one partition)',
      usedBy: ['PlaybookRepository.list'],
    },
    {
      name: 'ACCESS_PATTERNS.integrations',
      query: ACCESS_PATTERNS.integrations(),
      items: [
        {
          entity: db.integration,
          item: { integrationId: V.integrationId, name: 'i', kind: 'alertmanager', mapping: {}, source: V.source, createdAt: at, createdBy: 'op', keyId: 'k' },
        },
      ],
      serves: 'every integration (at most 200: one partition)',
      usedBy: ['IntegrationRepository.list'],
    },
    {
      name: 'ACCESS_PATTERNS.slaDefinitions',
      query: ACCESS_PATTERNS.slaDefinitions(),
      items: [
        {
          entity: slaEntities(db).slaDefinition,
          item: {
            slaId: V.slaId,
            name: 's',
            kind: 'resolution',
            priorities: ['critical'],
            targetMinutes: 60,
            schedule: '24x7',
            pauseStages: ['awaiting_info'],
            warnAtPercent: [50, 75],
            retroactive: true,
            updatedAt: at,
            updatedBy: 'op',
          },
        },
      ],
      serves: 'every SLA definition (at most 100: one partition), read through the cache when cases are followed',
      usedBy: ['SlaDefinitionRepository.list'],
    },
    {
      name: 'ACCESS_PATTERNS.casesBySlaBreach',
      query: ACCESS_PATTERNS.casesBySlaBreach({ through: V.at }),
      items: [
        {
          entity: slaEntities(db).caseSlas,
          item: {
            caseId: V.caseId,
            caseVersion: 1,
            stage: V.stage,
            queue: V.queue,
            slas: [{ slaId: V.slaId, stage: 'in_progress', breachAt: V.breachAt, hasBreached: true }],
            version: 1,
          },
        },
      ],
      serves:
        "cases by the breach of their SLAs on the clock (sparse: only cases with one), earliest first, over 8 write shards, in a window: up to now (`slaBreached=true`, shown), after now (`false`), before a time (`slaDueBefore`); the index entry is the case's SLA item, which carries the case's list fields, so the other filters run in the index",
      usedBy: CASE_LIST,
    },
  ];
}

/** A pattern's keys as the docs show them, checked against its example items as their entities save them. */
function keysOf(d: Described) {
  const attrs = d.query.index ? indexKeys(d.query.index) : { pk: PARTITION_KEY, sk: SORT_KEY };
  const saved: Record<string, unknown>[] = d.items.map(({ entity, item }) => entity.build(EntityParser).parse(item).item);
  const sortKeys = saved.map((raw) => {
    const [pk, sk] = [raw[attrs.pk], raw[attrs.sk]];
    const fail = (why: string) => new Error(`${d.name}: an example ${String(raw[ENTITY_ATTRIBUTE])} ${why} (keys ${String(pk)} / ${String(sk)})`);
    if (typeof pk !== 'string' || typeof sk !== 'string') throw fail('has no key on the index the pattern reads');
    if (!d.query.partitions.includes(pk)) throw fail('is in a partition the pattern does not read');
    if (d.query.prefix !== undefined && !sk.startsWith(d.query.prefix)) throw fail(`has a sort key outside the pattern's prefix ${d.query.prefix}`);
    if (d.query.between && !(sk >= d.query.between[0] && sk <= d.query.between[1])) throw fail('has a sort key outside the range the pattern reads');
    const key = d.query.tableKeyOf?.(sk);
    if (d.query.tableKeyOf && (key?.pk !== raw[PARTITION_KEY] || key?.sk !== raw[SORT_KEY])) throw fail('is not the item its sort key stands for');
    return sk;
  });
  const [first] = saved;
  const partition = String(first[attrs.pk]);
  const sharded = d.query.partitions.length > 1;
  return {
    index: d.query.index ?? 'table',
    partition: `\`${shown(sharded ? partition.replace(/#\d+$/, '#<shard>') : partition)}\`${sharded ? ` (${d.query.partitions.length} shards)` : ''}`,
    sortKey: [
      [...new Set(sortKeys.map((sk) => `\`${shown(sk)}\``))].join(' / '),
      ...(d.query.prefix !== undefined ? [`(\`begins_with ${shown(d.query.prefix)}\`)`] : []),
      ...(d.query.between ? [`(between \`${shown(d.query.between[0])}\` and \`${shown(d.query.between[1])}\`)`] : []),
    ].join(' '),
  };
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** The index each named pattern queries (the docs' prose names patterns, this says where they read). */
const indexOf = (query: PatternQuery) => query.index ?? 'table';

/** docs/access-patterns.md. */
export function accessPatternsMarkdown(): string {
  const db = defineTable(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'docs');
  const described = describedPatterns(db);
  const projected = INDEXES.reduce((n, i) => n + (i.project === 'ALL' ? 0 : i.project.length), 0);
  const first = INDEXES[0].name;
  const last = INDEXES[INDEXES.length - 1].name;
  const lines = [
    '# Access patterns',
    '',
    '<!-- Generated by `npm run access-patterns` from lib/store/table.ts and the named access patterns of',
    '     lib/store/entities.ts (lib/store/access-patterns.ts): change those, not this file. -->',
    '',
    `One table (\`lib/store/table.ts\`): string keys \`${PARTITION_KEY}\`/\`${SORT_KEY}\`, ${INDEXES.length} overloaded global`,
    `secondary indexes \`${first}\`…\`${last}\` (keys \`${indexKeys(first).pk}\`/\`${indexKeys(first).sk}\` and so on), a`,
    `\`NEW_AND_OLD_IMAGES\` stream, TTL on \`${TTL_ATTRIBUTE}\`. Every item is a`,
    'dynamodb-toolbox entity (`lib/store/entities.ts`): its schema, its primary key',
    '(`computeKey`) and its index keys (linked attributes, hidden from reads) are',
    'defined there and nowhere else, and so is every query: a named access pattern',
    '(`ALERT_LISTS`, `CASE_LISTS`, `ACCESS_PATTERNS`) that repositories name, never',
    'an index or a key. Every request-path read is a GetItem, BatchGetItem or',
    `Query; nothing scans. Table layout ${LAYOUT_VERSION} (\`LAYOUT_VERSION\`); the table carries a`,
    '`META#layout` item naming it.',
    '',
    ITEMS,
    '',
    '## Indexes',
    '',
    row(['index', 'serves', 'projects (besides keys)']),
    row(['---', '---', '---']),
    ...INDEXES.map((i) => row([i.name, i.purpose, i.project === 'ALL' ? 'ALL' : code(i.project)])),
    '',
    `**Projections.** Every list index projects the keys plus what its`,
    'reads need (`INCLUDE`): a list reads the keys of its page from the index and',
    'the items themselves with one BatchGetItem, so the list filter fields are on',
    'every index, and what the install base and impact reads use where they read it:',
    `${projected} projected attributes of DynamoDB's 100 per table. An alert's repeat`,
    'changes nothing an index holds, so it writes no index entry at all; a state or',
    `severity change moves one small entry. The timer index (\`${TIMER_LIST.index}\`) alone projects`,
    'ALL: it is sparse (an item is on it only while a timer of it runs, an offer',
    'waiting for an answer), and a sweep fires what it reads there without reading',
    'the items again.',
    '',
    '## Queries',
    '',
    'List sort keys are `<createdAt>#<id>`, so lists are newest first. A list',
    'every alert or case lands in is spread over **write shards**',
    '(`lib/store/shards.ts`): its partition key ends in `#<shard>`,',
    `\`00\`…\`${String(ALERT_SHARDS - 1).padStart(2, '0')}\` for alerts and \`00\`…\`${String(CASE_SHARDS - 1).padStart(2, '0')}\` for cases, the shard a hash (FNV-1a) of the item's id, so`,
    'an item keeps its shard when its state changes. Lists that are per alert,',
    'per case or per parent case are not sharded. Case index keys for optional',
    'fields are absent when the field is (sparse indexes). Keys below are those',
    "of example items as their entities save them (each pattern's are checked to",
    'land where it reads), with the example values as placeholders.',
    '',
    row(['pattern', 'index', 'partition key', 'sort key', 'serves', 'used by']),
    row(['---', '---', '---', '---', '---', '---']),
    ...described.map((d) => {
      const keys = keysOf(d);
      return row([`\`${d.name}\``, keys.index, keys.partition, keys.sortKey, d.serves, code(d.usedBy)]);
    }),
    '',
    operations({
      alertList: code(Object.entries(ALERT_LISTS).map(([name, list]) => `${name} → ${list.index}`)),
      caseList: code(Object.entries(CASE_LISTS).map(([name, list]) => `${name} → ${list.index}`)),
      alertsOfCase: indexOf(ACCESS_PATTERNS.alertsOfCase('')),
      ofAccount: indexOf(ACCESS_PATTERNS.installBaseOfAccount('')),
      accountsByName: indexOf(ACCESS_PATTERNS.accountsByName()),
      onCi: indexOf(ACCESS_PATTERNS.installBaseOnCi('')),
      impactsOnCi: indexOf(ACCESS_PATTERNS.impactsOnCi('')),
    }),
    '',
    PAGES,
    '',
  ];
  return lines.join('\n');
}

const ITEMS = `## Items

| entity | pk | sk | notes |
|---|---|---|---|
| \`alert\` | \`ALERT#<alertId>\` | \`ALERT\` | \`alertId\` = \`alr_\` + 24 hex of sha256 of \`[source, sourceAlertId]\`, random when there is no \`sourceAlertId\`; carries its impact summary (\`impact\`) and affected install base (\`impactAffected\`, at most 1,000); \`occurrence\` = the sender's name for its current firing (Alertmanager's \`startsAt\`; never shown) |
| \`history\` (of an alert) | \`ALERT#<alertId>\` | \`HISTORY#<at>#<changeId>\` | \`changeId\` = \`v<version>\`: one entry per version |
| \`impactedci\` | \`ALERT#<alertId>\` | \`IMPACT#<generation>#<position>\` | one generation per changed refresh; the alert's \`impact.generation\` names the current one; \`position\` has 6 digits |
| \`case\` | \`CASE#<caseId>\` | \`CASE\` | carries its affected install base as a map \`affectedInstallBase\` keyed by item id; \`alertCount\` (alerts attached now), \`detectionIds\` (a string set of its detections' ids, for the attach conditions) and \`changedAlerts\` (the alerts the write that made this version attached or detached, for history); the last two never shown |
| \`note\` (work note) | \`CASE#<caseId>\` | \`NOTE#<createdAt>#<noteId>\` | append-only |
| \`history\` (of a case) | \`CASE#<caseId>\` | \`HISTORY#<at>#<changeId>\` | \`v<version>\`, \`note-<noteId>\`, or \`alert-<alertId>-v<version>\` (an attached alert's change followed on its case) |
| \`casegroup\` | \`CASEGROUP#<playbookId>#<sha256(groupKey)>\` | \`CASEGROUP\` | the case a grouping playbook opened for a group and when; written with that case; \`expiresAt\` a day after its window |
| \`casenumber\` | \`CASENUMBER#CS0001001\` | \`CASENUMBER\` | → \`caseId\`; written in the creating transaction under \`attribute_not_exists\`, so no number is used twice |
| \`counter\` (case-number reservation) | \`COUNTER#case\` | \`COUNTER\` | \`value\` = numbers reserved so far; an instance reserves a block with one \`ADD\` (\`lib/store/case-numbers.ts\`) |
| \`counter\` (playbooks) | \`COUNTER#playbooks\` | \`COUNTER\` | \`value\` = playbooks stored, changed in the transaction that creates or deletes one (at most 200) |
| \`majorchild\` | \`MAJORCHILD#<majorCaseId>\` | \`ACCOUNT#<accountId>\` | written with the child case: one child per account |
| \`queue\` | \`QUEUES\` | \`QUEUE#<queueId>\` | tier1–tier3 exist without an item (no members); the few queues are one partition |
| \`playbook\` | \`PLAYBOOKS\` | \`PLAYBOOK#<playbookId>\` | at most 200, one partition |
| \`integration\` | \`INTEGRATIONS\` | \`INTEGRATION#<integrationId>\` | at most 200, one partition, listed whole; \`keyId\` names its key's item (never shown) |
| \`integrationkey\` | \`INTEGRATIONKEY#<keyId>\` | \`INTEGRATIONKEY\` | \`keyId\` = the key's first 8 characters; \`keyHash\` = SHA-256 of the whole key; a copy of the integration, so an ingest request reads one item (cached 5 s per instance) |
| \`counter\` (integrations) | \`COUNTER#integrations\` | \`COUNTER\` | \`value\` = integrations stored, changed in the transaction that creates or revokes one |
| \`sourceowner\` | \`SOURCE#<source>\` | \`SOURCE\` | who a \`source\` belongs to: \`owner\` \`integration\` (with \`integrationId\`; written in the transaction that creates it, deleted in the one that revokes it) or \`alerts\` (the first raise through POST /alerts or \`Alert Raised\`; for good); written only under \`attribute_not_exists\` |
| \`config\` | \`CONFIG#<configId>\` | \`CONFIG\` | the proactive case rule (\`proactive-case-rule\`; absent = off), the case-sync rule (\`case-sync-rule\`; absent = raise priority on, close alerts off) |
| \`idempotency\` | \`IDEMPOTENCY#<sha256(scope, key)>\` | \`IDEMPOTENCY\` | \`expiresAt\` 24 h (TTL, also checked on read: DynamoDB Local does not expire items); the first response as \`response\`, or gzipped as \`responseGzip\` when large |
| \`delivery\` | \`DELIVERY#<sha256(event id)>\` | \`DELIVERY\` | an applied event delivery, written with the write it carried; \`expiresAt\` 24 h |
| \`ci\` | \`CI#<ciId>\` | \`CI\` | \`parents\` and \`children\`: string sets of ciIds (\`parent depends_on child\`) |
| \`account\` | \`ACCOUNT#<accountId>\` | \`ACCOUNT\` | |
| \`soldproduct\` | \`SOLDPRODUCT#<id>\` | \`SOLDPRODUCT\` | |
| \`installbaseitem\` | \`INSTALLBASEITEM#<id>\` | \`INSTALLBASEITEM\` | |
| \`lock\` | \`LOCK#service-map-import\` | \`LOCK\` | \`expiresAt\` 60 s; \`holder\` = a hash of the import holding it (the same import sent again takes it over) |
| \`layout\` | \`META#layout\` | \`META\` | \`version\` = the layout that wrote the table |
| \`sladefinition\` | \`SLAS\` | \`SLA#<slaId>\` | an SLA definition: \`kind\`, \`priorities\` (and \`queues\`, \`proactive\`) it applies to, \`targetMinutes\`, \`schedule\`, \`pauseStages\`, \`warnAtPercent\`, \`retroactive\`; at most 100, one partition |
| \`caseslas\` | \`CASE#<caseId>\` | \`SLAS\` | a case's task SLAs (\`slas\`), the case version they follow (\`caseVersion\`) and its list fields as of it; on the timer list (\`TIMER#<shard>\`) while a threshold is ahead (\`nextDueAt\`), on the SLA breach list (\`SLA#BREACH#<shard>\`) by the breach it is listed by; \`version\` moves with every write (a firing is written over the version read) |
| \`metricsday\` | \`METRICS#<day>\` | \`DAY\` | a UTC day's team metrics: \`counts\`, a map of \`<counter>\\|<queue>\\|<priority>\\|<source>\` → n; \`rev\` moves with every write |
| \`metricsweek\` | \`METRICS#WEEK#<first day>\` | \`SEALED\` | the sealed days of a week (7 days from the epoch): slots \`d0\`..\`d6\`, each its day's cells as deflated JSON; a later write to one of its days deletes the week |
| \`metricsbacklog\` | \`METRICS#BACKLOG\` | \`BACKLOG\` | open cases now: \`counts\`, \`<queue>\\|<priority>\\|<stage>\` → n |
| \`metricscursor\` | \`CASE#<caseId>\` or \`ALERT#<alertId>\` | \`METRICS\` | what of the record was counted: \`version\` (and the SLA item's \`slasVersion\`), \`assigned\`, \`settled\`, \`converted\` |

Every item has \`entity\` (the toolbox's entity attribute, saved as \`entity\`).
The history stream filter keeps \`alert\`, \`case\`, \`note\` and \`caseslas\`, so the handler never
sees its own writes. Alerts and cases also carry \`lastAction\` (hidden from
reads): the history entry's action. Enumerated fields (an alert's \`state\` and
\`severity\`; a case's \`stage\`, \`priority\`, \`origin\`, \`majorCase\` and
\`closedReason\`; an account's \`type\`; a CI's \`class\` and \`operationalStatus\`;
an impacted CI's \`class\` and \`kind\`; an integration's \`kind\`) are enums of
the domain's own lists: an entity writes and reads back only those values.`;

/** What each repository method sends, by pattern; `ix` names the index a pattern queries. */
const operations = (ix: { alertList: string; caseList: string; alertsOfCase: string; ofAccount: string; onCi: string; impactsOnCi: string; accountsByName: string }) => `## Operations

| pattern | method | operation |
|---|---|---|
| read an alert | \`AlertRepository.get\` | GetItem (consistent) |
| raise a new alert | \`AlertRepository.create\` | PutItem, \`alertId\` not existing; from an event, TransactWriteItems with the \`delivery\` marker (\`lib/store/deliveries.ts\`) |
| repeat a known alert | \`AlertRepository.repeat\` | UpdateItem (\`$add\` occurrences and version), alert existing and not closed, else existing with state back to \`open\` |
| clear / change state | \`AlertRepository.setState\` | UpdateItem, state differs (+ version for If-Match); the state list's key follows the state |
| where many alerts stand (a payload's) | \`AlertBatchRepository.standings\` | BatchGetItem (consistent), 100 keys a call: state and current occurrence; a re-sent firing or a clear of a closed alert writes nothing |
| raise many new alerts (a payload's) | \`AlertBatchRepository.createMany\` | TransactWriteItems of up to 100 PutItems (3 MB), each \`alertId\` not existing, 4 in flight, with a ClientRequestToken; an item refused is created meanwhile (repeated instead), the rest go again |
| repeat a firing from a sender | \`AlertRepository.repeat\` with \`occurrence\` | UpdateItem as a repeat, and \`occurrence\` absent or another: the same firing again writes nothing |
| clear / acknowledge from a sender | \`AlertRepository.transition\` | UpdateItem, state differs, and (clear) the occurrence is the alert's current one or absent, (acknowledge) the state is \`open\` |
| find an integration by a presented key | \`IntegrationKeyRepository.credential\` | GetItem \`INTEGRATIONKEY#<keyId>\` (cached 5 s per instance, absent ones too), then the hash compared in constant time |
| create / revoke / list integrations | \`IntegrationRepository.create\` / \`revoke\` / \`list\` | TransactWriteItems: integration, key item, counter (at most 200; conflicts on the counter tried again), source owner (only if absent); GetItem then TransactWriteItems deleting the three and the counter's decrement; Query \`integrations\` |
| who owns a source (POST /alerts, \`Alert Raised\`) | \`SourceRepository.claimForAlerts\` | GetItem \`SOURCE#<source>\` (cached 5 s per instance), PutItem \`owner: alerts\` under \`attribute_not_exists\` when there is none |
| list alerts (state, severity, source) | \`AlertListRepository.list\` | one wave of Query on every shard of the most selective filter's list (${ix.alertList}), the other filters in the query; then BatchGetItem of the page's alerts |
| convert an alert to a case | \`CaseRepository.readForCreation\` then \`commitCreation\` (the use case \`convertAlert\` makes the case between them) | BatchGetItem (alert; idempotency record with a key; the queue unless cached) then TransactWriteItems: case, case number, alert link (\`caseId\` not existing), idempotency record with the case. Every 20th creation of an instance adds an UpdateItem \`ADD\` on the counter (a new block of numbers) |
| create a manual case | \`CaseRepository.readForCreation\` then \`commitCreation\` | (BatchGetItem: idempotency record, queue, when needed) then TransactWriteItems: case, case number, idempotency record with the case |
| create a child case | \`CaseRepository.commitCreation\` with \`childOf\` (the use case \`acceptMajorCase\` makes the child) | TransactWriteItems: case, case number, guard (\`MAJORCHILD#<majorCaseId>\`, \`ACCOUNT#<accountId>\`; absent) |
| read a case | \`CaseRepository.get\` | GetItem (consistent) |
| read a case by number | \`CaseRepository.getByNumber\` | GetItem \`CASENUMBER#n\`, then GetItem the case |
| change a case | \`CaseRepository.replace\` | GetItem, then PutItem with \`version = :read\` |
| change a major case with its open children, or with a work note | \`CaseRepository.replaceWithCarried\` | TransactWriteItems (each case conditional on its version, notes on not existing), 100 items a transaction, the major case in the first |
| list cases (stage, queue, assignee, accountId, proactive, parentCaseId) | \`CaseListRepository.list\` | one wave of Query on every shard of the first indexed filter's list (${ix.caseList}), the rest in the query (\`proactive\` is always a filter); then BatchGetItem of the page's cases |
| the case an alert is attached to now (\`GET /cases?alertId=\`) | \`CaseListRepository.list({ alertId })\` | GetItem the alert, GetItem its case; the other filters checked on it (a list of at most one, no cursor) |
| attach / move alerts to a case | \`CaseAlertRepository.readForAttach\` then \`commitAttachStep\` per step (the use case \`attach\` plans the steps with the domain's \`planAttach\`) | BatchGetItem (consistent: the case and the alerts), then TransactWriteItems of at most 100 items: the case (\`ADD alertCount\`, \`version\`; new detections appended with \`ADD detectionIds\`, conditional on the detections read; \`alertCount <= 1000 - n\`; a stage that takes alerts), each alert (\`caseId\` absent, or for a move still the case it leaves; sets \`caseId\`, \`caseNumber\`, its \`alertsOfCase\` keys), each case alerts move from (\`ADD alertCount -k\`). 100 alerts: 2 BatchGetItem + 2 TransactWriteItems |
| detach an alert | \`CaseAlertRepository.readForDetach\` then \`commitDetach\` | BatchGetItem, then TransactWriteItems: the alert (\`REMOVE caseId, caseNumber\` and its \`alertsOfCase\` keys; \`caseId\` still this case), the case (\`ADD alertCount -1\`) |
| a case's alerts, in the order they joined | \`CaseListRepository.alertsOf\` / \`allAlertsOf\` | Query \`alertsOfCase\` (${ix.alertsOfCase}) oldest first, then BatchGetItem of the page's alerts (one that left since is passed over) |
| raise a case's priority for an attached alert | \`CaseAlertRepository.raisePriority\` | UpdateItem \`priority\`, only if lower and the case is still being worked |
| a grouping playbook's case for a group | \`CaseRepository.group\` / \`commitCreation\` with \`group\` | GetItem \`CASEGROUP#<playbookId>#<sha256(groupKey)>\`; a new group case is written in the conversion's transaction with the group item (absent, or still naming the case it replaces); TTL a day after its window |
| children of a major case | \`CaseListRepository.children\` | the case list by \`parentCaseId\`, all pages |
| add / list work notes | \`CaseRepository.addWorkNote\` / \`addWorkNotes\` / \`listWorkNotes\` | PutItem (or TransactWriteItems for a major case's note and its children's); Query \`workNotes\` |
| append / list history | \`HistoryRepository.appendAll\` / \`list\` | BatchWriteItem, 25 entries a call (an entry's key comes from its change: written again, it is the same item); Query \`history\` oldest first |
| read / list / set queues | \`QueueRepository.get\` / \`list\` / \`put\` | GetItem, Query \`queues\` (both cached 5 s per instance); PutItem |
| claim / complete / release an idempotency key | \`IdempotencyRepository\` | PutItem (absent or expired), UpdateItem, DeleteItem |
| the impact walk: a frontier of CIs with their parents | \`ServiceMapRepository.nodes\` | BatchGetItem, 100 keys a call, all chunks in parallel: one wave per level |
| read a CI with parents and children | \`ServiceMapRepository.get\` | GetItem |
| a CI's class for playbook matching | \`ServiceMapRepository.classOf\` | GetItem (cached 5 s per instance) |
| import CIs / relationships | \`ServiceMapImportRepository.importRows\` | PutItem lock; BatchGetItem the CIs touched, merge, BatchWriteItem |
| import accounts, sold products, items | \`InstallBaseRepository.put\` | BatchWriteItem |
| accounts by name, a page at a time | \`InstallBaseRepository.accountsByName\` | Query \`accountsByName\` (${ix.accountsByName}: every shard, \`begins_with\` the lower-cased prefix, merged A to Z), then BatchGetItem of the page's accounts |
| an account's install base, a page at a time | \`InstallBaseRepository.accountPage\` | GetItem account + Query \`installBaseOfAccount\` (${ix.ofAccount}: sold products, then items) |
| an account's install base for a case's health and details | \`InstallBaseRepository.ofAccount\` | Query \`installBaseOfAccount\` (${ix.ofAccount}) of each kind (\`begins_with\` \`SOLDPRODUCT#\` and \`INSTALLBASEITEM#\`), at most 1,000 each |
| install base items on impacted CIs | \`InstallBaseRepository.onCis\` | Query \`installBaseOnCi\` (${ix.onCi}) per CI, in walk order, in parallel (bounded), none started after the refresh's look-up deadline: the CIs looked up are the impact |
| store a refreshed impact | \`ImpactRepository.save\` | UpdateItem alert (\`impactPending\`), BatchWriteItem (new generation, at most 10,000, waves until the deadline), UpdateItem alert conditional on the generation it replaces, then until the clean-up deadline: Query \`impactGenerationsUpTo\` the current generation and BatchWriteItem deletes of the replaced ones (a generation that lost the switch: Query \`impactedCis\`, deleted whole) |
| read impacted CIs, a page at a time | \`ImpactRepository.impactedCis\` | GetItem alert + Query \`impactedCis\` |
| open alerts impacting CIs (health) | \`CiAlertRepository.openAlertSeveritiesOn\` | Query \`impactsOnCi\` (${ix.impactsOnCi}) per CI, BatchGetItem of the alerts (current generation, open) |
| open alerts for the schedule and the playbook dry run | \`AlertListRepository.list({ state })\` / \`AlertListRepository.listPage\` | the alert list by state, paged |
| link an incident to its alert | \`AlertRepository.linkIncident\` | UpdateItem, only when the incident id differs |
| read / set the proactive rule and the case-sync rule | \`ConfigRepository\` | GetItem (consistent; cached 5 s per instance) / PutItem |
| list / read / write playbooks | \`PlaybookRepository\` | Query \`playbooks\` (consistent; an alert raise reads it through the 5 s cache); GetItem; create and delete: TransactWriteItems with the \`COUNTER#playbooks\` item (under 200); replace: PutItem conditional on existence |
| count a batch of changes (the metrics stream) | \`MetricsRepository.cursors\` then \`count\` | BatchGetItem of the records' cursors; then a TransactWriteItems per chunk (at most 100 items, 60 counts an update): each cursor conditional on the version read, \`SET counts.k = if_not_exists(counts.k, 0) + n\` and \`ADD rev 1\` on each day item, the backlog's counts, and a delete of the week of each day before today (its seals); a day item is first put with an empty map, conditional on not existing |
| the summary's counters | \`MetricsRepository.counters\` | BatchGetItem of the weeks of the days before yesterday, the day items of yesterday and today, and the backlog; then BatchGetItem of the day items of the days found unsealed (90 days: 16 items) |
| seal days that are over (the roll-up) | \`MetricsRepository.seal\` | BatchGetItem of a year's weeks, then of the unsealed days' items; a TransactWriteItems per week: ConditionCheck of each day item's \`rev\` as read, UpdateItem of the week's slots |
| rebuild team metrics | \`MetricsRepository.replace\` | BatchWriteItem of the day items (a new \`rev\`), the backlog and the cursors, deletes of other days of the range; then deletes of the range's weeks |`;

const PAGES = `## Pages and cursors

A page of a list reads every shard at once, each for up to \`limit\` entries,
and merges them newest first. An entry is returned only down to the furthest
point a shard with more to read has reached (anything past it could be
preceded by an entry that shard has not shown yet), so an unfiltered page is
full and a filtered one may be short, with a cursor for the rest. Every cursor
is base64url JSON, made and read by one codec (\`lib/domain/cursor.ts\`): for a
queried list, a tag of the list it belongs to (what is listed, the filters,
the index and partitions) and each shard's position (not started, the last
sort key returned, or done); for a list read whole (queues, playbooks,
integrations), the id of the last item returned; for the playbook dry run, the
open state being read and the cursor of its list. A cursor is accepted only
for its own list, with one well-formed position per shard whose sort key could
be one of that list's (the pattern's \`tableKeyOf\`: for history and work notes,
one that begins with \`HISTORY#\` / \`NOTE#\`); anything else is a 400 naming
\`cursor\`, never a database error. The page's items are then read with one
BatchGetItem, so each is exactly what a single read returns; one that changed
since the index saw it and no longer matches the filters is left out.`;
