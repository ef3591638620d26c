import { Conflict, Invalid } from '../../lib/domain/errors.js';
import { alertIdFor } from '../../lib/domain/alert.js';
import { changeAlertState, raiseAlert } from '../../lib/usecases/alerts.js';
import { applySignals } from '../../lib/usecases/ingest.js';
import { detachAlert } from '../../lib/usecases/case-alerts.js';
import { caseInstallBaseView } from '../../lib/usecases/case-install-base.js';
import { addWorkNote, convertAlertToCase, createManualCase, updateCase } from '../../lib/usecases/cases.js';
import { refreshImpact } from '../../lib/usecases/impact.js';
import { importInstallBase, importServiceMap } from '../../lib/usecases/imports.js';
import { acceptMajorCase, proposeMajorCase, rejectMajorCase } from '../../lib/usecases/major-case.js';
import { createPlaybook, replacePlaybook, testPlaybook } from '../../lib/usecases/playbooks.js';
import { onIncidentCreated, setProactiveRule } from '../../lib/usecases/proactive.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;

/** db-shared under three services; acme, beta and gamma are external, it is internal. */
beforeAll(async () => {
  t = await createTestTable('automation');
  await importServiceMap(t.repos, {
    cis: [
      { ciId: 'svc-a', name: 'Service A', class: 'business_service' },
      { ciId: 'svc-b', name: 'Service B', class: 'business_service' },
      { ciId: 'svc-internal', name: 'Intranet', class: 'business_service' },
      { ciId: 'db-shared', name: 'Shared DB', class: 'database' },
      { ciId: 'db-internal', name: 'Internal DB', class: 'database' },
      { ciId: 'srv-lonely', name: 'Lonely', class: 'server' },
    ],
    relationships: [
      { parentId: 'svc-a', childId: 'db-shared' },
      { parentId: 'svc-b', childId: 'db-shared' },
      { parentId: 'svc-internal', childId: 'db-internal' },
    ],
  });
  await importInstallBase(t.repos, {
    accounts: [
      { accountId: 'acme', name: 'Acme', type: 'external' },
      { accountId: 'beta', name: 'Beta', type: 'external' },
      { accountId: 'gamma', name: 'Gamma', type: 'external' },
      { accountId: 'it', name: 'IT', type: 'internal' },
    ],
    soldProducts: ['acme', 'beta', 'gamma', 'it'].map((a) => ({ soldProductId: `sp-${a}`, accountId: a, name: `Product ${a}` })),
    installBaseItems: [
      { installBaseItemId: 'ib-acme', accountId: 'acme', soldProductId: 'sp-acme', ciId: 'svc-a', name: 'Acme A' },
      { installBaseItemId: 'ib-beta', accountId: 'beta', soldProductId: 'sp-beta', ciId: 'svc-b', name: 'Beta B' },
      { installBaseItemId: 'ib-gamma', accountId: 'gamma', soldProductId: 'sp-gamma', ciId: 'svc-b', name: 'Gamma B' },
      { installBaseItemId: 'ib-it-a', accountId: 'it', soldProductId: 'sp-it', ciId: 'svc-a', name: 'IT A' },
      { installBaseItemId: 'ib-it', accountId: 'it', soldProductId: 'sp-it', ciId: 'svc-internal', name: 'IT intranet' },
    ],
  });
});
afterAll(() => t.drop());

let seq = 0;
const raise = async (body: Partial<Parameters<typeof raiseAlert>[1]> = {}) =>
  (await raiseAlert(t.repos, { source: 'nagios', sourceAlertId: `a-${++seq}`, severity: 'major', description: 'down', ...body }, 'op')).alert;

