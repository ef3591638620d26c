import { Conflict, Invalid, NotFound, PreconditionFailed } from '../../lib/domain/errors.js';
import { fingerprintOf } from '../../lib/domain/idempotency.js';
import { raiseAlert } from '../../lib/usecases/alerts.js';
import { addWorkNote, convertAlertToCase, createManualCase, getCase, updateCase, type CaseInput } from '../../lib/usecases/cases.js';
import { createStore } from '../../lib/store/store.js';
import { repositoriesFor } from '../../lib/usecases/repositories.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable('cases');
  await t.repos.queues.put({ queueId: 'tier2', members: ['carol'] }, { at: new Date().toISOString(), actor: 'admin' });
});
afterAll(() => t.drop());

let seq = 0;
async function newAlert(extra: Partial<Parameters<typeof raiseAlert>[1]> = {}) {
  const { alert } = await raiseAlert(
    t.repos,
    {
      source: 'siem',
      sourceAlertId: `s-${++seq}`,
      severity: 'major',
      description: 'Suspicious login',
      attributes: { user: 'jdoe', attempts: 12 },
      detections: [{ id: 'det-1', name: 'Brute force', tactic: 'Credential Access', technique: 'T1110' }],
      ...extra,
    },
    'op',
  );
  return alert;
}

const convert = (alertId: string, input: Partial<CaseInput> = {}, options = {}) =>
  convertAlertToCase(t.repos, alertId, { shortDescription: 'Investigate login', ...input }, 'op', options);

