/**
 * Every deployed function: its entry file, what triggers it, what it may do
 * with the table, and (stream functions) the filter of its event source
 * mapping. The CDK stack and the local runtime both read this list.
 */
import type { Pattern } from './events/patterns.js';
import { EVENTS_STREAM_FILTER, HISTORY_STREAM_FILTER } from './events/rules.js';
import { FUNCTION_GROUPS } from './http/routes.js';

export interface FunctionSpec {
  name: string;
  entry: string;
  trigger: 'http' | 'stream' | 'event' | 'schedule';
  /** What it may do with the table; none when it only reads the stream. */
  table?: 'read' | 'write' | 'readwrite';
  /** Stream functions: only records matching this pattern reach them. */
  streamFilter?: Pattern;
  /** Puts events on the bus (needs the bus name and events:PutEvents). */
  publishes?: boolean;
  /** Lambda timeout; the local runtime gives handlers the same remaining time. */
  timeoutSeconds: number;
}

/** The impact recalculation schedule (SPEC §5): EventBridge Scheduler in AWS, a timer locally. */
export const IMPACT_SCHEDULE_MINUTES = 15;

export const FUNCTIONS: FunctionSpec[] = [
  ...FUNCTION_GROUPS.map((name) => ({
    name,
    entry: `functions/http/${name}.ts`,
    trigger: 'http' as const,
    // /health touches no table.
    ...(name === 'public-api' ? {} : { table: 'readwrite' as const }),
    // Above the 8 s database budget; imports of up to 10,000 rows get API Gateway's most (29 s).
    timeoutSeconds: name === 'catalog-api' ? 29 : 10,
  })),
  { name: 'history', entry: 'functions/streams/history.ts', trigger: 'stream', table: 'write', streamFilter: HISTORY_STREAM_FILTER, timeoutSeconds: 60 },
  { name: 'events', entry: 'functions/streams/events.ts', trigger: 'stream', streamFilter: EVENTS_STREAM_FILTER, publishes: true, timeoutSeconds: 60 },
  { name: 'alert-raised', entry: 'functions/events/alert-raised.ts', trigger: 'event', table: 'readwrite', timeoutSeconds: 30 },
  { name: 'incident-created', entry: 'functions/events/incident-created.ts', trigger: 'event', table: 'readwrite', timeoutSeconds: 30 },
  { name: 'impact-schedule', entry: 'functions/schedule/recalculate-impact.ts', trigger: 'schedule', table: 'readwrite', timeoutSeconds: 600 },
];
