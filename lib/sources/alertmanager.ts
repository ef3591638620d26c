/**
 * Alertmanager's webhook, payload version 4 (SPEC §2 "Alert sources";
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config):
 * one signal per entry of `alerts[]`, keyed by its `fingerprint`.
 *
 * Only the fields used are checked; the rest (groupKey, receiver,
 * commonLabels, fields of later Alertmanager versions) are accepted unread.
 */
import * as z from 'zod/mini';
import { ALERT_LIMITS } from '../domain/alert.js';
import type { FieldError } from '../domain/errors.js';
import { fieldErrors } from '../contract/validation.js';
import {
  ALERTMANAGER_SEVERITIES,
  Attributes,
  checkSignals,
  ciIdFrom,
  cut,
  firstText,
  fitsAttributeKey,
  invalidPayload,
  severityFrom,
} from './mapping.js';
import type { Signal, SourceContext } from './signal.js';

/** More in one request is 413 at the route; refused here too if it ever gets this far. */
export const MAX_ALERTS_PER_PAYLOAD = 1000;
const DEFAULT_CI_LABEL = 'instance';
const WHAT = 'Alertmanager payload';

/** Labels and annotations: string → string, each name one that can follow `labels.` or `annotations.` in an attribute key. */
const namedStrings = (prefix: string) =>
  z.nullish(z.record(z.string().check(z.refine((name) => fitsAttributeKey(prefix, name))), z.string()));

export const AlertmanagerAlert = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    status: z.enum(['firing', 'resolved']),
    labels: namedStrings('labels.'),
    annotations: namedStrings('annotations.'),
    startsAt: z.optional(z.string().check(z.maxLength(64))),
    generatorURL: z.optional(z.string()),
    fingerprint: z.string().check(z.minLength(1), z.maxLength(ALERT_LIMITS.sourceAlertId)),
  }),
);

export const AlertmanagerWebhook = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    version: z.literal('4'),
    alerts: z.array(AlertmanagerAlert).check(z.maxLength(MAX_ALERTS_PER_PAYLOAD)),
  }),
);

type Alert = z.infer<typeof AlertmanagerAlert>;

/**
 * `startsAt` as an occurrence: in UTC to the millisecond, so occurrences
 * compare in time order as text (a resolution of an earlier firing is older
 * than the alert's current one). Alertmanager writes nanoseconds and any
 * offset; one that does not parse is kept as it came.
 */
function occurrenceOf(startsAt: string): string {
  const at = Date.parse(startsAt);
  return Number.isNaN(at) ? startsAt : new Date(at).toISOString();
}

type Strings = Record<string, string>;

const ownString = (map: Strings, name: string) => (Object.hasOwn(map, name) ? map[name] : undefined);

/**
 * The signals of one webhook payload, every alert in it checked first: a bad
 * entry throws `Invalid` naming it (`alerts.3.labels`) and nothing is returned.
 */
export function alertmanagerSignals(payload: unknown, ctx: SourceContext): Signal[] {
  // More than MAX_ALERTS_PER_PAYLOAD: the route answers 413 before this; the schema refuses them too.
  const result = AlertmanagerWebhook.safeParse(payload, { reportInput: true });
  if (!result.success) throw invalidPayload(WHAT, errorsOf(result.error.issues));

  const errors: FieldError[] = [];
  // One alert per fingerprint: when a payload names one twice, the last entry
  // is the newest state Alertmanager had, so it is the one kept.
  const byFingerprint = new Map<string, Signal>();
  result.data.alerts.forEach((alert, index) => {
    const signal = signalOf(alert, index, ctx, errors);
    if (!signal) return;
    byFingerprint.delete(alert.fingerprint);
    byFingerprint.set(alert.fingerprint, signal);
  });
  if (errors.length > 0) throw invalidPayload(WHAT, errors);
  return checkSignals([...byFingerprint.values()], WHAT);
}

function signalOf(alert: Alert, index: number, ctx: SourceContext, errors: FieldError[]): Signal | undefined {
  const at = `alerts.${index}`;
  const labels: Strings = alert.labels ?? {};
  const annotations: Strings = alert.annotations ?? {};

  const attributes = new Attributes();
  const tooMany = (field: string) => {
    errors.push({ path: `${at}.${field}`, message: 'too many labels and annotations: an alert keeps at most 100 attributes' });
    return undefined;
  };
  for (const [name, value] of Object.entries(labels)) if (!attributes.set(`labels.${name}`, value)) return tooMany('labels');
  for (const [name, value] of Object.entries(annotations)) if (!attributes.set(`annotations.${name}`, value)) return tooMany('annotations');
  if (alert.generatorURL && !attributes.set('generatorURL', alert.generatorURL)) return tooMany('generatorURL');

  const alertname = firstText(ownString(labels, 'alertname'));
  const ciId = ciIdFrom(ownString(labels, ctx.mapping.ciField ?? DEFAULT_CI_LABEL));
  return {
    action: alert.status === 'firing' ? 'raise' : 'clear',
    at,
    alert: {
      source: ctx.source,
      sourceAlertId: alert.fingerprint,
      severity: severityFrom(ownString(labels, 'severity'), ALERTMANAGER_SEVERITIES, ctx.mapping),
      description: cut(
        firstText(ownString(annotations, 'summary'), ownString(annotations, 'description'), alertname) ?? `Alertmanager alert ${alert.fingerprint}`,
      ),
      ...(ciId ? { ciId } : {}),
      ...(alertname ? { type: cut(alertname, ALERT_LIMITS.type) } : {}),
      attributes: attributes.values,
    },
    // The same firing sent again (a repeat, a retry, the other of an HA pair) has the same startsAt.
    ...(alert.startsAt ? { occurrence: occurrenceOf(alert.startsAt) } : {}),
  };
}

/** zod's issues in Alertmanager's words: a label's problem is reported on the entry's `labels`, naming the label. */
function errorsOf(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.slice(0, 20).map((issue) => {
    const [error] = fieldErrors([issue]);
    const [first, index, field, name] = issue.path;
    if (first !== 'alerts' || (field !== 'labels' && field !== 'annotations')) return error;
    const path = `alerts.${String(index)}.${field}`;
    const kind = field === 'labels' ? 'label' : 'annotation';
    if (name === undefined) {
      return { path, message: issue.code === 'invalid_type' ? 'expected an object of string values' : error.message };
    }
    const quoted = JSON.stringify(cut(String(name), 80));
    if (issue.code === 'invalid_key') {
      const longest = ALERT_LIMITS.attributeKey - `${field}.`.length;
      return { path, message: `${kind} name ${quoted} cannot be an attribute name (letters, digits, _ . : - only, at most ${longest} characters)` };
    }
    return { path, message: `${kind} ${quoted}: ${error.message}` };
  });
}
