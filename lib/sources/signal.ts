/**
 * What every alert source's payload becomes (SPEC §2 "Alert sources"): a list
 * of signals in the product's words, each raising, clearing or acknowledging
 * one alert. The formats (Alertmanager, PagerDuty Events v2, the AWS events)
 * each turn their payload into signals in their own module here; one use case
 * (lib/usecases/ingest.ts) applies them, whatever sent them.
 */
import type { AttributeValue, Detection } from '../domain/alert.js';
import type { IntegrationMapping } from '../domain/integration.js';
import type { Severity } from '../domain/priority.js';

export { INTEGRATION_KINDS, type IntegrationKind, type IntegrationMapping } from '../domain/integration.js';

/** What a format needs to know of the integration a payload came through. */
export interface SourceContext {
  /** The alerts' `source` (the mapping's, else the integration's name). */
  source: string;
  mapping: IntegrationMapping;
}

/** The alert a signal raises (or names, to clear or acknowledge): the fields of `POST /alerts`, always valid for it. */
export interface SignalAlert {
  source: string;
  sourceAlertId: string;
  severity: Severity;
  description: string;
  ciId?: string;
  type?: string;
  attributes: Record<string, AttributeValue>;
  detections?: Detection[];
}

export interface Signal {
  action: 'raise' | 'clear' | 'acknowledge';
  /** Where in the payload it came from, for error paths and answers: `alerts.3`, `detail.findings.0`, `` for a whole payload. */
  at: string;
  alert: SignalAlert;
  /**
   * The sender's name for this occurrence, when it has one (Alertmanager's
   * `startsAt`): a raise with the alert's current occurrence again is a re-sent
   * notification and changes nothing; a clear naming an earlier occurrence
   * than the alert's current one is stale and changes nothing. Occurrences
   * compare in time order as text (Alertmanager's are UTC timestamps).
   */
  occurrence?: string;
}
