import { Invalid, NotFound, PreconditionFailed } from '../../lib/domain/errors.js';
import { changeAlertState, raiseAlert } from '../../lib/usecases/alerts.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable('alerts');
});
afterAll(() => t.drop());

const raise = (body: Partial<Parameters<typeof raiseAlert>[1]> = {}) =>
  raiseAlert(t.repos, { source: 'nagios', severity: 'major', description: 'disk full', ...body }, 'op');

describe('raising alerts', () => {
  it('creates an alert with one occurrence', async () => {
    const { alert, outcome } = await raise({ sourceAlertId: 'r-1', ciId: 'srv-1', attributes: { host: 'srv-1', pct: 97 } });
    expect(outcome).toBe('created');
    expect(alert).toMatchObject({ state: 'open', severity: 'major', occurrences: 1, ciId: 'srv-1', version: 1, attributes: { host: 'srv-1', pct: 97 } });
    expect(alert.links.self).toBe(`/alerts/${alert.alertId}`);
    expect(await t.repos.alerts.get(alert.alertId)).toMatchObject({ alertId: alert.alertId, occurrences: 1 });
  });

  it('updates the same alert on a repeat instead of creating a second', async () => {
    const first = await raise({ sourceAlertId: 'r-2' });
    const { alert, outcome } = await raise({ sourceAlertId: 'r-2', severity: 'critical', description: 'disk full again' });
    expect(outcome).toBe('repeated');
    expect(alert.alertId).toBe(first.alert.alertId);
    expect(alert).toMatchObject({ occurrences: 2, severity: 'critical', description: 'disk full again', version: 2 });
    expect(alert.lastOccurredAt >= first.alert.lastOccurredAt).toBe(true);
    expect(alert.firstOccurredAt).toBe(first.alert.firstOccurredAt);
    const page = await t.repos.alertLists.list({ source: 'nagios' }, 100);
    expect(page.items.filter((a) => a.sourceAlertId === 'r-2')).toHaveLength(1);
  });

  it('keeps simultaneous repeats on one alert, counting each', async () => {
    await Promise.all(Array.from({ length: 10 }, () => raise({ sourceAlertId: 'r-burst' })));
    const page = await t.repos.alertLists.list({ source: 'nagios' }, 100);
    const burst = page.items.filter((a) => a.sourceAlertId === 'r-burst');
    expect(burst).toHaveLength(1);
    expect(burst[0].occurrences).toBe(10);
  });

  it('closes the known alert on clear, and clears nothing unknown', async () => {
    await raise({ sourceAlertId: 'r-3' });
    const { alert, outcome } = await raise({ sourceAlertId: 'r-3', severity: 'clear' });
    expect(outcome).toBe('cleared');
    expect(alert.state).toBe('closed');
    await expect(raise({ sourceAlertId: 'never-raised', severity: 'clear' })).rejects.toThrow(NotFound);
    await expect(raise({ severity: 'clear' })).rejects.toThrow(Invalid);
  });

  it('opens a closed alert again when it fires again', async () => {
    await raise({ sourceAlertId: 'r-4' });
    await raise({ sourceAlertId: 'r-4', severity: 'clear' });
    const { alert } = await raise({ sourceAlertId: 'r-4' });
    expect(alert).toMatchObject({ state: 'open', occurrences: 2 });
  });

  it('treats alerts without a sourceAlertId as distinct', async () => {
    const a = await raise({ source: 'siem' });
    const b = await raise({ source: 'siem' });
    expect(a.alert.alertId).not.toBe(b.alert.alertId);
  });
});

describe('a write whose answer was lost, sent again by the SDK', () => {
  it('is known as its own: a raise stays created with one occurrence, a repeat counts once', async () => {
    // What the SDK does when an answer times out after the write landed: the same request again.
    const { createStore } = await import('../../lib/store/store.js');
    const { repositoriesFor } = await import('../../lib/usecases/repositories.js');
    const store = createStore({ tableName: t.tableName, endpoint: t.endpoint });
    store.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutItemCommand' || context.commandName === 'UpdateItemCommand') await next(args);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'answerLostThenRetried' },
    );
    const repos = repositoriesFor(store);
    const body = { source: 'flaky', sourceAlertId: 'f-1', severity: 'minor' as const, description: 'x' };
    const created = await raiseAlert(repos, body, 'op');
    expect(created).toMatchObject({ outcome: 'created', alert: { occurrences: 1, version: 1 } });
    const repeated = await raiseAlert(repos, body, 'op');
    expect(repeated).toMatchObject({ outcome: 'repeated', alert: { occurrences: 2, version: 2 } });
    expect(await t.repos.alerts.require(created.alert.alertId)).toMatchObject({ occurrences: 2, version: 2 });
    store.doc.destroy();
  });
});

