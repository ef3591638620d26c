/**
 * The event bus, its rules and the stream filter: one definition for the CDK
 * stack and the local runtime.
 */
import type { Pattern } from './patterns.js';
import { HISTORY_SOURCE_ENTITIES } from '../store/table.js';
import { AWS_ALERT_EVENTS } from '../sources/aws-events.js';

export const BUS_NAME = 'alert-to-case';
/** Events this service publishes carry this source; rules never route them back in. */
export const OWN_SOURCE = 'alert-to-case';

export interface BusRule {
  name: string;
  /** The bus the rule is on: this service's (default) or the account's default bus, where AWS services put their events. */
  bus?: 'default';
  pattern: Pattern;
  /** Function (see lib/functions.ts) the rule targets. */
  target: string;
}

export const BUS_RULES: BusRule[] = [
  {
    name: 'alert-raised',
    pattern: { 'detail-type': ['Alert Raised'], source: [{ 'anything-but': [OWN_SOURCE] }] },
    target: 'alert-raised',
  },
  {
    name: 'aws-alerts',
    bus: 'default',
    pattern: {
      source: AWS_ALERT_EVENTS.map((e) => e.source),
      'detail-type': AWS_ALERT_EVENTS.map((e) => e.detailType),
    },
    target: 'aws-alerts',
  },
  {
    name: 'incident-created',
    pattern: { 'detail-type': ['Incident Created'], source: [{ 'anything-but': [OWN_SOURCE] }] },
    target: 'incident-created',
  },
];

/**
 * Stream records the history handler receives: changes of alerts, cases and
 * work notes. Its own history writes (and every other item) are filtered out.
 */
export const HISTORY_STREAM_FILTER: Pattern = {
  dynamodb: { NewImage: { entity: { S: [...HISTORY_SOURCE_ENTITIES] } } },
};

/** Stream records the event publisher receives: changes of alerts, cases, work items and cases' SLAs. */
export const EVENTS_STREAM_FILTER: Pattern = {
  dynamodb: { NewImage: { entity: { S: ['alert', 'case', 'workitem', 'caseslas'] } } },
};

/** Stream records work assignment follows: cases (work items, who holds what), work items (queued ones are offered), agents and queues (room or members appear). */
export const ASSIGNMENT_STREAM_FILTER: Pattern = {
  dynamodb: { NewImage: { entity: { S: ['case', 'workitem', 'agent', 'queue'] } } },
};

/** Stream records team metrics count: changes of cases, their SLAs and alerts. */
export const METRICS_STREAM_FILTER: Pattern = {
  dynamodb: { NewImage: { entity: { S: ['alert', 'case', 'caseslas'] } } },
};

/** Stream records service levels follow: cases. */
export const SLA_STREAM_FILTER: Pattern = {
  dynamodb: { NewImage: { entity: { S: ['case'] } } },
};

/** Environment of functions that publish: the bus, and (locally) where PutEvents goes. */
export const EVENT_BUS_ENV = 'EVENT_BUS_NAME';
export const EVENTS_ENDPOINT_ENV = 'EVENTBRIDGE_ENDPOINT';