describe('the Create Proactive Case rule', () => {
  afterEach(() => setProactiveRule(t.repos, false, 'admin'));

  it('is off by default and then opens nothing', async () => {
    expect(await t.repos.config.proactiveRule()).toEqual({ enabled: false, updatedAt: null, updatedBy: null });
    const alert = await raise({ ciId: 'db-shared' });
    expect(await onIncidentCreated(t.repos, { alertId: alert.alertId, incidentId: 'INC1' })).toEqual({ outcome: 'rule_off' });
    expect((await t.repos.alerts.require(alert.alertId)).incidentId).toBe('INC1');
  });

  it('opens one proactive case for the external accounts affected, with their items', async () => {
    await setProactiveRule(t.repos, true, 'admin');
    const alert = await raise({ ciId: 'db-shared', severity: 'critical' });
    const result = await onIncidentCreated(t.repos, { alertId: alert.alertId, incidentId: 'INC2' });
    expect(result.outcome).toBe('case_created');
    const kase = await t.repos.cases.require(result.caseId!);
    expect(kase).toMatchObject({ origin: 'proactive_rule', proactive: true, priority: 'critical', alertId: alert.alertId, createdBy: 'rule:proactive-case' });
    expect(kase.accountId).toBeUndefined(); // three external accounts
    expect(caseInstallBaseView(kase).affectedInstallBase.map((g) => g.accountId)).toEqual(['acme', 'beta', 'gamma']);
    expect((await t.repos.alerts.require(alert.alertId)).caseId).toBe(kase.caseId);
  });

  it('sets the account when exactly one external account is affected', async () => {
    await setProactiveRule(t.repos, true, 'admin');
    await importInstallBase(t.repos, { installBaseItems: [{ installBaseItemId: 'ib-acme-lonely', accountId: 'acme', soldProductId: 'sp-acme', ciId: 'srv-lonely', name: 'Acme lonely' }] });
    const alert = await raise({ ciId: 'srv-lonely' });
    const result = await onIncidentCreated(t.repos, { alertId: alert.alertId, incidentId: 'INC3' });
    expect((await t.repos.cases.require(result.caseId!)).accountId).toBe('acme');
  });

  it('opens nothing when only internal accounts are affected', async () => {
    await setProactiveRule(t.repos, true, 'admin');
    const alert = await raise({ ciId: 'db-internal' });
    expect(await onIncidentCreated(t.repos, { alertId: alert.alertId, incidentId: 'INC4' })).toEqual({ outcome: 'no_external_impact' });
    expect((await t.repos.alerts.require(alert.alertId)).caseId).toBeUndefined();
  });

  it('gives one case however often, and however simultaneously, the event is delivered', async () => {
    await setProactiveRule(t.repos, true, 'admin');
    const alert = await raise({ ciId: 'db-shared' });
    // 20 at once: each recomputes the impact first (a walk and its writes), so more only measures how slowly DynamoDB Local queues them.
    const results = await Promise.all(Array.from({ length: 20 }, () => onIncidentCreated(t.repos, { alertId: alert.alertId, incidentId: 'INC5' })));
    expect(results.filter((r) => r.outcome === 'case_created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.caseId))).toEqual(new Set([results.find((r) => r.outcome === 'case_created')!.caseId]));
    const again = await onIncidentCreated(t.repos, { alertId: alert.alertId, incidentId: 'INC5' });
    expect(again.outcome).toBe('already_has_case');
    expect((await t.repos.caseLists.list({ alertId: alert.alertId }, 10)).items).toHaveLength(1);
  });
});

describe('playbooks', () => {
  it('refuses an action a conversion could not carry out', async () => {
    const error = await createPlaybook(t.repos, { name: 'bad', conditions: {}, action: { queue: 'nowhere', stage: 'closed' } }, 'admin').catch((e) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect(error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['action.closedReason', 'action.queue']);
  });

  it('converts a raised alert with the first enabled match, in order, as playbook:<id>', async () => {
    await t.repos.queues.put({ queueId: 'soc', members: ['sam'] }, { at: new Date().toISOString(), actor: 'admin' });
    const later = await createPlaybook(t.repos, { name: 'catch-all siem', enabled: true, order: 20, conditions: { sources: ['siem'] }, action: { queue: 'tier1' } }, 'admin');
    const first = await createPlaybook(
      t.repos,
      {
        name: 'critical siem on databases',
        enabled: true,
        order: 10,
        conditions: { severityAtLeast: 'major', sources: ['siem'], ciClasses: ['database'], attributeEquals: { env: 'prod' } },
        action: { queue: 'soc', assignee: 'sam', priority: 'critical' },
      },
      'admin',
    );
    await createPlaybook(t.repos, { name: 'disabled first', enabled: false, order: 1, conditions: {}, action: {} }, 'admin');

    const matching = await raise({ source: 'siem', severity: 'critical', ciId: 'db-shared', attributes: { env: 'prod' } });
    expect(matching.caseId).toBeDefined();
    const kase = await t.repos.cases.require(matching.caseId!);
    expect(kase).toMatchObject({ origin: 'playbook', queue: 'soc', assignee: 'sam', priority: 'critical', createdBy: `playbook:${first.playbookId}` });

    const minor = await raise({ source: 'siem', severity: 'minor', ciId: 'db-shared', attributes: { env: 'prod' } });
    expect((await t.repos.cases.require(minor.caseId!)).createdBy).toBe(`playbook:${later.playbookId}`);

    const other = await raise({ source: 'nagios', severity: 'critical' });
    expect(other.caseId).toBeUndefined();
    await replacePlaybook(t.repos, later.playbookId, { name: 'catch-all siem', enabled: false, order: 20, conditions: { sources: ['siem'] }, action: {} }, 'admin');
    await replacePlaybook(t.repos, first.playbookId, { name: 'off', enabled: false, order: 10, conditions: {}, action: {} }, 'admin');
  });

  it('evaluates a repeat of an alert that has no case yet', async () => {
    const alert = await raise({ source: 'edr', sourceAlertId: 'edr-1', severity: 'minor' });
    expect(alert.caseId).toBeUndefined();
    const playbook = await createPlaybook(t.repos, { name: 'edr majors', enabled: true, order: 5, conditions: { sources: ['edr'], severityAtLeast: 'major' }, action: {} }, 'admin');
    const repeated = await raise({ source: 'edr', sourceAlertId: 'edr-1', severity: 'major' });
    expect(repeated.caseId).toBeDefined();
    await replacePlaybook(t.repos, playbook.playbookId, { name: 'edr majors', enabled: false, conditions: {}, action: {} }, 'admin');
  });

  it("converts an alert still without a case when its sender retries the very same firing (the first attempt's conversion may have failed)", async () => {
    const signal = {
      action: 'raise' as const,
      at: 'alerts.0',
      alert: { source: 'grafana-retry', sourceAlertId: 'fp-1', severity: 'major' as const, description: 'latency', attributes: {} },
      occurrence: '2026-11-30T08:00:00.000Z',
    };
    const event = { source: 'grafana-retry', sourceAlertId: 'ev-1', severity: 'major' as const, description: 'latency' };
    expect(await applySignals(t.repos, [signal], 'integration:int_1')).toMatchObject({ raised: 1 });
    await raiseAlert(t.repos, event, 'events', { deliveryId: 'delivery-1' });
    const playbook = await createPlaybook(t.repos, { name: 'retry', enabled: true, order: 1, conditions: { sources: ['grafana-retry'] }, action: {} }, 'admin');
    try {
      // The same notification again writes nothing to the alert (no second occurrence) but converts it now.
      expect(await applySignals(t.repos, [signal], 'integration:int_1')).toMatchObject({ unchanged: 1 });
      const viaWebhook = await t.repos.alerts.require(alertIdFor('grafana-retry', 'fp-1'));
      expect(viaWebhook).toMatchObject({ occurrences: 1, caseId: expect.any(String) });
      // So does an event delivered again.
      const { outcome, alert } = await raiseAlert(t.repos, event, 'events', { deliveryId: 'delivery-1' });
      expect(outcome).toBe('duplicate');
      expect(alert).toMatchObject({ occurrences: 1, caseId: expect.any(String) });
      // And once it has its case, a retry converts nothing more.
      await applySignals(t.repos, [signal], 'integration:int_1');
      expect((await t.repos.caseLists.list({ alertId: viaWebhook.alertId }, 10)).items.map((c) => c.caseId)).toEqual([viaWebhook.caseId]);
      // Detached by a person, it stays out of cases however often the sender re-sends the same firing.
      await detachAlert(t.repos, viaWebhook.caseId!, viaWebhook.alertId, 'analyst');
      expect(await applySignals(t.repos, [signal], 'integration:int_1')).toMatchObject({ unchanged: 1 });
      expect((await t.repos.alerts.require(viaWebhook.alertId)).caseId).toBeUndefined();
    } finally {
      await replacePlaybook(t.repos, playbook.playbookId, { name: 'retry', enabled: false, conditions: {}, action: {} }, 'admin');
    }
  });

  it('reports in a dry run which open alerts it would convert, converting none', async () => {
    const a = await raise({ source: 'ids', severity: 'critical', attributes: { zone: 'dmz' } });
    await raise({ source: 'ids', severity: 'critical', attributes: { zone: 'lan' } });
    const closed = await raise({ source: 'ids', severity: 'critical', attributes: { zone: 'dmz' } });
    await changeAlertState(t.repos, closed.alertId, 'closed', 'op');
    const playbook = await createPlaybook(t.repos, { name: 'dmz', conditions: { sources: ['ids'], attributeEquals: { zone: 'dmz' } }, action: {} }, 'admin');
    const dry = await testPlaybook(t.repos, playbook.playbookId);
    expect(dry.matches.map((m) => m.alertId)).toEqual([a.alertId]);
    expect(dry.evaluated).toBeGreaterThanOrEqual(2);
    expect((await t.repos.alerts.require(a.alertId)).caseId).toBeUndefined();
  });
});

describe('major cases', () => {
  async function caseOverThreeAccounts() {
    const alert = await raise({ ciId: 'db-shared', severity: 'critical' });
    // Time enough on a loaded machine: the case must be over all three accounts.
    await refreshImpact(t.repos, alert.alertId, 'op', { walkDeadline: Date.now() + 120_000, deadline: Date.now() + 120_000 });
    const result = await convertAlertToCase(t.repos, alert.alertId, { shortDescription: 'Shared DB down' }, 'op');
    return result!;
  }

  it('refuses to propose below the account threshold or in a late stage, saying why', async () => {
    const single = await createManualCase(t.repos, { shortDescription: 'one', priority: 'low' }, 'agent');
    const below = await proposeMajorCase(t.repos, single!.caseId, undefined, 'agent').catch((e) => e);
    expect(below).toBeInstanceOf(Conflict);
    expect(below.message).toMatch(/0 account/);
    const big = await caseOverThreeAccounts();
    await updateCase(t.repos, big.caseId, { stage: 'in_progress' }, 'agent');
    await expect(proposeMajorCase(t.repos, big.caseId, undefined, 'agent')).rejects.toThrow(/in_progress/);
  });

  it('accepts a major case over three accounts: one child per account, never two, each with its items', async () => {
    const major = await caseOverThreeAccounts();
    const proposed = await proposeMajorCase(t.repos, major.caseId, 'Four customers on the shared DB', 'agent');
    expect(proposed.majorCase).toBe('proposed');
    await expect(proposeMajorCase(t.repos, major.caseId, undefined, 'agent')).rejects.toThrow(Conflict);
    const both = await Promise.all([acceptMajorCase(t.repos, major.caseId, 'manager'), acceptMajorCase(t.repos, major.caseId, 'manager')]);
    expect(both.map((c) => c.majorCase)).toEqual(['accepted', 'accepted']);
    await acceptMajorCase(t.repos, major.caseId, 'manager'); // again: completes, creates nothing new
    const children = await t.repos.caseLists.children(major.caseId);
    expect(children.map((c) => c.accountId).sort()).toEqual(['acme', 'beta', 'gamma', 'it']);
    for (const child of children) {
      expect(child).toMatchObject({ parentCaseId: major.caseId, priority: 'critical', stage: 'new' });
      expect(Object.values(child.affectedInstallBase ?? {}).every((i) => i.accountId === child.accountId)).toBe(true);
    }
  });

  it("carries priority, stage, closed reason and work notes to open children; closing the major case closes them", async () => {
    const major = await caseOverThreeAccounts();
    await proposeMajorCase(t.repos, major.caseId, undefined, 'agent');
    await acceptMajorCase(t.repos, major.caseId, 'manager');
    const [settled, ...open] = await t.repos.caseLists.children(major.caseId);
    await updateCase(t.repos, settled.caseId, { stage: 'cancelled' }, 'agent');

    await updateCase(t.repos, major.caseId, { priority: 'high', stage: 'in_progress' }, 'agent');
    await addWorkNote(t.repos, major.caseId, 'Vendor engaged', 'agent');
    await updateCase(t.repos, major.caseId, { stage: 'closed', closedReason: 'already_mitigated' }, 'agent');

    for (const child of open) {
      const now = await t.repos.cases.require(child.caseId);
      expect(now).toMatchObject({ priority: 'high', stage: 'closed', closedReason: 'already_mitigated', updatedBy: 'agent' });
      expect((await t.repos.cases.listWorkNotes(child.caseId, 10)).items.map((n) => n.text)).toEqual(['Vendor engaged']);
    }
    expect(await t.repos.cases.require(settled.caseId)).toMatchObject({ stage: 'cancelled', priority: 'critical' });
    expect((await t.repos.cases.listWorkNotes(settled.caseId, 10)).items).toEqual([]);
  });

  it('turns a rejection reason into a work note', async () => {
    const major = await caseOverThreeAccounts();
    await proposeMajorCase(t.repos, major.caseId, undefined, 'agent');
    const rejected = await rejectMajorCase(t.repos, major.caseId, 'Separate root causes', 'manager');
    expect(rejected.majorCase).toBe('rejected');
    expect((await t.repos.cases.listWorkNotes(major.caseId, 10)).items.map((n) => n.text)).toEqual(['Major case rejected: Separate root causes']);
    await expect(acceptMajorCase(t.repos, major.caseId, 'manager')).rejects.toThrow(Conflict);
    expect((await proposeMajorCase(t.repos, major.caseId, 'Same root cause after all', 'agent')).majorCase).toBe('proposed');
  });
});
