/**
 * Alerts and cases, many to one (SPEC §2 "Alerts and cases"), over HTTP
 * through the local runtime: attach, move, detach, bulk convert, grouping
 * and following an attached alert, with the history the Streams handler
 * writes on each side and the events published, under retries and
 * simultaneous requests.
 */
import { callsOutsideGrants, tableCalls } from '../../local/table-access.js';
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { client, eventually } from '../support/http.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const admin = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const operator = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];
const agent = ['adam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];

beforeAll(async () => {
  runtime = await startRuntime({ tableName: `e2e-many-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
  // Every POST with a key of its own, so that a 503 (the database behind on a loaded machine) is sent again safely.
  api = client(runtime.url, { keyEveryPost: true });
});
afterAll(async () => {
  await runtime?.stop();
});

type Detection = { id: string; name: string };
let serial = 0;
/** A new alert (its own source alert id), as an operator raises it. */
async function raise(fields: { severity?: string; detections?: Detection[]; source?: string; ciId?: string; sourceAlertId?: string; description?: string } = {}) {
  const res = await api.call('POST', '/alerts', {
    as: operator,
    body: { source: 'zabbix', sourceAlertId: `a-${++serial}`, severity: 'minor', description: 'disk filling', ...fields },
  });
  // 200 when a first try raised it but answered 503 (sent again, the alert is there).
  expect([201, 200]).toContain(res.status);
  return res.body as { alertId: string; severity: string };
}
async function convert(alertId: string, body: Record<string, unknown> = {}) {
  const res = await api.call('POST', `/alerts/${alertId}/case`, { as: operator, body: { shortDescription: 'Storage', ...body } });
  expect(res.status).toBe(201);
  return res.body as { caseId: string; number: string; alertCount: number; detections?: Detection[] };
}
const attach = (caseId: string, alertIds: string[], options: { move?: boolean; as?: typeof agent | typeof operator; headers?: Record<string, string> } = {}) =>
  api.call('POST', `/cases/${caseId}/alerts`, { as: options.as ?? agent, body: { alertIds, ...(options.move !== undefined ? { move: options.move } : {}) }, headers: options.headers });
const getCase = async (caseId: string) => (await api.call('GET', `/cases/${caseId}`, { as: agent })).body;
const getAlert = async (alertId: string) => (await api.call('GET', `/alerts/${alertId}`, { as: agent })).body;
const caseAlerts = async (caseId: string) => (await api.call('GET', `/cases/${caseId}/alerts?limit=100`, { as: agent })).body.items.map((a: { alertId: string }) => a.alertId);

type Entry = { action: string; actor: string; alertId?: string; changes: { field: string; from: unknown; to: unknown }[] };
/** A record's history once it has at least `count` entries of `action` (the stream poller writes it shortly after). */
async function historyOf(kind: 'cases' | 'alerts', id: string, action: string, count = 1): Promise<Entry[]> {
  return eventually(async () => {
    const res = await api.call('GET', `/${kind}/${id}/history?limit=100`, { as: agent });
    const items = res.body.items as Entry[];
    return items.filter((e) => e.action === action).length >= count ? items : undefined;
  });
}
/** The events published so far about one alert. */
async function eventsOf(alertId: string, until: (types: string[]) => boolean) {
  return eventually(async () => {
    const res = (await fetch(`${runtime.url}/_local/events`).then((r) => r.json())) as { items: { 'detail-type': string; detail: Record<string, unknown> }[] };
    const mine = res.items.filter((e) => e.detail.alertId === alertId);
    return until(mine.map((e) => e['detail-type'])) ? mine : undefined;
  });
}

describe('attach, move and detach', () => {
  it('starts a converted case with its origin alert attached, and answers each attached alert on its own', async () => {
    const origin = await raise({ detections: [{ id: 'T1486', name: 'Data encrypted' }] });
    const kase = await convert(origin.alertId);
    expect(kase.alertCount).toBe(1);
    expect(await caseAlerts(kase.caseId)).toEqual([origin.alertId]);

    const other = await convert((await raise()).alertId);
    const elsewhere = (await api.call('GET', `/cases/${other.caseId}/alerts`, { as: agent })).body.items[0].alertId as string;
    const fresh = await raise({ detections: [{ id: 'T1486', name: 'Data encrypted' }, { id: 'T1490', name: 'Inhibit recovery' }] });
    const second = await raise({ detections: [{ id: 'T1490', name: 'Inhibit recovery' }] });
    const missing = 'alr_000000000000000000000000';

    const res = await attach(kase.caseId, [fresh.alertId, origin.alertId, elsewhere, missing, second.alertId]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      caseId: kase.caseId,
      results: [
        { alertId: fresh.alertId, outcome: 'attached', caseId: kase.caseId, caseNumber: kase.number },
        { alertId: origin.alertId, outcome: 'already_attached', caseId: kase.caseId, caseNumber: kase.number },
        { alertId: elsewhere, outcome: 'attached_elsewhere', caseId: other.caseId, caseNumber: other.number },
        { alertId: missing, outcome: 'not_found' },
        { alertId: second.alertId, outcome: 'attached', caseId: kase.caseId, caseNumber: kase.number },
      ],
    });
    const after = await getCase(kase.caseId);
    expect(after.alertCount).toBe(3);
    expect(after.detections.map((d: Detection) => d.id)).toEqual(['T1486', 'T1490']);
    expect(after.alertId).toBe(origin.alertId);
    // In the order they joined (alerts joining in one write: by id).
    expect(await caseAlerts(kase.caseId)).toEqual([origin.alertId, ...[fresh.alertId, second.alertId].sort()]);
    expect(await getAlert(fresh.alertId)).toMatchObject({ caseId: kase.caseId, caseNumber: kase.number, links: { case: `/cases/${kase.caseId}` } });
    // The case of any attached alert, not only its origin.
    const found = await api.call('GET', `/cases?alertId=${second.alertId}`, { as: agent });
    expect(found.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([kase.caseId]);

    // The same request again changes nothing and records nothing more.
    const again = await attach(kase.caseId, [fresh.alertId, second.alertId]);
    expect(again.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['already_attached', 'already_attached']);
    expect((await getCase(kase.caseId)).alertCount).toBe(3);

    const caseHistory = await historyOf('cases', kase.caseId, 'alert_attached');
    const attachedEntries = caseHistory.filter((e) => e.action === 'alert_attached');
    expect(attachedEntries).toHaveLength(1);
    expect(attachedEntries[0]).toMatchObject({ actor: 'adam' });
    expect(attachedEntries[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'alerts', from: null, to: [fresh.alertId, second.alertId] },
        { field: 'alertCount', from: 1, to: 3 },
      ]),
    );
    const alertHistory = await historyOf('alerts', fresh.alertId, 'attached_to_case');
    expect(alertHistory.filter((e) => e.action === 'attached_to_case')).toEqual([
      expect.objectContaining({ actor: 'adam', changes: [{ field: 'caseId', from: null, to: kase.caseId }, { field: 'caseNumber', from: null, to: kase.number }] }),
    ]);
    const events = await eventsOf(fresh.alertId, (types) => types.includes('Alert Attached'));
    expect(events.filter((e) => e['detail-type'] === 'Alert Attached').map((e) => e.detail)).toEqual([
      expect.objectContaining({ alertId: fresh.alertId, caseId: kase.caseId, caseNumber: kase.number }),
    ]);
  });

  it('moves alerts from the case they are in only when asked, recording it on the alert and on both cases', async () => {
    const from = await convert((await raise()).alertId);
    const loose = await raise();
    expect((await attach(from.caseId, [loose.alertId])).body.results[0].outcome).toBe('attached');
    const to = await convert((await raise()).alertId);

    const refused = await attach(to.caseId, [loose.alertId]);
    expect(refused.body.results).toEqual([{ alertId: loose.alertId, outcome: 'attached_elsewhere', caseId: from.caseId, caseNumber: from.number }]);
    const moved = await attach(to.caseId, [loose.alertId], { move: true, as: operator });
    expect(moved.body.results).toEqual([{ alertId: loose.alertId, outcome: 'moved', caseId: to.caseId, caseNumber: to.number }]);
    expect((await getCase(from.caseId)).alertCount).toBe(1);
    expect((await getCase(to.caseId)).alertCount).toBe(2);
    expect(await caseAlerts(from.caseId)).toHaveLength(1);
    expect(await caseAlerts(from.caseId)).not.toContain(loose.alertId);
    expect(await caseAlerts(to.caseId)).toContain(loose.alertId);

    const left = await historyOf('cases', from.caseId, 'alert_detached');
    expect(left.find((e) => e.action === 'alert_detached')!.changes).toEqual(expect.arrayContaining([{ field: 'alerts', from: [loose.alertId], to: null }]));
    const gained = await historyOf('cases', to.caseId, 'alert_attached');
    expect(gained.find((e) => e.action === 'alert_attached')).toMatchObject({ actor: 'olivia' });
    const onAlert = await historyOf('alerts', loose.alertId, 'moved_to_case');
    expect(onAlert.find((e) => e.action === 'moved_to_case')!.changes).toEqual(expect.arrayContaining([{ field: 'caseId', from: from.caseId, to: to.caseId }]));
    const events = await eventsOf(loose.alertId, (types) => types.includes('Alert Detached'));
    expect(events.map((e) => [e['detail-type'], e.detail.caseId])).toEqual([
      ['Alert Raised', undefined],
      ['Alert Attached', from.caseId],
      ['Alert Detached', from.caseId],
      ['Alert Attached', to.caseId],
    ]);
  });

  it('detaches an alert: the case keeps its detections and its origin alert as provenance', async () => {
    const origin = await raise({ detections: [{ id: 'T1059', name: 'Command line' }] });
    const kase = await convert(origin.alertId);
    expect((await api.call('DELETE', `/cases/${kase.caseId}/alerts/${origin.alertId}`, { as: agent })).status).toBe(204);
    const after = await getCase(kase.caseId);
    expect(after).toMatchObject({ alertCount: 0, alertId: origin.alertId, detections: [{ id: 'T1059', name: 'Command line' }] });
    expect((await getAlert(origin.alertId)).caseId).toBeUndefined();
    expect(await caseAlerts(kase.caseId)).toEqual([]);
    expect((await api.call('GET', `/cases?alertId=${origin.alertId}`, { as: agent })).body.items).toEqual([]);
    const again = await api.call('DELETE', `/cases/${kase.caseId}/alerts/${origin.alertId}`, { as: agent });
    expect(again.status).toBe(404);
    expect(again.body.detail).toContain('not attached');
    expect((await historyOf('cases', kase.caseId, 'alert_detached')).find((e) => e.action === 'alert_detached')!.changes).toEqual(
      expect.arrayContaining([{ field: 'alerts', from: [origin.alertId], to: null }]),
    );
    await eventsOf(origin.alertId, (types) => types.includes('Alert Detached'));
    // Detached, it may join another case.
    const other = await convert((await raise()).alertId);
    expect((await attach(other.caseId, [origin.alertId])).body.results[0].outcome).toBe('attached');
  });

  it('refuses alerts to a closed case, and names the limit of 1,000 alerts a case holds', async () => {
    const kase = await convert((await raise()).alertId);
    await api.call('PATCH', `/cases/${kase.caseId}`, { as: agent, body: { stage: 'closed', closedReason: 'false_positive' } });
    const closed = await attach(kase.caseId, [(await raise()).alertId]);
    expect(closed.status).toBe(409);
    expect(closed.body.detail).toMatch(/closed.*reopen/);

    const big = await convert((await raise()).alertId);
    const payload = { alerts: Array.from({ length: 1000 }, (_, i) => ({ status: 'firing', labels: { alertname: `load-${i}`, instance: `h${i}` }, annotations: {}, startsAt: '2026-11-30T08:00:00Z', fingerprint: `f${i}` })) };
    const integration = await api.call('POST', '/integrations', { as: admin, body: { name: 'prom-limit', kind: 'alertmanager' } });
    const sent = await api.call('POST', '/integrations/alertmanager', { headers: { authorization: `Bearer ${integration.body.key}` }, body: { version: '4', status: 'firing', receiver: 'r', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', groupKey: 'g', ...payload } });
    // Raised by this answer, or by a first try that answered 503 (its alerts are then the same firing: unchanged).
    expect(sent.status).toBe(200);
    expect(sent.body.raised + sent.body.unchanged).toBe(1000);
    const ids: string[] = [];
    for (let cursor: string | undefined, page = 0; page < 20; page++) {
      const res = await api.call('GET', `/alerts?source=prom-limit&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { as: agent });
      ids.push(...res.body.items.map((a: { alertId: string }) => a.alertId));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(ids).toHaveLength(1000);
    for (let i = 0; i < 999; i += 100) {
      const res = await attach(big.caseId, ids.slice(i, Math.min(i + 100, 999)));
      expect(res.status).toBe(200);
    }
    expect((await getCase(big.caseId)).alertCount).toBe(1000);
    const over = await attach(big.caseId, [ids[999]]);
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ limit: 1000, alertCount: 1000 });
    expect(over.body.detail).toContain('1000');
    expect((await getAlert(ids[999])).caseId).toBeUndefined();
    // A page of a case's alerts goes on with its cursor to the end.
    const first = await api.call('GET', `/cases/${big.caseId}/alerts?limit=100`, { as: agent });
    expect(first.body.items).toHaveLength(100);
    expect(first.body.nextCursor).toEqual(expect.any(String));
  });

  it('lets exactly one of two cases take an alert both attach at the same moment, for many alerts at once', async () => {
    const [a, b] = [await convert((await raise()).alertId), await convert((await raise()).alertId)];
    const alerts = await Promise.all(Array.from({ length: 20 }, () => raise()));
    const answers = await Promise.all(alerts.flatMap((alert) => [attach(a.caseId, [alert.alertId]), attach(b.caseId, [alert.alertId])]));
    for (let i = 0; i < alerts.length; i++) {
      const outcomes = [answers[2 * i], answers[2 * i + 1]].map((r) => r.body.results[0].outcome).sort();
      expect(outcomes).toEqual(['attached', 'attached_elsewhere']);
    }
    const [ca, cb] = [await getCase(a.caseId), await getCase(b.caseId)];
    expect(ca.alertCount + cb.alertCount).toBe(2 + alerts.length);
    expect((await caseAlerts(a.caseId)).length + (await caseAlerts(b.caseId)).length).toBe(2 + alerts.length);
  });

  it('takes an Idempotency-Key: a retried attach answers as the first did', async () => {
    const kase = await convert((await raise()).alertId);
    const alert = await raise();
    const headers = { 'idempotency-key': `attach-${alert.alertId}` };
    const first = await attach(kase.caseId, [alert.alertId], { headers });
    const retry = await attach(kase.caseId, [alert.alertId], { headers });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.body.results[0].outcome).toBe('attached');
  });
});