describe('converting an alert into a case', () => {
  it('numbers the case, maps priority from severity, copies attributes and detections, links the alert', async () => {
    const alert = await newAlert();
    const created = await convert(alert.alertId);
    expect(created).toMatchObject({
      origin: 'alert',
      proactive: false,
      priority: 'high',
      stage: 'new',
      majorCase: 'none',
      alertId: alert.alertId,
      alertAttributes: { user: 'jdoe', attempts: 12 },
      detections: alert.detections,
      createdBy: 'op',
      version: 1,
    });
    expect(created!.number).toMatch(/^CS\d{7}$/);
    const linked = await t.repos.alerts.require(alert.alertId);
    expect(linked).toMatchObject({ caseId: created!.caseId, caseNumber: created!.number, links: { case: `/cases/${created!.caseId}` } });
    expect(await getCase(t.repos, created!.number)).toMatchObject({ caseId: created!.caseId });
  });

  it('gives each new case the next number', async () => {
    const a = await convert((await newAlert()).alertId);
    const b = await convert((await newAlert()).alertId);
    expect(Number(b.number.slice(2))).toBe(Number(a.number.slice(2)) + 1);
  });

  it('uses the given priority, medium meaning moderate', async () => {
    const result = await convert((await newAlert({ severity: 'critical' })).alertId, { priority: 'medium' });
    expect(result!.priority).toBe('moderate');
  });

  it('answers a second conversion with a 409 naming the existing case', async () => {
    const alert = await newAlert();
    const first = await convert(alert.alertId);
    const error = await convert(alert.alertId).catch((e) => e);
    expect(error).toBeInstanceOf(Conflict);
    expect(error.extra).toEqual({ caseId: first!.caseId, caseNumber: first!.number });
  });

  // Contention on one alert is never Unavailable: every loser is a Conflict, none is tried again.
  it('creates exactly one case from twenty simultaneous conversions; every loser gets the winner, none is told to retry', async () => {
    const alert = await newAlert();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => convert(alert.alertId)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof convert>>>).value;
    for (const lost of outcomes.filter((o) => o.status === 'rejected')) {
      expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
      expect((lost as PromiseRejectedResult).reason.extra).toEqual({ caseId: winner.caseId, caseNumber: winner.number });
    }
    const cases = await t.repos.caseLists.list({ alertId: alert.alertId }, 100);
    expect(cases.items).toHaveLength(1);
  });

  it('costs one read and one transactional write, with or without an Idempotency-Key', async () => {
    const store = createStore({ tableName: t.tableName, endpoint: t.endpoint });
    const calls: string[] = [];
    store.doc.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(context.commandName as string);
        return next(args);
      },
      { step: 'initialize' },
    );
    const repos = repositoriesFor(store);
    const plain = await newAlert();
    await convertAlertToCase(repos, plain.alertId, { shortDescription: 'x', queue: 'tier2' }, 'op');
    expect(calls).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    calls.length = 0;
    const keyed = await newAlert();
    const request = { scope: 'op', key: `count-${keyed.alertId}`, fingerprint: fingerprintOf({}) };
    await convertAlertToCase(repos, keyed.alertId, { shortDescription: 'x' }, 'op', { idempotency: request });
    expect(calls).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
    store.doc.destroy();
  });

  it('refuses an unknown alert with 404 and writes nothing', async () => {
    const before = await t.repos.caseLists.list({}, 100);
    await expect(convert('alr_0123456789abcdef01234567')).rejects.toThrow(NotFound);
    expect((await t.repos.caseLists.list({}, 100)).items).toHaveLength(before.items.length);
  });

  it('refuses a closed stage without a reason, and other without text, naming the field', async () => {
    const alert = await newAlert();
    const noReason = await convert(alert.alertId, { stage: 'closed' }).catch((e) => e);
    expect(noReason).toBeInstanceOf(Invalid);
    expect(noReason.errors[0].path).toBe('closedReason');
    const noText = await convert(alert.alertId, { stage: 'closed', closedReason: 'other' }).catch((e) => e);
    expect(noText.errors[0].path).toBe('closedReasonText');
    expect((await t.repos.alerts.require(alert.alertId)).caseId).toBeUndefined();
    const result = await convert(alert.alertId, { stage: 'closed', closedReason: 'false_positive' });
    expect(result).toMatchObject({ stage: 'closed', closedReason: 'false_positive' });
  });

  it('refuses an unknown queue; keeps the case unassigned with a warning when the assignee is not a member', async () => {
    const alert = await newAlert();
    const unknown = await convert(alert.alertId, { queue: 'nowhere' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(Invalid);
    expect(unknown.errors[0].path).toBe('queue');
    const result = await convert(alert.alertId, { queue: 'tier2', assignee: 'mallory' });
    expect(result).toMatchObject({ queue: 'tier2', warnings: [expect.stringMatching(/mallory/)] });
    expect(result!.assignee).toBeUndefined();
    const member = await convert((await newAlert()).alertId, { queue: 'tier2', assignee: 'carol' });
    expect(member).toMatchObject({ queue: 'tier2', assignee: 'carol', warnings: [] });
  });

  it('returns the first result for a retry with the same Idempotency-Key', async () => {
    const alert = await newAlert();
    const body = { shortDescription: 'Investigate login' };
    const request = { scope: `op|POST /alerts/${alert.alertId}/case`, key: 'retry-1', fingerprint: fingerprintOf(body) };
    const first = await convert(alert.alertId, body, { idempotency: request });
    const retry = await convert(alert.alertId, body, { idempotency: request });
    expect(retry).toEqual(first);
    const otherBody = { ...request, fingerprint: fingerprintOf({ shortDescription: 'else' }) };
    await expect(convert(alert.alertId, body, { idempotency: otherBody })).rejects.toThrow(Invalid);
  });
});

