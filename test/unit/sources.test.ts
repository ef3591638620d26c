import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Invalid } from '../../lib/domain/errors.js';
import { RaiseAlertBody } from '../../lib/contract/schemas.js';
import { alertmanagerSignals, MAX_ALERTS_PER_PAYLOAD } from '../../lib/sources/alertmanager.js';
import { AWS_ALERT_DETAIL_TYPES, awsSignals, guardDutySeverity } from '../../lib/sources/aws.js';
import {
  ALERTMANAGER_SEVERITIES,
  attributeKeyFrom,
  checkSignals,
  ciIdFrom,
  cut,
  PAGERDUTY_SEVERITIES,
  severityFrom,
  sourceAlertIdFrom,
} from '../../lib/sources/mapping.js';
import { acceptedAnswer, invalidEventAnswer, PagerDutyAccepted, PagerDutyInvalid, pagerdutySignals, unknownRoutingKey } from '../../lib/sources/pagerduty.js';
import type { Signal, SourceContext } from '../../lib/sources/signal.js';

type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const clone = <T>(value: T): T => structuredClone(value);

const ctx: SourceContext = { source: 'prom-prod', mapping: {} };
const withMapping = (mapping: SourceContext['mapping']): SourceContext => ({ source: 'prom-prod', mapping });

/** The errors an `Invalid` carries; fails the test when something else (or nothing) is thrown. */
function errorsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return (error as Invalid).errors;
  }
  throw new Error('expected Invalid, nothing was thrown');
}
const pathsOf = (run: () => unknown) => errorsOf(run).map((e) => e.path);
const valid = (signal: Signal) => RaiseAlertBody.safeParse(signal.alert).success;

describe('mapping helpers', () => {
  it.each([
    ['critical', 'critical'],
    ['error', 'major'],
    ['high', 'major'],
    ['major', 'major'],
    ['warning', 'warning'],
    ['info', 'info'],
    ['none', 'info'],
    ['CRITICAL', 'critical'],
    ['page', 'warning'],
    [undefined, 'warning'],
  ] as const)('Alertmanager severity %s is %s by default', (value, severity) => {
    expect(severityFrom(value, ALERTMANAGER_SEVERITIES, {})).toBe(severity);
  });

  it('lets the integration severity map win over the defaults, its keys compared lower-cased', () => {
    const mapping = { severityMap: { P1: 'critical', Warning: 'minor' } as const };
    expect(severityFrom('p1', ALERTMANAGER_SEVERITIES, mapping)).toBe('critical');
    expect(severityFrom('WARNING', ALERTMANAGER_SEVERITIES, mapping)).toBe('minor');
    expect(severityFrom('error', ALERTMANAGER_SEVERITIES, mapping)).toBe('major');
    expect(severityFrom('error', PAGERDUTY_SEVERITIES, { severityMap: { error: 'critical' } })).toBe('critical');
  });

  it('never takes a severity from the prototype of a map', () => {
    expect(severityFrom('constructor', ALERTMANAGER_SEVERITIES, {})).toBe('warning');
    expect(severityFrom('toString', ALERTMANAGER_SEVERITIES, { severityMap: {} })).toBe('warning');
  });

  it('cuts text to 4000 characters ending with …, never halving a surrogate pair', () => {
    const long = cut('x'.repeat(5000));
    expect(long).toHaveLength(4000);
    expect(long.endsWith('x…')).toBe(true);
    expect(cut('short')).toBe('short');
    const emoji = cut(`${'a'.repeat(3998)}😀😀`);
    expect(emoji.length).toBeLessThanOrEqual(4000);
    expect(emoji).toBe(`${'a'.repeat(3998)}…`);
  });

  it('takes a CI value as ciId only when it is an identifier of at most 256 characters', () => {
    expect(ciIdFrom('api-1.prod:9100')).toBe('api-1.prod:9100');
    expect(ciIdFrom(42)).toBe('42');
    expect(ciIdFrom('web server')).toBeUndefined();
    expect(ciIdFrom('arn:aws:ec2:eu-west-1:1:instance/i-1')).toBeUndefined();
    expect(ciIdFrom('h'.repeat(257))).toBeUndefined();
    expect(ciIdFrom('')).toBeUndefined();
    expect(ciIdFrom({ id: 'x' })).toBeUndefined();
  });

  it('makes attribute keys out of any name', () => {
    const key = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
    for (const name of ['host name', 'ümlaut/path', '', '__proto__', 'x'.repeat(300)]) {
      const made = attributeKeyFrom('custom_details.', name);
      expect(made).toMatch(key);
      expect(made.length).toBeLessThanOrEqual(128);
    }
    expect(attributeKeyFrom('custom_details.', 'host name')).toBe('custom_details.host_name');
  });

  it('keeps a long sender id as one stable key of at most 256 characters', () => {
    const id = `arn:aws:securityhub:${'x'.repeat(400)}`;
    expect(sourceAlertIdFrom(id).length).toBeLessThanOrEqual(256);
    expect(sourceAlertIdFrom(id)).toBe(sourceAlertIdFrom(id));
    expect(sourceAlertIdFrom(`${id}y`)).not.toBe(sourceAlertIdFrom(id));
    expect(sourceAlertIdFrom('short')).toBe('short');
  });

  it('refuses a signal whose alert POST /alerts would refuse, naming where it came from', () => {
    const good: Signal = { action: 'raise', at: 'alerts.0', alert: { source: 's', sourceAlertId: 'a', severity: 'info', description: 'd', attributes: {} } };
    const bad: Signal = { ...good, at: 'alerts.2', alert: { ...good.alert, description: '' } };
    expect(checkSignals([good])).toEqual([good]);
    expect(pathsOf(() => checkSignals([good, bad]))).toEqual(['alerts.2.description']);
  });
});