describe('bulk convert', () => {
  it('opens one case for many alerts from the most severe, answering each alert on its own; a retry with the same key answers the same', async () => {
    const minor = await raise({ severity: 'minor', detections: [{ id: 'D1', name: 'one' }] });
    const critical = await raise({ severity: 'critical', detections: [{ id: 'D2', name: 'two' }] });
    const taken = await raise();
    const other = await convert(taken.alertId);
    const missing = 'alr_ffffffffffffffffffffffff';
    const body = { alertIds: [minor.alertId, critical.alertId, taken.alertId, missing], mode: 'one_case', shortDescription: 'Outage' };
    const headers = { 'idempotency-key': `bulk-${minor.alertId}` };
    const res = await api.call('POST', '/alerts/convert', { as: operator, body, headers });
    expect(res.status).toBe(200);
    const caseId = res.body.results[0].caseId as string;
    expect(res.body.results).toEqual([
      { alertId: minor.alertId, outcome: 'converted', caseId, caseNumber: expect.stringMatching(/^CS\d{7}$/) },
      { alertId: critical.alertId, outcome: 'converted', caseId, caseNumber: expect.any(String) },
      { alertId: taken.alertId, outcome: 'attached_elsewhere', caseId: other.caseId, caseNumber: other.number },
      { alertId: missing, outcome: 'not_found' },
    ]);
    const kase = await getCase(caseId);
    expect(kase).toMatchObject({ alertId: critical.alertId, priority: 'critical', alertCount: 2, shortDescription: 'Outage' });
    expect(kase.detections.map((d: Detection) => d.id).sort()).toEqual(['D1', 'D2']);

    const retry = await api.call('POST', '/alerts/convert', { as: operator, body, headers });
    expect(retry.body).toEqual(res.body);
    const cases = await api.call('GET', `/cases?alertId=${minor.alertId}`, { as: agent });
    expect(cases.body.items).toHaveLength(1);
    expect((await api.call('POST', '/alerts/convert', { as: agent, body })).status).toBe(403);
  });

  it('opens a case per alert, and a retry without a key converts nothing twice', async () => {
    const alerts = await Promise.all([raise({ severity: 'major' }), raise({ severity: 'warning' }), raise({ severity: 'critical' })]);
    const body = { alertIds: alerts.map((a) => a.alertId), mode: 'case_per_alert', shortDescription: 'Each', queue: 'tier2' };
    const res = await api.call('POST', '/alerts/convert', { as: operator, body, noKey: true });
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['converted', 'converted', 'converted']);
    const cases = await Promise.all(res.body.results.map((r: { caseId: string }) => getCase(r.caseId)));
    expect(cases.map((c) => [c.alertId, c.priority, c.queue, c.alertCount])).toEqual([
      [alerts[0].alertId, 'high', 'tier2', 1],
      [alerts[1].alertId, 'low', 'tier2', 1],
      [alerts[2].alertId, 'critical', 'tier2', 1],
    ]);
    const again = await api.call('POST', '/alerts/convert', { as: operator, body, noKey: true });
    expect(again.body.results).toEqual(res.body.results.map((r: object) => ({ ...r, outcome: 'attached_elsewhere' })));
  });

  it('gives each case its alert\'s description when the conversion names no short description', async () => {
    const alerts = await Promise.all([raise({ severity: 'minor', description: 'Disk full on web-1' }), raise({ severity: 'major', description: 'Disk full on web-2' })]);
    const each = await api.call('POST', '/alerts/convert', { as: operator, body: { alertIds: alerts.map((a) => a.alertId), mode: 'case_per_alert' } });
    const cases = await Promise.all(each.body.results.map((r: { caseId: string }) => getCase(r.caseId)));
    expect(cases.map((c) => c.shortDescription)).toEqual(['Disk full on web-1', 'Disk full on web-2']);
    const more = await Promise.all([raise({ severity: 'minor', description: 'Queue backlog a' }), raise({ severity: 'critical', description: 'Queue backlog b' })]);
    const one = await api.call('POST', '/alerts/convert', { as: operator, body: { alertIds: more.map((a) => a.alertId), mode: 'one_case' } });
    // One case: the description of the most severe alert, which opened it.
    expect((await getCase(one.body.results[0].caseId)).shortDescription).toBe('Queue backlog b');
  });

  it('refuses what is not a bulk conversion, naming the field', async () => {
    const alert = await raise();
    for (const [body, path] of [
      [{ alertIds: [], mode: 'one_case', shortDescription: 'x' }, 'alertIds'],
      [{ alertIds: Array.from({ length: 101 }, () => alert.alertId), mode: 'one_case', shortDescription: 'x' }, 'alertIds'],
      [{ alertIds: [alert.alertId, alert.alertId], mode: 'one_case', shortDescription: 'x' }, 'alertIds'],
      [{ alertIds: [alert.alertId], mode: 'some', shortDescription: 'x' }, 'mode'],
      [{ alertIds: [alert.alertId], mode: 'one_case', shortDescription: '' }, 'shortDescription'],
    ] as const) {
      const res = await api.call('POST', '/alerts/convert', { as: operator, body });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await getAlert(alert.alertId)).caseId).toBeUndefined();
  });
});

