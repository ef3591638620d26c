/**
 * Every deployed function: its entry file, what triggers it, exactly which
 * table actions and indexes it uses (its IAM grant, and what the local
 * runtime checks it stays within), and (stream functions) the filter of its
 * event source mapping. The CDK stack and the local runtime both read this list.
 */
import type { Pattern } from './events/patterns.js';
import { ASSIGNMENT_STREAM_FILTER, EVENTS_STREAM_FILTER, HISTORY_STREAM_FILTER, METRICS_STREAM_FILTER, SLA_STREAM_FILTER } from './events/rules.js';
import { REFERENCE_DIR } from './http/reference.js';
import type { FunctionGroup } from './contract/operation.js';
import { fileURLToPath } from 'node:url';
import { indexesQueriedFrom } from './store/index-grants.js';
import type { IndexName } from './store/table.js';

/** DynamoDB actions on the table (a transaction needs the action of each of its items). */
export const TABLE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'Query', 'BatchGetItem', 'BatchWriteItem'] as const;
export type TableAction = (typeof TABLE_ACTIONS)[number];

export interface TableAccess {
  actions: TableAction[];
  /**
   * Indexes it queries (Query on the table itself is `actions: ['Query']`
   * alone): derived from the access patterns its code reaches
   * (lib/store/index-grants.ts), never written here.
   */
  indexes: IndexName[];
}

export interface FunctionSpec {
  name: string;
  entry: string;
  /** `invoke`: run by an operator (`aws lambda invoke`), on no trigger; not run locally. */
  trigger: 'http' | 'stream' | 'event' | 'schedule' | 'invoke';
  /** What it does with the table; none when it only reads the stream. */
  table?: TableAccess;
  /** Stream functions: only records matching this pattern reach them. */
  streamFilter?: Pattern;
  /**
   * Stream functions whose records gather before they run, locally too (in
   * AWS every mapping waits up to 1 s): the metrics function sums a batch
   * into one write per counter item, so bigger batches keep those items cool.
   */
  batchWindowSeconds?: number;
  /** Puts events on the bus (needs the bus name and events:PutEvents). */
  publishes?: boolean;
  /** Lambda timeout; the local runtime gives handlers the same remaining time. */
  timeoutSeconds: number;
  /** Schedule functions: how often a run starts (in AWS; locally too, unless `local` says otherwise). Unset: the impact schedule's interval, which the stack and the runtime are given. */
  everySeconds?: number;
  /** Locally: how often a run starts, and its environment (a local run of the timer sweep sweeps once). */
  local?: { everySeconds: number; environment: Record<string, string> };
  /** Invoked functions: the stream function whose mapping it pauses while it runs (its UUID in PAUSED_MAPPING_UUID, and leave to disable and enable it). */
  pausesStreamOf?: string;
  /** A folder of data files shipped beside the bundle (the code reads them next to itself, in the source tree as in the asset). */
  files?: string;
}

/** The impact recalculation schedule (SPEC §5): EventBridge Scheduler in AWS, a timer locally. */
export const IMPACT_SCHEDULE_MINUTES = 15;

const READ_WRITE: TableAction[] = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem'];