describe('Alertmanager webhook', () => {
  const firing = fixture('alertmanager/webhook-firing.json');
  const resolved = fixture('alertmanager/webhook-resolved.json');
  const baseAlert = firing.alerts[0] as Json;
  /** A payload of the given alerts, each over the real one. */
  const payloadOf = (...alerts: Json[]) => ({ ...clone(firing), alerts: alerts.map((a) => ({ ...clone(baseAlert), ...a })) });

  it('raises a firing alert keyed by its fingerprint, from a payload Alertmanager sent', () => {
    const [signal, ...rest] = alertmanagerSignals(firing, ctx);
    expect(rest).toHaveLength(0);
    expect(signal.action).toBe('raise');
    expect(signal.at).toBe('alerts.0');
    expect(signal.occurrence).toBe('2026-11-30T06:52:08.917Z');
    expect(signal.alert).toMatchObject({
      source: 'prom-prod',
      sourceAlertId: 'c8ad277bb9ca3fb7',
      severity: 'critical',
      description: 'Error rate above 5% on checkout',
      ciId: 'api-1.prod:9100',
      type: 'HighErrorRate',
    });
    expect(signal.alert.attributes).toMatchObject({
      'labels.team': 'payments',
      'labels.instance': 'api-1.prod:9100',
      'annotations.summary': 'Error rate above 5% on checkout',
      generatorURL: baseAlert.generatorURL,
    });
  });

  it('clears on resolved, with the firing occurrence (startsAt), so the clear is not stale', () => {
    const [signal] = alertmanagerSignals(resolved, ctx);
    expect(signal.action).toBe('clear');
    expect(signal.alert.sourceAlertId).toBe('c8ad277bb9ca3fb7');
    expect(signal.occurrence).toBe(alertmanagerSignals(firing, ctx)[0].occurrence);
  });

  it('names an occurrence by startsAt in UTC to the millisecond, so the same instant is one occurrence and later ones sort after', () => {
    const occurrenceOf = (startsAt: string) => alertmanagerSignals(payloadOf({ startsAt }), ctx)[0].occurrence!;
    expect(occurrenceOf('2026-11-30T06:54:23.737943808Z')).toBe('2026-11-30T06:54:23.737Z');
    expect(occurrenceOf('2026-11-30T07:54:23.737+01:00')).toBe('2026-11-30T06:54:23.737Z');
    expect(occurrenceOf('2026-11-30T06:54:24Z') > occurrenceOf('2026-11-30T06:54:23.999Z')).toBe(true);
    expect(occurrenceOf('not a time')).toBe('not a time');
  });

  it('describes an alert by summary, else description, else alertname, else its fingerprint, skipping empty ones', () => {
    const described = (labels: Json, annotations: Json) => alertmanagerSignals(payloadOf({ labels, annotations }), ctx)[0].alert.description;
    expect(described({ alertname: 'A' }, { summary: 'S', description: 'D' })).toBe('S');
    expect(described({ alertname: 'A' }, { summary: '', description: 'D' })).toBe('D');
    expect(described({ alertname: 'A' }, { summary: ' ', description: '' })).toBe('A');
    expect(described({}, {})).toBe('Alertmanager alert c8ad277bb9ca3fb7');
  });

  it('takes severity from labels.severity through the integration map, warning when absent or unknown', () => {
    const severity = (labels: Json, mapping = {}) => alertmanagerSignals(payloadOf({ labels }), withMapping(mapping))[0].alert.severity;
    expect(severity({ severity: 'high' })).toBe('major');
    expect(severity({ severity: 'page' })).toBe('warning');
    expect(severity({})).toBe('warning');
    expect(severity({ severity: 'page' }, { severityMap: { PAGE: 'critical' } })).toBe('critical');
  });

  it('names the CI by the mapped label, and keeps a value that is no identifier as an attribute only', () => {
    const labels = { alertname: 'DiskFull', instance: 'db-1:9100', host: 'db-1.prod' };
    expect(alertmanagerSignals(payloadOf({ labels }), ctx)[0].alert.ciId).toBe('db-1:9100');
    expect(alertmanagerSignals(payloadOf({ labels }), withMapping({ ciField: 'host' }))[0].alert.ciId).toBe('db-1.prod');
    const [odd] = alertmanagerSignals(payloadOf({ labels: { instance: 'db 1 / primary' } }), ctx);
    expect(odd.alert.ciId).toBeUndefined();
    expect(odd.alert.attributes['labels.instance']).toBe('db 1 / primary');
    expect(alertmanagerSignals(payloadOf({ labels: {} }), withMapping({ ciField: 'constructor' }))[0].alert.ciId).toBeUndefined();
  });

  it('accepts the empty strings and the fields it does not use that senders send', () => {
    const payload = payloadOf({ generatorURL: '', annotations: { runbook_url: '' }, silenceURL: 'x', extra: { any: 1 } });
    Object.assign(payload, { externalURL: '', receiver: '', groupKey: '', truncatedAlerts: 0, somethingNew: [1, 2] });
    const [signal] = alertmanagerSignals(payload, ctx);
    expect(signal.alert.attributes['annotations.runbook_url']).toBe('');
    expect(signal.alert.attributes).not.toHaveProperty('generatorURL');
    expect(alertmanagerSignals(payloadOf({ annotations: null }), ctx)).toHaveLength(1);
  });

  it('cuts long label and annotation values to 4000 characters', () => {
    const [signal] = alertmanagerSignals(payloadOf({ annotations: { summary: 's'.repeat(9000), runbook: 'r'.repeat(9000) } }), ctx);
    expect(signal.alert.description).toHaveLength(4000);
    expect(String(signal.alert.attributes['annotations.runbook']).endsWith('…')).toBe(true);
  });

  it('keeps the last entry when a payload names one fingerprint twice', () => {
    const signals = alertmanagerSignals(payloadOf({ status: 'firing' }, { fingerprint: 'other' }, { status: 'resolved' }), ctx);
    expect(signals.map((s) => [s.alert.sourceAlertId, s.action, s.at])).toEqual([
      ['other', 'raise', 'alerts.1'],
      ['c8ad277bb9ca3fb7', 'clear', 'alerts.2'],
    ]);
  });

  it('names the entry and the field of a bad alert, and returns nothing for the payload', () => {
    const ok = {};
    expect(pathsOf(() => alertmanagerSignals(payloadOf(ok, ok, ok, { labels: { 'bad name': 'x' } }), ctx))).toEqual(['alerts.3.labels']);
    expect(pathsOf(() => alertmanagerSignals(payloadOf(ok, ok, ok, { labels: { team: 7 } }), ctx))).toEqual(['alerts.3.labels']);
    expect(pathsOf(() => alertmanagerSignals(payloadOf(ok, ok, ok, { labels: ['a'] }), ctx))).toEqual(['alerts.3.labels']);
    expect(pathsOf(() => alertmanagerSignals(payloadOf(ok, { annotations: { '': 'x' } }), ctx))).toEqual(['alerts.1.annotations']);
    expect(pathsOf(() => alertmanagerSignals(payloadOf(ok, ok, ok, { fingerprint: undefined }), ctx))).toEqual(['alerts.3.fingerprint']);
    expect(pathsOf(() => alertmanagerSignals(payloadOf({ status: 'pending' }), ctx))).toEqual(['alerts.0.status']);
    expect(pathsOf(() => alertmanagerSignals({ ...payloadOf(ok), version: '3' }, ctx))).toEqual(['version']);
    expect(pathsOf(() => alertmanagerSignals('nope', ctx))).toEqual(['(body)']);
  });

  it('says which label is wrong and why', () => {
    const [error] = errorsOf(() => alertmanagerSignals(payloadOf({ labels: { 'bad name': 'x' } }), ctx));
    expect(error.message).toContain('"bad name"');
    const [typed] = errorsOf(() => alertmanagerSignals(payloadOf({ labels: { team: 7 } }), ctx));
    expect(typed.message).toMatch(/label "team": expected string/);
  });

  it('refuses an alert of more than 100 attributes at the field that made it too many', () => {
    const many = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));
    expect(pathsOf(() => alertmanagerSignals(payloadOf({ labels: many(101, 'l') }), ctx))).toEqual(['alerts.0.labels']);
    expect(pathsOf(() => alertmanagerSignals(payloadOf({}, { labels: many(60, 'l'), annotations: many(41, 'a') }), ctx))).toEqual(['alerts.1.annotations']);
    expect(pathsOf(() => alertmanagerSignals(payloadOf({ labels: many(60, 'l'), annotations: many(40, 'a') }), ctx))).toEqual(['alerts.0.generatorURL']);
    expect(alertmanagerSignals(payloadOf({ labels: many(60, 'l'), annotations: many(40, 'a'), generatorURL: '' }), ctx)).toHaveLength(1);
  });

  it('refuses an alert too big to store (over 128 KB) naming its entry', () => {
    const annotations = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`a${i}`, 'x'.repeat(4000)]));
    expect(pathsOf(() => alertmanagerSignals(payloadOf({}, { annotations }), ctx))).toEqual(['alerts.1']);
  });

  it(`refuses more than ${MAX_ALERTS_PER_PAYLOAD} alerts in one payload`, () => {
    const alerts = Array.from({ length: MAX_ALERTS_PER_PAYLOAD + 1 }, (_, i) => ({ ...baseAlert, fingerprint: `f${i}` }));
    expect(pathsOf(() => alertmanagerSignals({ ...firing, alerts }, ctx))).toEqual(['alerts']);
    expect(alertmanagerSignals({ ...firing, alerts: alerts.slice(1) }, ctx)).toHaveLength(MAX_ALERTS_PER_PAYLOAD);
  });
});

