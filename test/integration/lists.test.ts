/**
 * Lists over sharded indexes, on DynamoDB Local: newest first across every
 * write shard, every filter, and cursors that walk a list longer than a page
 * without a gap or a repeat. Plus the conditions the entities write with.
 */
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import type { Alert } from '../../lib/domain/alert.js';
import { caseNumberFor } from '../../lib/domain/case.js';
import { Invalid } from '../../lib/domain/errors.js';
import type { Page } from '../../lib/store/pagination.js';
import { ALERT_SHARDS, CASE_SHARDS, shardOf } from '../../lib/store/shards.js';
import { changeAlertState, raiseAlert } from '../../lib/usecases/alerts.js';
import { convertAlertToCase, createManualCase } from '../../lib/usecases/cases.js';
import type { StoredCase } from '../../lib/domain/case.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { whenTaken } from '../support/when-taken.js';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable('lists');
  await t.repos.queues.put({ queueId: 'tier1', members: ['adam', 'bea'] }, { at: new Date().toISOString(), actor: 'admin' });
});
afterAll(() => t.drop());

/** Every item of a list, page by page, with the pages' sizes. */
async function walk<T>(page: (cursor?: string) => Promise<Page<T>>) {
  const items: T[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 200; pages++) {
    const p = await page(cursor);
    items.push(...p.items);
    sizes.push(p.items.length);
    if (!p.nextCursor) return { items, sizes };
    cursor = p.nextCursor;
  }
  throw new Error('the list did not end');
}

const newestFirst = <T extends { createdAt: string }>(items: T[], id: (x: T) => string) =>
  [...items].sort((a, b) => (`${b.createdAt}#${id(b)}` > `${a.createdAt}#${id(a)}` ? 1 : -1));

/** The ids a filtered list must give, in order: those of `all` that match every filter, newest first. */
const expectedIds = <T extends { createdAt: string }>(all: T[], filters: object, id: (x: T) => string) =>
  newestFirst(
    all.filter((x) => Object.entries(filters).every(([k, v]) => (x as unknown as Record<string, unknown>)[k] === v)),
    id,
  ).map(id);

