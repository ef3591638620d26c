/**
 * Grouping playbooks against DynamoDB Local (SPEC §2 Grouping): alerts of one
 * group join the case the playbook opened for it while its window lasts;
 * after the window the next one opens a new case. The clock is moved by
 * faking `Date` alone (timers run as usual).
 */
import { jest } from '@jest/globals';
import { raiseAlert } from '../../lib/usecases/alerts.js';
import { createPlaybook } from '../../lib/usecases/playbooks.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable('grouping');
});
afterAll(async () => {
  jest.useRealTimers();
  await t.drop();
});

/** Only `Date` is faked: the SDK's timers and Node's ticks run as usual. */
const at = (ms: number) =>
  jest.useFakeTimers({
    now: ms,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });

it('gathers alerts of a group within the window, opens a new case after it, and keeps groups apart by every field named', async () => {
  const playbook = await createPlaybook(
    t.repos,
    { name: 'by team and CI', enabled: true, conditions: { sources: ['grafana'] }, action: { group: { by: ['attributes.team', 'ciId'], windowMinutes: 10 } } },
    'ada',
  );
  const start = Date.parse('2026-11-30T10:00:00.000Z');
  const raise = async (id: string, team: string, ciId = 'db-1') =>
    (await raiseAlert(t.repos, { source: 'grafana', sourceAlertId: id, severity: 'minor', description: id, ciId, attributes: { team } }, 'grafana')).alert;

  at(start);
  const first = await raise('g-1', 'payments');
  expect(first.caseId).toEqual(expect.any(String));
  at(start + 9 * 60_000);
  expect((await raise('g-2', 'payments')).caseId).toBe(first.caseId);
  const otherTeam = await raise('g-3', 'search');
  const otherCi = await raise('g-4', 'payments', 'db-2');
  expect(new Set([first.caseId, otherTeam.caseId, otherCi.caseId]).size).toBe(3);

  at(start + 10 * 60_000 + 1);
  const late = await raise('g-5', 'payments');
  expect(late.caseId).toEqual(expect.any(String));
  expect(late.caseId).not.toBe(first.caseId);
  expect((await raise('g-6', 'payments')).caseId).toBe(late.caseId);
  jest.useRealTimers();

  expect((await t.repos.cases.require(first.caseId!)).alertCount).toBe(2);
  expect((await t.repos.cases.require(late.caseId!)).alertCount).toBe(2);
  expect((await t.repos.cases.require(late.caseId!)).createdBy).toBe(`playbook:${playbook.playbookId}`);
});