describe('PagerDuty Events API v2', () => {
  const trigger = fixture('alertmanager/pagerduty-trigger.json');
  const resolve = fixture('alertmanager/pagerduty-resolve.json');
  const pd = (source = 'pd-prod', mapping: SourceContext['mapping'] = {}): SourceContext => ({ source, mapping });
  const newKey = () => 'generated-dedup-key';
  const eventWith = (payload: Json, top: Json = {}) => ({ ...clone(trigger), ...top, payload: { ...clone(trigger.payload), ...payload } });

  it('raises a trigger from Alertmanager keyed by its dedup_key', () => {
    const { signal, dedupKey } = pagerdutySignals(trigger, pd(), newKey);
    expect(dedupKey).toBe(trigger.dedup_key);
    expect(signal).toMatchObject({ action: 'raise', at: '' });
    expect(signal.alert).toMatchObject({
      source: 'pd-prod',
      sourceAlertId: trigger.dedup_key,
      severity: 'major',
      description: trigger.payload.summary,
      ciId: 'Alertmanager',
    });
    expect(signal.alert.attributes).toMatchObject({
      source: 'Alertmanager',
      client: 'Alertmanager',
      client_url: trigger.client_url,
      'custom_details.num_firing': '1',
      'custom_details.resolved': '',
    });
    expect(signal.occurrence).toMatch(/^[0-9a-f]{32}$/);
  });

  it('clears on resolve and acknowledges on acknowledge, by dedup_key, without an occurrence', () => {
    const resolved = pagerdutySignals(resolve, pd(), newKey).signal;
    expect(resolved).toMatchObject({ action: 'clear', alert: { sourceAlertId: resolve.dedup_key, severity: 'info', description: resolve.dedup_key } });
    expect(resolved.occurrence).toBeUndefined();
    const acked = pagerdutySignals({ routing_key: 'k', event_action: 'acknowledge', dedup_key: 'abc' }, pd(), newKey).signal;
    expect(acked).toMatchObject({ action: 'acknowledge', alert: { sourceAlertId: 'abc' } });
  });

  it('makes the same event sent again the same occurrence, whatever its routing key or key order', () => {
    const first = pagerdutySignals(trigger, pd(), newKey).signal.occurrence;
    const reordered = Object.fromEntries(Object.entries({ ...clone(trigger), routing_key: 'another-key' }).reverse());
    expect(pagerdutySignals(reordered, pd(), newKey).signal.occurrence).toBe(first);
    expect(pagerdutySignals(eventWith({ summary: 'changed' }), pd(), newKey).signal.occurrence).not.toBe(first);
  });

  it('gives a trigger without a dedup_key a new one, and answers with it', () => {
    for (const dedup_key of [undefined, '', null]) {
      const { signal, dedupKey } = pagerdutySignals({ ...clone(trigger), dedup_key }, pd(), newKey);
      expect(dedupKey).toBe('generated-dedup-key');
      expect(signal.alert.sourceAlertId).toBe('generated-dedup-key');
    }
  });

  it.each([
    ['critical', 'critical'],
    ['error', 'major'],
    ['warning', 'warning'],
    ['info', 'info'],
  ])('maps payload.severity %s to %s, and the integration map overrides it', (severity, expected) => {
    expect(pagerdutySignals(eventWith({ severity }), pd(), newKey).signal.alert.severity).toBe(expected);
    expect(pagerdutySignals(eventWith({ severity }), pd('pd', { severityMap: { [severity.toUpperCase()]: 'minor' } }), newKey).signal.alert.severity).toBe('minor');
  });

  it('keeps source, component, group, class and custom_details, one level deep, with valid keys', () => {
    const event = eventWith({
      component: 'postgres',
      group: 'prod-datapipe',
      class: 'deploy',
      custom_details: { 'free space': '1%', nested: { a: [1, 2] }, count: 3, ok: false, big: 'b'.repeat(5000) },
    });
    const { alert } = pagerdutySignals(event, pd(), newKey).signal;
    expect(alert.type).toBe('deploy');
    expect(alert.attributes).toMatchObject({
      component: 'postgres',
      group: 'prod-datapipe',
      class: 'deploy',
      'custom_details.free_space': '1%',
      'custom_details.nested': '{"a":[1,2]}',
      'custom_details.count': 3,
      'custom_details.ok': false,
    });
    expect(String(alert.attributes['custom_details.big'])).toHaveLength(4000);
  });

  it('names the CI by the mapped field: source by default, component, group, class or custom_details.<name>', () => {
    const event = eventWith({ source: 'web-1', component: 'nginx', custom_details: { host: 'web-1.prod', bad: 'a b' } });
    const ciOf = (ciField?: string) => pagerdutySignals(event, pd('pd', ciField ? { ciField } : {}), newKey).signal.alert.ciId;
    expect(ciOf()).toBe('web-1');
    expect(ciOf('component')).toBe('nginx');
    expect(ciOf('custom_details.host')).toBe('web-1.prod');
    expect(ciOf('custom_details.bad')).toBeUndefined();
    expect(ciOf('group')).toBeUndefined();
    expect(ciOf('routing_key')).toBeUndefined();
  });

  it("cuts a summary to PagerDuty's 1024 characters", () => {
    const { alert } = pagerdutySignals(eventWith({ summary: 's'.repeat(3000) }), pd(), newKey).signal;
    expect(alert.description).toHaveLength(1024);
  });

  it('answers a bad event with every problem, in PagerDuty words', () => {
    const errors = errorsOf(() => pagerdutySignals(eventWith({ summary: ' ', source: undefined, severity: 'fatal' }), pd(), newKey));
    expect(errors).toEqual([
      { path: 'payload.summary', message: "'payload.summary' is missing or blank" },
      { path: 'payload.source', message: "'payload.source' is missing or blank" },
      { path: 'payload.severity', message: "'payload.severity' is invalid (must be one of: critical, error, warning, info)" },
    ]);
    expect(pathsOf(() => pagerdutySignals({ event_action: 'trigger' }, pd(), newKey))).toEqual(['payload']);
    expect(pathsOf(() => pagerdutySignals({ event_action: 'resolve' }, pd(), newKey))).toEqual(['dedup_key']);
    expect(pathsOf(() => pagerdutySignals({ event_action: 'acknowledge', dedup_key: '  ' }, pd(), newKey))).toEqual(['dedup_key']);
    expect(pathsOf(() => pagerdutySignals({ ...clone(trigger), dedup_key: 'k'.repeat(256) }, pd(), newKey))).toEqual(['dedup_key']);
    expect(pathsOf(() => pagerdutySignals({ ...clone(trigger), event_action: 'snooze' }, pd(), newKey))).toEqual(['event_action']);
    expect(pathsOf(() => pagerdutySignals(eventWith({ timestamp: 'yesterday' }), pd(), newKey))).toEqual(['payload.timestamp']);
    expect(pathsOf(() => pagerdutySignals([trigger], pd(), newKey))).toEqual(['(body)']);
  });

  it("answers as PagerDuty does: its sentences in `errors`, an unknown routing key among them, and the dedup_key of an event taken", () => {
    let refused: unknown;
    try {
      pagerdutySignals({ event_action: 'resolve' }, pd(), newKey);
    } catch (error) {
      refused = error;
    }
    const invalid = invalidEventAnswer(refused as Invalid);
    expect(invalid).toEqual({ status: 'invalid event', message: 'Event object is invalid', errors: ["'dedup_key' is missing or blank"] });
    expect(invalidEventAnswer(unknownRoutingKey())).toEqual({ status: 'invalid event', message: 'Event object is invalid', errors: ["'routing_key' is missing, unknown or revoked"] });
    expect(invalidEventAnswer(new Invalid('Alert is too big'))).toMatchObject({ errors: ['Alert is too big'] });
    expect(PagerDutyInvalid.safeParse(invalid).success).toBe(true);
    expect(acceptedAnswer('abc')).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'abc' });
    expect(PagerDutyAccepted.safeParse(acceptedAnswer('abc')).success).toBe(true);
  });

  it('does not look at the payload of an acknowledge or resolve', () => {
    expect(pagerdutySignals({ event_action: 'resolve', dedup_key: 'k', payload: 'garbage' }, pd(), newKey).signal.action).toBe('clear');
  });

  it('accepts fields it does not use (links, images, new ones)', () => {
    const event = { ...clone(trigger), links: [{ href: 'https://x', text: 'x' }], images: [{ src: 'https://i' }], whatever: { a: 1 } };
    expect(pagerdutySignals(event, pd(), newKey).signal.action).toBe('raise');
  });
});

