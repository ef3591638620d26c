/**
 * What every alert format shares (SPEC §2 "Alert sources"): severity maps, the
 * helpers that turn a sender's names and values into ones an alert accepts,
 * and one last check that every signal's alert is valid for `POST /alerts`.
 *
 * Formats never trust their own mapping: `checkSignals` validates each alert
 * with the very schema of `POST /alerts`, so a mapping bug is an `Invalid`
 * naming the entry, never an invalid alert written.
 */
import { createHash } from 'node:crypto';
import { ALERT_LIMITS, IDENTIFIER_PATTERN, isStorableNumber, type AttributeValue } from '../domain/alert.js';
import { Invalid, type FieldError } from '../domain/errors.js';
import { SEVERITIES, type Severity } from '../domain/priority.js';
import { RaiseAlertBody } from '../contract/schemas.js';
import { fieldErrors, invalid } from '../contract/validation.js';
import type { IntegrationMapping, Signal } from './signal.js';

/** Characters an attribute key may hold after its first letter. */
const KEY_CHARACTERS = /^[A-Za-z0-9_.:-]*$/;

/** Alertmanager's `labels.severity` (SPEC): anything else, or none, is a warning. */
export const ALERTMANAGER_SEVERITIES: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  error: 'major',
  high: 'major',
  major: 'major',
  warning: 'warning',
  info: 'info',
  none: 'info',
};

/** PagerDuty's `payload.severity` (SPEC). */
export const PAGERDUTY_SEVERITIES: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  error: 'major',
  warning: 'warning',
  info: 'info',
};

const own = (map: Readonly<Record<string, unknown>> | undefined, key: string) => map !== undefined && Object.hasOwn(map, key);
const isSeverity = (value: unknown): value is Severity => (SEVERITIES as readonly unknown[]).includes(value);

/**
 * The alert severity of a sender's value: the integration's `severityMap`
 * first, then the format's defaults, else `fallback`. Values and the map's
 * keys are compared lower-cased; own keys only, so `constructor` is no severity.
 */
export function severityFrom(
  value: string | undefined,
  defaults: Readonly<Record<string, Severity>>,
  mapping: IntegrationMapping | undefined,
  fallback: Severity = 'warning',
): Severity {
  if (value === undefined) return fallback;
  const wanted = value.trim().toLowerCase();
  const overrides = mapping?.severityMap;
  if (overrides) {
    for (const [key, severity] of Object.entries(overrides)) {
      if (key.toLowerCase() === wanted && isSeverity(severity)) return severity;
    }
  }
  return own(defaults, wanted) ? defaults[wanted] : fallback;
}

/**
 * `value` cut to `max` characters, the last being `…`, never splitting a
 * surrogate pair (half of one is not valid UTF-8 when stored).
 */
export function cut(value: string, max: number = ALERT_LIMITS.text): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
}

/** The first of `values` that is a string with more than blanks in it. */
export function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value;
  return undefined;
}

export const isIdentifier = (value: string, max = 128) => value.length <= max && IDENTIFIER_PATTERN.test(value);

/**
 * A CI value as a `ciId`, or `undefined` when it is not one (not an identifier,
 * or over 256 characters): the value stays in the attributes, the alert simply
 * names no CI. Numbers are accepted as their decimal text (a host id of 42).
 */
export function ciIdFrom(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  return typeof text === 'string' && isIdentifier(text, ALERT_LIMITS.ciId) ? text : undefined;
}

/**
 * Any name as an identifier (a detection id): characters an identifier cannot
 * hold become `-`, leading ones that cannot start it are dropped. `undefined`
 * when nothing is left.
 */
export function identifierFrom(value: string, max = 128): string | undefined {
  const id = value.replace(/[^A-Za-z0-9._:@+-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, max);
  return id === '' ? undefined : id;
}

/** Whether `prefix` + `name` is an attribute key as it is (no character to replace, not too long). */
export const fitsAttributeKey = (prefix: string, name: string) =>
  name !== '' && KEY_CHARACTERS.test(name) && prefix.length + name.length <= ALERT_LIMITS.attributeKey;

/**
 * A valid attribute key for a sender's field name under `prefix` (which starts
 * with a letter, such as `custom_details.`): other characters become `_`, and
 * the key is cut to 128 characters. Two names may give one key; the later wins.
 */
export function attributeKeyFrom(prefix: string, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.:-]/g, '_') || '_';
  const key = `${prefix}${safe}`.slice(0, ALERT_LIMITS.attributeKey);
  return /^[A-Za-z]/.test(key) ? key : `x${key}`.slice(0, ALERT_LIMITS.attributeKey);
}

/** An attribute value as stored: strings cut to 4000, numbers only when DynamoDB keeps them exactly, else as text. */
export function attributeValue(value: unknown): AttributeValue {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    return isStorableNumber(value) ? value : String(value);
  }
  if (typeof value === 'string') return cut(value);
  return cut(JSON.stringify(value) ?? String(value));
}

/**
 * An alert's attributes as they are collected: values go through
 * `attributeValue`, and `set` answers false, keeping nothing, once a new key
 * would make more than 100 or the values more than `maxBytes` of JSON (the
 * caller decides whether that is an error or a field dropped).
 */
export class Attributes {
  readonly values: Record<string, AttributeValue> = {};
  private size = 0;
  private bytes = 0;

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  set(key: string, value: unknown): boolean {
    if (value === undefined || value === null) return true;
    const stored = attributeValue(value);
    const isNew = !Object.hasOwn(this.values, key);
    if (isNew && this.size >= ALERT_LIMITS.attributes) return false;
    // Measured only where there is a bound (a key set twice counts twice: a bound, not a measure).
    if (this.maxBytes !== Number.POSITIVE_INFINITY) {
      const bytes = Buffer.byteLength(JSON.stringify(key)) + Buffer.byteLength(JSON.stringify(stored)) + 2;
      if (this.bytes + bytes > this.maxBytes) return false;
      this.bytes += bytes;
    }
    if (isNew) this.size += 1;
    // A key is a plain name even if it were `__proto__` (assigning that one would set the object's prototype).
    if (key === '__proto__') Object.defineProperty(this.values, key, { value: stored, enumerable: true, writable: true, configurable: true });
    else this.values[key] = stored;
    return true;
  }
}

/**
 * A sender's id as a `sourceAlertId` (at most 256 characters). A longer one
 * (a Security Hub finding id may be 512) keeps its start and gets a digest of
 * the whole, so it stays one stable key per finding.
 */
export function sourceAlertIdFrom(value: string): string {
  if (value.length <= ALERT_LIMITS.sourceAlertId) return value;
  return `${value.slice(0, 200)}#${sha256(value).slice(0, 32)}`;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The errors of a format, each `{ path, message }`, thrown as one `Invalid` (as a request's are). */
export const invalidPayload = (what: string, errors: FieldError[]): Invalid => invalid(what, errors.slice(0, 20));

/**
 * The final guard: every signal's alert must be valid for `POST /alerts`. A
 * failure names the entry it came from (`alerts.3.description`) and means a
 * mapping bug or a payload too big for one alert (over 128 KB of JSON).
 */
export function checkSignals<T extends Signal>(signals: T[], what = 'payload'): T[] {
  const errors: FieldError[] = [];
  for (const signal of signals) {
    const result = RaiseAlertBody.safeParse(signal.alert, { reportInput: true });
    if (!result.success) errors.push(...fieldErrors(result.error.issues, signal.at));
  }
  if (errors.length > 0) throw invalidPayload(what, errors);
  return signals;
}