/** Above the 8 s database budget; imports of up to 10,000 rows get API Gateway's most (29 s). */
const HTTP: Record<FunctionGroup, Omit<(typeof DECLARED)[number], 'name' | 'entry' | 'trigger'>> = {
  // alerts and their lists, history, conversion (one or many), playbooks on raise (grouping joins a case)
  'alerts-api': { table: { actions: READ_WRITE }, timeoutSeconds: 10 },
  // cases and their lists, a case's alerts (gsi5), major cases and their children
  'cases-api': { table: { actions: READ_WRITE }, timeoutSeconds: 10 },
  'case-lists-api': { table: { actions: ['GetItem', 'Query', 'BatchGetItem'] }, timeoutSeconds: 10 },
  // queues, the proactive rule, playbooks and their dry run over open alerts (by state)
  'config-api': { table: { actions: READ_WRITE }, timeoutSeconds: 10 },
  // a case's install base items, their health (open alerts impacting a CI: gsi7), the sold products of its account (gsi5)
  'case-install-base-api': { table: { actions: READ_WRITE }, timeoutSeconds: 10 },
  // imports (batched writes), catalog reads, and an alert's impact: the walk, install base items by CI (gsi6), impact generations (batched writes)
  'catalog-api': { table: { actions: [...READ_WRITE, 'BatchWriteItem'] }, timeoutSeconds: 29 },
  // Alertmanager and PagerDuty payloads: the integration's key, raises, repeats, clears, playbooks on raise; up to 1,000 alerts a request
  'ingest-api': { table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem'] }, timeoutSeconds: 29 },
  // the inbox, presence and capacity, queues' waiting work, accept (a transaction with the case) and reject
  'assignment-api': { table: { actions: READ_WRITE }, timeoutSeconds: 10 },
  // SLA definitions, a case's task SLAs (their clocks read in business time)
  'sla-api': { table: { actions: READ_WRITE }, timeoutSeconds: 10 },
  'metrics-api': { table: { actions: ['GetItem', 'BatchGetItem'] }, timeoutSeconds: 10 },
  // /health, /openapi.json, /docs: no table; the reference is generated beforehand (npm run openapi) and read from files
  'public-api': { timeoutSeconds: 10, files: REFERENCE_DIR },
};

const DECLARED: (Omit<FunctionSpec, 'table'> & { table?: Omit<TableAccess, 'indexes'> })[] = [
  ...(Object.entries(HTTP) as [FunctionGroup, (typeof HTTP)[FunctionGroup]][]).map(([name, spec]) => ({
    name,
    entry: `functions/http/${name}.ts`,
    trigger: 'http' as const,
    ...spec,
  })),
  { name: 'history', entry: 'functions/streams/history.ts', trigger: 'stream', table: { actions: ['BatchWriteItem'] }, streamFilter: HISTORY_STREAM_FILTER, timeoutSeconds: 60 },
  // work items follow their cases, queued items are offered, room that frees offers the next
  { name: 'assignment', entry: 'functions/streams/assignment.ts', trigger: 'stream', table: { actions: READ_WRITE }, streamFilter: ASSIGNMENT_STREAM_FILTER, timeoutSeconds: 60 },
  // cases' task SLAs follow their cases (start, pause, resume, complete, cancel)
  { name: 'slas', entry: 'functions/streams/slas.ts', trigger: 'stream', table: { actions: ['GetItem', 'PutItem', 'Query'] }, streamFilter: SLA_STREAM_FILTER, timeoutSeconds: 60 },
  { name: 'metrics', entry: 'functions/streams/metrics.ts', trigger: 'stream', table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem'] }, streamFilter: METRICS_STREAM_FILTER, batchWindowSeconds: 1, timeoutSeconds: 60 },
  { name: 'events', entry: 'functions/streams/events.ts', trigger: 'stream', streamFilter: EVENTS_STREAM_FILTER, publishes: true, timeoutSeconds: 60 },
  // raise (with the delivery marker), playbooks, conversion
  { name: 'alert-raised', entry: 'functions/events/alert-raised.ts', trigger: 'event', table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem'] }, timeoutSeconds: 30 },
  // CloudWatch alarms, GuardDuty and Security Hub findings from the default bus: raise (with the delivery marker), clear, playbooks
  { name: 'aws-alerts', entry: 'functions/events/aws-alerts.ts', trigger: 'event', table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem'] }, timeoutSeconds: 60 },
  // incident link, impact refresh, proactive conversion
  {
    name: 'incident-created',
    entry: 'functions/events/incident-created.ts',
    trigger: 'event',
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem', 'BatchWriteItem'] },
    timeoutSeconds: 30,
  },
  // offers whose time is up go back to their queue, SLAs warn and breach (a run a minute, sweeping every few seconds)
  {
    name: 'timers',
    entry: 'functions/schedule/timers.ts',
    trigger: 'schedule',
    everySeconds: 60,
    local: { everySeconds: 1, environment: { TIMER_RUN_MS: '0' } },
    table: { actions: ['GetItem', 'UpdateItem', 'PutItem', 'Query', 'BatchGetItem'] },
    timeoutSeconds: 70,
  },
  // team metrics: days that are over sealed (a summary reads one small value a day), the backlog to CloudWatch
  {
    name: 'metrics-rollup',
    entry: 'functions/schedule/metrics-rollup.ts',
    trigger: 'schedule',
    everySeconds: 900,
    local: { everySeconds: 600, environment: {} },
    table: { actions: ['GetItem', 'PutItem', 'ConditionCheckItem', 'BatchGetItem'] },
    timeoutSeconds: 120,
  },
  // an operator's: team metrics recounted from history, the metrics function's stream paused meanwhile (docs/operations.md)
  {
    name: 'metrics-rebuild',
    entry: 'functions/admin/metrics-rebuild.ts',
    trigger: 'invoke',
    pausesStreamOf: 'metrics',
    table: { actions: ['Query', 'BatchGetItem', 'BatchWriteItem'] },
    timeoutSeconds: 900,
  },
  // open alerts, impact refresh
  {
    name: 'impact-schedule',
    entry: 'functions/schedule/recalculate-impact.ts',
    trigger: 'schedule',
    table: { actions: ['GetItem', 'UpdateItem', 'Query', 'BatchGetItem', 'BatchWriteItem'] },
    timeoutSeconds: 600,
  },
];

/** Minutes between runs of a schedule function in AWS (the impact schedule's interval unless it has its own). */
export const everyMinutesOf = (spec: FunctionSpec, impactMinutes = IMPACT_SCHEDULE_MINUTES) => (spec.everySeconds === undefined ? impactMinutes : spec.everySeconds / 60);

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const FUNCTIONS: FunctionSpec[] = DECLARED.map((spec) => ({
  ...spec,
  table: spec.table && { actions: spec.table.actions, indexes: indexesQueriedFrom(ROOT, spec.entry) },
}));