describe('AWS events on EventBridge', () => {
  const alarm = fixture('aws/cloudwatch-alarm.json');
  const alarmOk = fixture('aws/cloudwatch-alarm-ok.json');
  const guardDuty = fixture('aws/guardduty-finding.json');
  const findings = fixture('aws/securityhub-findings.json');
  const resolvedFinding = fixture('aws/securityhub-resolved.json');
  const ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-web-cpu-high';

  it('lists the detail-types it takes with their sources', () => {
    expect(AWS_ALERT_DETAIL_TYPES).toEqual({
      'CloudWatch Alarm State Change': 'aws.cloudwatch',
      'GuardDuty Finding': 'aws.guardduty',
      'Security Hub Findings - Imported': 'aws.securityhub',
    });
  });

  describe('CloudWatch alarms', () => {
    it('raises ALARM keyed by the alarm ARN, on the instance of its metric', () => {
      const [signal] = awsSignals(alarm);
      expect(signal.action).toBe('raise');
      expect(signal.occurrence).toBe(alarm.detail.state.timestamp);
      expect(signal.alert).toMatchObject({ source: 'aws.cloudwatch', sourceAlertId: ALARM_ARN, severity: 'major', ciId: 'i-0a1b2c3d4e5f67890' });
      expect(signal.alert.description).toBe(`checkout-web-cpu-high: ${alarm.detail.state.reason}`);
      expect(signal.alert.attributes).toEqual({
        alarmName: 'checkout-web-cpu-high',
        region: 'eu-west-1',
        account: '111122223333',
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        'dimensions.InstanceId': 'i-0a1b2c3d4e5f67890',
        'state.reason': alarm.detail.state.reason,
      });
    });

    it('clears on OK with the same key and no occurrence, and says nothing on INSUFFICIENT_DATA', () => {
      const [signal] = awsSignals(alarmOk);
      expect(signal).toMatchObject({ action: 'clear', alert: { sourceAlertId: ALARM_ARN } });
      expect(signal.occurrence).toBeUndefined();
      const insufficient = clone(alarm);
      insufficient.detail.state.value = 'INSUFFICIENT_DATA';
      expect(awsSignals(insufficient)).toEqual([]);
    });

    it('names no CI when the first dimension is not an identifier, and takes composite alarms', () => {
      const event = clone(alarm);
      event.detail.configuration.metrics[0].metricStat.metric.dimensions = { LoadBalancer: 'app/checkout/50dc6c495c0c9188' };
      const [signal] = awsSignals(event);
      expect(signal.alert.ciId).toBeUndefined();
      expect(signal.alert.attributes['dimensions.LoadBalancer']).toBe('app/checkout/50dc6c495c0c9188');
      const composite = clone(alarm);
      composite.detail.configuration = { alarmRule: 'ALARM(a) OR ALARM(b)' };
      expect(awsSignals(composite)[0].alert.attributes).not.toHaveProperty('metricName');
    });

    it('refuses an alarm event without its ARN or state', () => {
      expect(pathsOf(() => awsSignals({ ...clone(alarm), resources: [] }))).toEqual(['resources']);
      const event = clone(alarm);
      event.detail.state.value = 'BROKEN';
      expect(pathsOf(() => awsSignals(event))).toEqual(['detail.state.value']);
    });
  });

  describe('GuardDuty', () => {
    it('raises a finding keyed by its id, on its instance, with its type as a detection', () => {
      const [signal] = awsSignals(guardDuty);
      expect(signal.action).toBe('raise');
      expect(signal.occurrence).toBe(guardDuty.detail.updatedAt);
      expect(signal.alert).toMatchObject({
        source: 'aws.guardduty',
        sourceAlertId: '4ac8f1e2b7d94c6a8e0f3b2d1c9a7e65',
        severity: 'major',
        description: guardDuty.detail.title,
        type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
        ciId: 'i-0a1b2c3d4e5f67890',
      });
      expect(signal.alert.detections).toEqual([
        { id: 'CryptoCurrency:EC2-BitcoinTool.B-DNS', name: 'CryptoCurrency:EC2/BitcoinTool.B!DNS', tactic: 'Impact', description: guardDuty.detail.description },
      ]);
      expect(signal.alert.attributes).toEqual({
        accountId: '111122223333',
        region: 'eu-west-1',
        resourceType: 'Instance',
        severity: 8,
        count: 7,
        type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      });
    });

    it.each([
      [10, 'critical'],
      [9.0, 'critical'],
      [8.9, 'major'],
      [7.0, 'major'],
      [6.9, 'minor'],
      [4.0, 'minor'],
      [3.9, 'warning'],
      [0.1, 'warning'],
    ] as const)('gives severity %d the severity %s', (severity, expected) => {
      expect(guardDutySeverity(severity)).toBe(expected);
      const event = clone(guardDuty);
      event.detail.severity = severity;
      expect(awsSignals(event)[0].alert.severity).toBe(expected);
    });

    it('raises an update of a finding as a repeat of the same alert', () => {
      const update = clone(guardDuty);
      update.detail.updatedAt = '2025-03-14T17:37:02.544Z';
      update.detail.service.count = 12;
      const [first, again] = [awsSignals(guardDuty)[0], awsSignals(update)[0]];
      expect(again.alert.sourceAlertId).toBe(first.alert.sourceAlertId);
      expect(again.action).toBe('raise');
      expect(again.occurrence).not.toBe(first.occurrence);
      expect(again.alert.attributes.count).toBe(12);
    });

    it('names a bucket as the CI of an S3 finding, and no tactic for a purpose without one', () => {
      const event = clone(guardDuty);
      event.detail.type = 'Policy:S3/BucketBlockPublicAccessDisabled';
      event.detail.resource = {
        resourceType: 'S3Bucket',
        accessKeyDetails: { accessKeyId: 'ASIAEXAMPLE', userName: 'ops' },
        s3BucketDetails: [{ name: 'checkout-invoices', arn: 'arn:aws:s3:::checkout-invoices' }],
      };
      const [signal] = awsSignals(event);
      expect(signal.alert.ciId).toBe('checkout-invoices');
      expect(signal.alert.detections?.[0]).not.toHaveProperty('tactic');
    });

    it('refuses a finding without a numeric severity', () => {
      const event = clone(guardDuty);
      event.detail.severity = 'HIGH';
      expect(pathsOf(() => awsSignals(event))).toEqual(['detail.severity']);
    });
  });

  describe('Security Hub', () => {
    it('makes one signal per finding, keyed by Id, each naming its entry', () => {
      const signals = awsSignals(findings);
      expect(signals.map((s) => [s.at, s.action, s.alert.sourceAlertId, s.alert.severity])).toEqual([
        ['detail.findings.0', 'raise', findings.detail.findings[0].Id, 'major'],
        ['detail.findings.1', 'raise', findings.detail.findings[1].Id, 'minor'],
      ]);
      const [control, threat] = signals;
      expect(control.alert).toMatchObject({
        source: 'aws.securityhub',
        description: 'Security groups should not allow unrestricted access to ports with high risk',
        type: 'Software and Configuration Checks/Industry and Regulatory Standards',
        ciId: 'sg-0c1d2e3f4a5b6c7d8',
        detections: [{ id: 'EC2.19', name: 'Security groups should not allow unrestricted access to ports with high risk' }],
      });
      expect(control.alert.attributes).toMatchObject({
        ProductName: 'Security Hub',
        AwsAccountId: '111122223333',
        Region: 'eu-west-1',
        ResourceType: 'AwsEc2SecurityGroup',
        ResourceId: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0c1d2e3f4a5b6c7d8',
        'Compliance.Status': 'FAILED',
        'Workflow.Status': 'NEW',
        RecordState: 'ACTIVE',
      });
      expect(threat.alert.ciId).toBe('i-0a1b2c3d4e5f67890');
      expect(threat.alert.detections).toEqual([
        expect.objectContaining({ id: 'UnauthorizedAccess:EC2-SSHBruteForce', name: 'UnauthorizedAccess:EC2-SSHBruteForce', tactic: 'Initial Access' }),
      ]);
      expect(threat.occurrence).toBe(findings.detail.findings[1].UpdatedAt);
    });

    it('clears a finding once resolved, suppressed or archived', () => {
      const [resolved] = awsSignals(resolvedFinding);
      expect(resolved).toMatchObject({ action: 'clear', alert: { sourceAlertId: findings.detail.findings[0].Id } });
      expect(resolved.occurrence).toBeUndefined();
      const suppressed = clone(findings);
      suppressed.detail.findings[0].Workflow.Status = 'SUPPRESSED';
      suppressed.detail.findings[1].RecordState = 'ARCHIVED';
      expect(awsSignals(suppressed).map((s) => s.action)).toEqual(['clear', 'clear']);
    });

    it.each([
      ['CRITICAL', 'critical'],
      ['HIGH', 'major'],
      ['MEDIUM', 'minor'],
      ['LOW', 'warning'],
      ['INFORMATIONAL', 'info'],
    ])('maps Severity.Label %s to %s', (Label, severity) => {
      const event = clone(resolvedFinding);
      event.detail.findings[0].Severity = { Label };
      expect(awsSignals(event)[0].alert.severity).toBe(severity);
    });

    it('keeps a finding Id longer than 256 characters as one stable key', () => {
      const event = clone(resolvedFinding);
      event.detail.findings[0].Id = `arn:aws:securityhub:eu-west-1:111122223333:finding/${'f'.repeat(400)}`;
      const [a, b] = [awsSignals(event)[0], awsSignals(clone(event))[0]];
      expect(a.alert.sourceAlertId?.length).toBeLessThanOrEqual(256);
      expect(a.alert.sourceAlertId).toBe(b.alert.sourceAlertId);
    });

    it('names the finding and field of a bad one, and refuses more than 1000 findings', () => {
      const event = clone(findings);
      delete event.detail.findings[1].Severity;
      expect(pathsOf(() => awsSignals(event))).toEqual(['detail.findings.1.Severity']);
      event.detail.findings[1].Severity = { Label: 'SEVERE' };
      expect(pathsOf(() => awsSignals(event))).toEqual(['detail.findings.1.Severity.Label']);
      const many = clone(resolvedFinding);
      many.detail.findings = Array.from({ length: 1001 }, (_, i) => ({ ...resolvedFinding.detail.findings[0], Id: `f${i}` }));
      expect(pathsOf(() => awsSignals(many))).toEqual(['detail.findings']);
    });
  });

  it('refuses an event of another detail-type, or one claiming a source that does not send it', () => {
    expect(pathsOf(() => awsSignals({ ...clone(alarm), 'detail-type': 'EC2 Instance State-change Notification' }))).toEqual(['detail-type']);
    expect(pathsOf(() => awsSignals({ ...clone(guardDuty), source: 'my.app' }))).toEqual(['source']);
    expect(pathsOf(() => awsSignals({ ...clone(alarm), detail: 'x' }))).toEqual(['detail']);
  });
});