describe('grouping', () => {
  it('gathers a storm of 100 alerts of one group, raised at once, into exactly one case; another group gets its own', async () => {
    const playbook = await api.call('POST', '/playbooks', {
      as: admin,
      body: { name: 'Group by CI', enabled: true, conditions: { sources: ['storm'] }, action: { queue: 'tier1', group: { by: ['ciId'], windowMinutes: 30 } } },
    });
    expect(playbook.status).toBe(201);
    expect(playbook.body.action.group).toEqual({ by: ['ciId'], windowMinutes: 30 });
    const raised = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api.call('POST', '/alerts', { as: operator, body: { source: 'storm', sourceAlertId: `s-${i}`, severity: 'major', ciId: 'db-1', description: `storm ${i}`, detections: [{ id: 'T1499', name: 'DoS' }] } })),
    );
    // 200: a first try raised the alert, answered 503 and was sent again (with its key).
    expect(raised.filter((r) => r.status !== 201 && r.status !== 200)).toEqual([]);
    const alerts = await Promise.all(raised.map((r) => getAlert(r.body.alertId)));
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(100);
    const caseIds = new Set(alerts.map((a) => a.caseId));
    expect(caseIds.size).toBe(1);
    const [caseId] = [...caseIds];
    const kase = await getCase(caseId);
    expect(kase).toMatchObject({ origin: 'playbook', alertCount: 100, queue: 'tier1', detections: [{ id: 'T1499', name: 'DoS' }] });
    expect((await caseAlerts(caseId)).sort()).toEqual(alerts.map((a) => a.alertId).sort());

    const elsewhere = await api.call('POST', '/alerts', { as: operator, body: { source: 'storm', sourceAlertId: 'other-ci', severity: 'major', ciId: 'web-1', description: 'web' } });
    expect(elsewhere.body.caseId).toEqual(expect.any(String));
    expect(elsewhere.body.caseId).not.toBe(caseId);

    // Once the group's case is resolved, the next alert of the group opens a new one.
    await api.call('PATCH', `/cases/${caseId}`, { as: agent, body: { stage: 'resolved', closedReason: 'already_mitigated' } });
    const after = await api.call('POST', '/alerts', { as: operator, body: { source: 'storm', sourceAlertId: 's-after', severity: 'major', ciId: 'db-1', description: 'again' } });
    expect(after.body.caseId).toEqual(expect.any(String));
    expect(after.body.caseId).not.toBe(caseId);
    const next = await api.call('POST', '/alerts', { as: operator, body: { source: 'storm', sourceAlertId: 's-after-2', severity: 'major', ciId: 'db-1', description: 'again' } });
    expect(next.body.caseId).toBe(after.body.caseId);
    await api.call('DELETE', `/playbooks/${playbook.body.playbookId}`, { as: admin });
  });

  it('refuses a grouping by a field alerts do not have', async () => {
    const res = await api.call('POST', '/playbooks', { as: admin, body: { name: 'bad', conditions: {}, action: { group: { by: ['severity'], windowMinutes: 5 } } } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('action.group.by.0');
    const window = await api.call('POST', '/playbooks', { as: admin, body: { name: 'bad', conditions: {}, action: { group: { by: ['attributes.team'], windowMinutes: 0 } } } });
    expect(window.body.errors[0].path).toBe('action.group.windowMinutes');
  });
});