describe('alert lists', () => {
  const sources = ['prometheus', 'siem', 'nagios'];
  const severities = ['critical', 'major', 'minor', 'warning', 'info'] as const;
  let alerts: Alert[];

  beforeAll(async () => {
    alerts = [];
    for (let i = 0; i < 60; i++) {
      const { alert } = await raiseAlert(
        t.repos,
        { source: sources[i % 3], sourceAlertId: `l-${i}`, severity: severities[i % 5], description: `alert ${i}` },
        'op',
      );
      alerts.push(i % 4 === 0 ? await changeAlertState(t.repos, alert.alertId, 'acknowledged', 'op') : alert);
    }
  });

  it('spreads the alerts over the write shards (so the walks below cross shards)', () => {
    expect(new Set(alerts.map((a) => shardOf(a.alertId, ALERT_SHARDS))).size).toBeGreaterThan(ALERT_SHARDS / 2);
  });

  it('walks every alert newest first across all shards, page by page, without a gap or a repeat', async () => {
    const { items, sizes } = await walk((cursor) => t.repos.alertLists.list({}, 7, cursor));
    expect(items.map((a) => a.alertId)).toEqual(newestFirst(alerts, (a) => a.alertId).map((a) => a.alertId));
    // Unfiltered pages are full but for the last.
    expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
  });

  it.each([
    [{ state: 'acknowledged' as const }],
    [{ state: 'open' as const }],
    [{ severity: 'major' as const }],
    [{ source: 'siem' }],
    [{ source: 'siem', severity: 'minor' as const }],
    [{ state: 'open' as const, severity: 'critical' as const }],
    [{ source: 'nagios', state: 'acknowledged' as const, severity: 'warning' as const }],
  ])('filters by %j, newest first, across pages', async (filters) => {
    const { items } = await walk((cursor) => t.repos.alertLists.list(filters, 3, cursor));
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((a) => a.alertId)).toEqual(expectedIds(alerts, filters, (a) => a.alertId));
  });

  it('returns each listed alert as a single read does', async () => {
    const [first] = (await t.repos.alertLists.list({}, 1)).items;
    expect(first).toEqual(await t.repos.alerts.require(first.alertId));
  });

  it('refuses a cursor from another list, or one whose positions were changed', async () => {
    const bySource = await t.repos.alertLists.list({ source: 'siem' }, 2);
    await expect(t.repos.alertLists.list({ source: 'nagios' }, 2, bySource.nextCursor!)).rejects.toThrow(Invalid);
    await expect(t.repos.alertLists.list({}, 2, bySource.nextCursor!)).rejects.toThrow(Invalid);
    const decoded = JSON.parse(Buffer.from(bySource.nextCursor!, 'base64url').toString());
    const forged = (p: unknown[]) => Buffer.from(JSON.stringify({ ...decoded, p })).toString('base64url');
    const positions = decoded.p as unknown[];
    await expect(t.repos.alertLists.list({ source: 'siem' }, 2, forged(positions.map(() => 'CASE#x')))).rejects.toThrow(Invalid);
    await expect(t.repos.alertLists.list({ source: 'siem' }, 2, forged(positions.slice(1)))).rejects.toThrow(Invalid);
    await expect(t.repos.alertLists.list({ source: 'siem' }, 2, forged(positions.map(() => ({ pk: 'x' }))))).rejects.toThrow(Invalid);
  });

  it('shows no key prefix in a history cursor, and a forged position is answered, never a database error', async () => {
    const owner = { kind: 'alert' as const, id: alerts[0].alertId };
    await t.repos.history.appendAll(
      ['2026-11-30T10:00:00.000Z', '2026-11-30T10:00:01.000Z'].map((at, i) => ({ owner, changeId: `v${i + 1}`, at, actor: 'op', action: 'updated', changes: [] })),
    );
    const page = await t.repos.history.list(owner, 1);
    const shown = Buffer.from(page.nextCursor!, 'base64url').toString();
    expect(shown).not.toMatch(/HISTORY|ALERT#|pk|sk/);
    expect((await t.repos.history.list(owner, 1, page.nextCursor!)).items).toHaveLength(1);
    const decoded = JSON.parse(shown);
    for (const position of ['NOTE#2026', 'x', '\u0000', 'ÿ'.repeat(300)]) {
      const forged = Buffer.from(JSON.stringify({ ...decoded, p: [position] })).toString('base64url');
      const answer = await t.repos.history.list(owner, 1, forged).catch((e: unknown) => e);
      expect(answer instanceof Invalid || Array.isArray((answer as { items?: unknown }).items)).toBe(true);
    }
    await expect(t.repos.history.list(owner, 1, `${page.nextCursor}€`)).rejects.toThrow(Invalid);
    await expect(t.repos.history.list(owner, 1, 'A'.repeat(2049))).rejects.toThrow(Invalid);
  });
});