describe('changing and listing alerts', () => {
  it('acknowledges an alert and refuses a stale If-Match', async () => {
    const { alert } = await raise({ sourceAlertId: 'r-5' });
    const acked = await changeAlertState(t.repos, alert.alertId, 'acknowledged', 'op', alert.version);
    expect(acked).toMatchObject({ state: 'acknowledged', version: alert.version + 1 });
    await expect(changeAlertState(t.repos, alert.alertId, 'closed', 'op', alert.version)).rejects.toThrow(PreconditionFailed);
    await expect(changeAlertState(t.repos, 'alr_000000000000000000000000', 'closed', 'op')).rejects.toThrow(NotFound);
  });

  it('filters by state and severity and pages with a cursor', async () => {
    for (let i = 0; i < 5; i++) await raise({ source: 'pager', sourceAlertId: `p-${i}`, severity: i % 2 ? 'minor' : 'warning' });
    const minor = await t.repos.alertLists.list({ source: 'pager', severity: 'minor' }, 100);
    expect(minor.items.map((a) => a.sourceAlertId).sort()).toEqual(['p-1', 'p-3']);
    const first = await t.repos.alertLists.list({ source: 'pager' }, 2);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await t.repos.alertLists.list({ source: 'pager' }, 10, first.nextCursor!);
    const ids = [...first.items, ...second.items].map((a) => a.sourceAlertId);
    expect(new Set(ids).size).toBe(5);
    const open = await t.repos.alertLists.list({ state: 'open', source: 'pager' }, 100);
    expect(open.items).toHaveLength(5);
  });

  it('refuses a cursor it did not hand out', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'CASE#x', sk: 'CASE', gsi1pk: 'CASE', gsi1sk: 'x' })).toString('base64url');
    await expect(t.repos.alertLists.list({}, 10, forged)).rejects.toThrow(Invalid);
    await expect(t.repos.alertLists.list({}, 10, 'not-base64-json')).rejects.toThrow(Invalid);
  });
});

describe('alerts raised by events', () => {
  it('applies a redelivered event once: no second occurrence, no second change', async () => {
    const body = { source: 'datadog', sourceAlertId: 'ev-1', severity: 'minor' as const, description: 'queue depth' };
    const first = await raiseAlert(t.repos, body, 'event:monitoring', { deliveryId: 'event-id-1' });
    const again = await raiseAlert(t.repos, body, 'event:monitoring', { deliveryId: 'event-id-1' });
    expect(first.outcome).toBe('created');
    expect(again).toMatchObject({ outcome: 'duplicate', alert: { occurrences: 1, version: 1 } });
    const repeat = await raiseAlert(t.repos, body, 'event:monitoring', { deliveryId: 'event-id-2' });
    const repeatAgain = await Promise.all([1, 2, 3].map(() => raiseAlert(t.repos, body, 'event:monitoring', { deliveryId: 'event-id-2' })));
    expect(repeat).toMatchObject({ outcome: 'repeated', alert: { occurrences: 2, version: 2 } });
    expect(repeatAgain.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect((await t.repos.alerts.require(first.alert.alertId)).occurrences).toBe(2);
  });

  it('applies simultaneous deliveries of one new event once', async () => {
    const body = { source: 'datadog', sourceAlertId: 'ev-burst', severity: 'minor' as const, description: 'burst' };
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => raiseAlert(t.repos, body, 'event:monitoring', { deliveryId: 'event-id-burst' })));
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(7);
    expect((await t.repos.alerts.require(outcomes[0].alert.alertId)).occurrences).toBe(1);
  });
});