describe('following an attached alert', () => {
  it("records a repeat, an acknowledgement and a clear of an attached alert once on its case, and raises (never lowers) the case's priority", async () => {
    expect((await api.call('GET', '/rules/case-sync', { as: agent })).body).toEqual({ raisePriorityOnEscalation: true, closeAlertsWithCase: false, updatedAt: null, updatedBy: null });
    const origin = await raise({ severity: 'warning', sourceAlertId: 'follow-1' });
    const kase = await convert(origin.alertId);
    expect((await getCase(kase.caseId)).priority).toBe('low');
    await raise({ severity: 'warning' }).then((a) => attach(kase.caseId, [a.alertId]));

    const repeat = (severity: string) => api.call('POST', '/alerts', { as: operator, body: { source: 'zabbix', sourceAlertId: 'follow-1', severity, description: 'disk filling' } });
    expect((await repeat('critical')).status).toBe(200);
    expect(await getCase(kase.caseId)).toMatchObject({ priority: 'critical', updatedBy: `alert:${origin.alertId}` });
    await repeat('minor');
    expect((await getCase(kase.caseId)).priority).toBe('critical');
    await api.call('PATCH', `/alerts/${origin.alertId}`, { as: operator, body: { state: 'acknowledged' } });
    await api.call('POST', '/alerts', { as: operator, body: { source: 'zabbix', sourceAlertId: 'follow-1', severity: 'clear', description: 'ok' } });

    const history = await historyOf('cases', kase.caseId, 'alert_updated', 4);
    const followed = history.filter((e) => e.action === 'alert_updated');
    expect(followed).toHaveLength(4);
    expect(followed.every((e) => e.alertId === origin.alertId)).toBe(true);
    expect(followed[0].changes).toEqual(expect.arrayContaining([{ field: 'severity', from: 'warning', to: 'critical' }, { field: 'occurrences', from: 1, to: 2 }]));
    expect(followed[2].changes).toEqual([{ field: 'state', from: 'open', to: 'acknowledged' }]);
    expect(followed[3].changes).toEqual([{ field: 'state', from: 'acknowledged', to: 'closed' }]);
    expect(history.filter((e) => e.action === 'priority_raised')).toEqual([
      expect.objectContaining({ actor: `alert:${origin.alertId}`, changes: [{ field: 'priority', from: 'low', to: 'critical' }] }),
    ]);
    // Closing an alert never closes its case.
    expect((await getCase(kase.caseId)).stage).toBe('new');
  });

  it('closes the open alerts of a case resolved while closeAlertsWithCase is on, and leaves them open while it is off', async () => {
    expect((await api.call('PUT', '/rules/case-sync', { as: operator, body: { raisePriorityOnEscalation: true, closeAlertsWithCase: true } })).status).toBe(403);
    const kept = await convert((await raise()).alertId);
    await api.call('PATCH', `/cases/${kept.caseId}`, { as: agent, body: { stage: 'resolved', closedReason: 'low_risk' } });
    expect((await api.call('GET', `/cases/${kept.caseId}/alerts`, { as: agent })).body.items.map((a: { state: string }) => a.state)).toEqual(['open']);

    const on = await api.call('PUT', '/rules/case-sync', { as: admin, body: { raisePriorityOnEscalation: false, closeAlertsWithCase: true } });
    expect(on.body).toMatchObject({ raisePriorityOnEscalation: false, closeAlertsWithCase: true, updatedBy: 'ada' });
    const origin = await raise({ severity: 'info', sourceAlertId: 'follow-2' });
    const kase = await convert(origin.alertId);
    const more = await raise();
    await attach(kase.caseId, [more.alertId]);
    await api.call('POST', '/alerts', { as: operator, body: { source: 'zabbix', sourceAlertId: 'follow-2', severity: 'critical', description: 'worse' } });
    expect((await getCase(kase.caseId)).priority).toBe('low'); // raising is off
    await api.call('PATCH', `/cases/${kase.caseId}`, { as: agent, body: { stage: 'resolved', closedReason: 'already_mitigated' } });
    const states = (await api.call('GET', `/cases/${kase.caseId}/alerts`, { as: agent })).body.items.map((a: { state: string }) => a.state);
    expect(states).toEqual(['closed', 'closed']);
    await api.call('PUT', '/rules/case-sync', { as: admin, body: { raisePriorityOnEscalation: true, closeAlertsWithCase: false } });
  });
});

it("used only the table actions and indexes each function's grant allows (lib/functions.ts)", () => {
  expect(tableCalls.size).toBeGreaterThan(0);
  expect(callsOutsideGrants()).toEqual([]);
});