describe('case lists', () => {
  let cases: StoredCase[];

  beforeAll(async () => {
    cases = [];
    const stages = ['new', 'open', 'in_progress', 'awaiting_info'] as const;
    for (let i = 0; i < 40; i++) {
      const result = await createManualCase(
        t.repos,
        {
          shortDescription: `case ${i}`,
          priority: 'low',
          stage: stages[i % 4],
          ...(i % 2 ? { queue: 'tier1', assignee: i % 4 === 1 ? 'adam' : 'bea' } : {}),
          ...(i % 3 ? { accountId: i % 3 === 1 ? 'acme' : 'globex' } : {}),
        },
        'agent',
      );
      cases.push(result!);
    }
    for (let i = 0; i < 6; i++) {
      const { alert } = await raiseAlert(t.repos, { source: 'siem', sourceAlertId: `c-${i}`, severity: 'major', description: 'x' }, 'op');
      cases.push((await convertAlertToCase(t.repos, alert.alertId, { shortDescription: `from alert ${i}`, queue: 'tier1' }, 'op')));
    }
  });

  it('spreads the cases over the write shards', () => {
    // Ids are random: 46 of them leave one of 8 shards empty about once in 60 runs, three about once in 40 million.
    expect(new Set(cases.map((c) => shardOf(c.caseId, CASE_SHARDS))).size).toBeGreaterThanOrEqual(CASE_SHARDS - 2);
  });

  it('walks every case newest first without a gap or a repeat', async () => {
    const { items } = await walk((cursor) => t.repos.caseLists.list({}, 6, cursor));
    expect(items.map((c) => c.caseId)).toEqual(newestFirst(cases, (c) => c.caseId).map((c) => c.caseId));
  });

  it.each([
    [{ stage: 'open' }],
    [{ queue: 'tier1' }],
    [{ assignee: 'adam' }],
    [{ accountId: 'acme' }],
    [{ accountId: 'globex', stage: 'new' }],
    [{ queue: 'tier1', proactive: false }],
    [{ assignee: 'bea', accountId: 'globex' }],
  ])('filters by %j, newest first, across pages', async (filters) => {
    const { items } = await walk((cursor) => t.repos.caseLists.list(filters, 4, cursor));
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((c) => c.caseId)).toEqual(expectedIds(cases, filters, (c) => c.caseId));
  });

  it('finds the case of an alert', async () => {
    const converted = cases[cases.length - 1];
    expect((await t.repos.caseLists.list({ alertId: converted.alertId }, 10)).items.map((c) => c.caseId)).toEqual([converted.caseId]);
  });

  it('leaves a case out of a list it no longer belongs to as soon as it changes', async () => {
    const moved = cases.find((c) => c.stage === 'awaiting_info')!;
    const { updateCase } = await import('../../lib/usecases/cases.js');
    await updateCase(t.repos, moved.caseId, { stage: 'open' }, 'agent');
    const awaiting = await walk((cursor) => t.repos.caseLists.list({ stage: 'awaiting_info' }, 100, cursor));
    expect(awaiting.items.map((c) => c.caseId)).not.toContain(moved.caseId);
    expect(awaiting.items.every((c) => c.stage === 'awaiting_info')).toBe(true);
  });
});

describe('conditions the entities write with', () => {
  it('never hands out a case number already taken: the creation takes the next one', async () => {
    const before = await createManualCase(t.repos, { shortDescription: 'before', priority: 'low' }, 'agent');
    const next = caseNumberFor(Number(before!.number.slice(2)) - 1000 + 1);
    await t.store.db.caseNumber.build(PutItemCommand).item({ number: next, caseId: 'case_taken_by_hand' }).send();
    const after = await createManualCase(t.repos, { shortDescription: 'after', priority: 'low' }, 'agent');
    expect(after!.number).not.toBe(next);
    expect((await t.repos.cases.getByNumber(after!.number))?.caseId).toBe(after!.caseId);
  });

  it('numbers cases uniquely across function instances, each handing out its own blocks in order', async () => {
    const { NumberBlocks } = await import('../../lib/store/case-numbers.js');
    const instances = [new NumberBlocks(t.store.db), new NumberBlocks(t.store.db), new NumberBlocks(t.store.db)];
    const taken = await Promise.all(instances.map((instance) => Promise.all(Array.from({ length: 45 }, () => instance.take()))));
    const all = taken.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const numbers of taken) expect([...numbers].sort()).toEqual(numbers);
    expect(all.every((n) => /^CS\d{7}$/.test(n) && n >= caseNumberFor(1))).toBe(true);
  });

  it('numbers 50 simultaneous creations uniquely, in this instance’s order', async () => {
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) => whenTaken(() => createManualCase(t.repos, { shortDescription: `burst ${i}`, priority: 'low' }, 'agent'))),
    );
    const numbers = created.map((c) => c.number);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers.every((n) => /^CS\d{7}$/.test(n) && n >= 'CS0001001')).toBe(true);
  });
});