describe('any input either maps to valid alerts or is refused as Invalid', () => {
  /** Every path to a value inside `value`, the root included. */
  function pathsIn(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    const here = [prefix];
    if (typeof value !== 'object' || value === null) return here;
    return here.concat(...Object.entries(value).map(([k, v]) => pathsIn(v, [...prefix, Array.isArray(value) ? Number(k) : k])));
  }
  function replaced(value: unknown, path: (string | number)[], by: unknown): unknown {
    if (path.length === 0) return by;
    const copy = clone(value) as Json;
    let at = copy;
    for (const step of path.slice(0, -1)) at = at[step];
    at[path[path.length - 1]] = by;
    return copy;
  }
  const nasty = fc.oneof(
    fc.jsonValue(),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom('', ' ', '__proto__', 'constructor', 'x'.repeat(5000), '😀'.repeat(2100), 'a b/c', -0, 1e308, 1e-200, null),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'summary', 'severity', 'instance')), fc.jsonValue(), { maxKeys: 8 }),
  );
  /** A fixture with one value anywhere in it replaced, as the sender's bytes would arrive (through JSON). */
  const mutated = (...fixtures: Json[]) =>
    fc
      .constantFrom(...fixtures)
      .chain((f) => fc.tuple(fc.constantFrom(...pathsIn(f)), nasty).map(([path, by]) => JSON.parse(JSON.stringify(replaced(f, path, by)) ?? 'null')));
  const contexts = fc.record({
    source: fc.constant('integration-1'),
    mapping: fc.record(
      {
        ciField: fc.constantFrom('instance', 'source', 'component', 'custom_details.host', 'constructor', '__proto__', 'severity'),
        severityMap: fc.dictionary(fc.string({ maxLength: 10 }), fc.constantFrom('critical', 'major', 'minor', 'warning', 'info', 'clear', 'bogus') as fc.Arbitrary<any>),
      },
      { requiredKeys: [] },
    ),
  });

  /** How the runs of a property ended; both kinds must occur, or the property tested little. */
  let seen: Record<'valid' | 'invalid', number>;
  beforeEach(() => (seen = { valid: 0, invalid: 0 }));
  afterEach(() => {
    expect(seen.valid).toBeGreaterThan(0);
    expect(seen.invalid).toBeGreaterThan(0);
  });

  function outcome(run: () => Signal[]) {
    let signals: Signal[];
    try {
      signals = run();
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      seen.invalid += 1;
      return;
    }
    for (const signal of signals) if (!valid(signal)) throw new Error(`invalid alert at ${signal.at}: ${JSON.stringify(signal.alert).slice(0, 300)}`);
    seen.valid += 1;
  }

  it('Alertmanager', () => {
    const base = fixture('alertmanager/webhook-firing.json');
    const three = { ...base, alerts: [base.alerts[0], { ...base.alerts[0], fingerprint: 'b' }, { ...base.alerts[0], status: 'resolved' }] };
    fc.assert(fc.property(fc.oneof(mutated(base, three), fc.jsonValue()), contexts, (payload, context) => outcome(() => alertmanagerSignals(payload, context))));
  });

  it('PagerDuty', () => {
    const events = ['pagerduty-trigger.json', 'pagerduty-resolve.json'].map((name) => fixture(`alertmanager/${name}`));
    fc.assert(
      fc.property(fc.oneof(mutated(...events), fc.jsonValue()), contexts, (event, context) =>
        outcome(() => [pagerdutySignals(event, context, () => 'new-key').signal]),
      ),
    );
  });

  it('AWS', () => {
    const events = ['cloudwatch-alarm.json', 'cloudwatch-alarm-ok.json', 'guardduty-finding.json', 'securityhub-findings.json', 'securityhub-resolved.json'].map((name) =>
      fixture(`aws/${name}`),
    );
    fc.assert(fc.property(fc.oneof(mutated(...events), fc.jsonValue()), (event) => outcome(() => awsSignals(event))), { numRuns: 300 });
  });
});

describe('fixtures', () => {
  it('all map to valid alerts', () => {
    for (const name of ['cloudwatch-alarm.json', 'cloudwatch-alarm-ok.json', 'guardduty-finding.json', 'securityhub-findings.json', 'securityhub-resolved.json']) {
      expect(awsSignals(fixture(`aws/${name}`)).every(valid)).toBe(true);
    }
    expect(alertmanagerSignals(fixture('alertmanager/webhook-firing.json'), ctx).every(valid)).toBe(true);
  });
});