describe('manual cases and changes', () => {
  const manual = (input: Partial<CaseInput> = {}) =>
    createManualCase(t.repos, { shortDescription: 'Customer reports slowness', priority: 'low', ...input }, 'agent');

  it('creates a manual case not tied to an alert', async () => {
    const result = await manual({ accountId: 'acme' });
    expect(result).toMatchObject({ origin: 'manual', proactive: false, priority: 'low', stage: 'new', accountId: 'acme' });
    expect(result!.alertId).toBeUndefined();
  });

  it('follows the stage transition table', async () => {
    const c = await manual();
    const open = await updateCase(t.repos, c!.caseId, { stage: 'in_progress' }, 'agent');
    expect(open).toMatchObject({ stage: 'in_progress', version: 2, updatedBy: 'agent' });
    const resolved = await updateCase(t.repos, c!.caseId, { stage: 'resolved', closedReason: 'already_mitigated' }, 'agent');
    expect(resolved.stage).toBe('resolved');
    await expect(updateCase(t.repos, c!.caseId, { stage: 'in_progress' }, 'agent')).rejects.toThrow(Conflict);
    const closed = await updateCase(t.repos, c!.caseId, { stage: 'closed' }, 'agent');
    expect(closed.stage).toBe('closed');
    await expect(updateCase(t.repos, c!.caseId, { priority: 'high' }, 'agent')).rejects.toThrow(Conflict);
    await expect(updateCase(t.repos, c!.caseId, { stage: 'open', priority: 'high' }, 'agent')).rejects.toThrow(/priority/);
    const reopened = await updateCase(t.repos, c!.caseId, { stage: 'open' }, 'agent');
    expect(reopened).toMatchObject({ stage: 'open', priority: 'low' });
  });

  it('refuses resolving without a reason, naming closedReason', async () => {
    const c = await manual();
    const error = await updateCase(t.repos, c!.caseId, { stage: 'resolved' }, 'agent').catch((e) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect(error.errors[0].path).toBe('closedReason');
    expect((await t.repos.cases.require(c!.caseId)).stage).toBe('new');
  });

  it('refuses a stale If-Match with 412 and leaves the case as it was', async () => {
    const c = await manual();
    await updateCase(t.repos, c!.caseId, { priority: 'high' }, 'agent', 1);
    await expect(updateCase(t.repos, c!.caseId, { priority: 'critical' }, 'agent', 1)).rejects.toThrow(PreconditionFailed);
    expect((await t.repos.cases.require(c!.caseId)).priority).toBe('high');
  });

  it('unassigns with a warning when the new assignee is not in the queue; null removes a field', async () => {
    const c = await manual({ queue: 'tier2', assignee: 'carol', description: 'x' });
    const moved = await updateCase(t.repos, c!.caseId, { assignee: 'zed', description: null }, 'agent');
    expect(moved.assignee).toBeUndefined();
    expect(moved.description).toBeUndefined();
    expect(moved.warnings).toEqual([expect.stringMatching(/zed/)]);
    await expect(updateCase(t.repos, c!.caseId, { queue: 'nowhere' }, 'agent')).rejects.toThrow(Invalid);
  });

  it('lists cases by stage, queue and origin filters', async () => {
    const c = await manual({ queue: 'tier3', accountId: 'globex' });
    const byQueue = await t.repos.caseLists.list({ queue: 'tier3' }, 100);
    expect(byQueue.items.map((x) => x.caseId)).toContain(c!.caseId);
    const byAccountAndStage = await t.repos.caseLists.list({ accountId: 'globex', stage: 'new', proactive: false }, 100);
    expect(byAccountAndStage.items.map((x) => x.caseId)).toEqual([c!.caseId]);
    expect((await t.repos.caseLists.list({ accountId: 'globex', stage: 'closed' }, 100)).items).toEqual([]);
  });

  it('adds work notes to an existing case only', async () => {
    const c = await manual();
    const note = await addWorkNote(t.repos, c!.caseId, 'Called the customer', 'op');
    expect(note).toMatchObject({ caseId: c!.caseId, text: 'Called the customer', author: 'op' });
    expect((await t.repos.cases.listWorkNotes(c!.caseId, 10)).items).toEqual([note]);
    await expect(addWorkNote(t.repos, 'case_00000000000000000000000000000000', 'x', 'op')).rejects.toThrow(NotFound);
  });
});
