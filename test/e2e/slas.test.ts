/**
 * Service levels end to end, over HTTP against the local runtime: an admin
 * defines SLAs (refused with the field named when the schedule is wrong), the
 * runtime's stream poller feeds the `slas` function, and a case's SLAs are
 * read with their clocks; the inbox lists assigned work by nearest breach.
 */
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { callsOutsideGrants } from '../../local/table-access.js';
import { client, eventually } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const ada = ['ada', 'evt_mgmt_admin'] as [string, 'evt_mgmt_admin'];
const maria = ['maria', 'sn_customerservice_manager'] as [string, 'sn_customerservice_manager'];
const sam = ['sam', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `slas-${Date.now()}`, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

const berlin = { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', timeZone: 'Europe/Berlin' };
const definition = (over: Record<string, unknown> = {}) => ({ name: 'Resolve high', kind: 'resolution', priorities: ['high'], targetMinutes: 240, schedule: berlin, ...over });

it('refuses a schedule it cannot keep, naming the field', async () => {
  const refused = async (schedule: unknown) => {
    const r = await api.call('POST', '/slas', { as: ada, body: definition({ schedule }) });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    return (r.body.errors as { path: string }[]).map((e) => e.path);
  };
  expect(await refused({ ...berlin, timeZone: 'Europe/Atlantis' })).toEqual(['schedule.timeZone']);
  expect(await refused({ ...berlin, weekdays: [] })).toEqual(['schedule.weekdays']);
  expect(await refused({ ...berlin, start: '17:00', end: '08:00' })).toEqual(['schedule.end']);
  expect(await refused({ ...berlin, holidays: ['2026-02-30'] })).toEqual(['schedule.holidays.0']);
  expect(await refused('9to5')).toEqual(['schedule']);
  // Only an admin defines them; everyone reads them.
  expect((await api.call('POST', '/slas', { as: maria, body: definition() })).status).toBe(403);
});

it('a case gets the SLAs it falls under, read with their clocks; the definition can be read, replaced and deleted', async () => {
  const created = await api.call('POST', '/slas', { as: ada, body: definition() });
  expect(created).toMatchObject({ status: 201, body: { name: 'Resolve high', pauseStages: ['awaiting_info'], warnAtPercent: [50, 75], retroactive: true } });
  const slaId = created.body.slaId as string;
  expect((await api.call('GET', `/slas/${slaId}`, { as: sam })).body).toEqual(created.body);
  expect((await api.call('GET', '/slas', { as: sam })).body.items.map((s: { slaId: string }) => s.slaId)).toContain(slaId);

  const kase = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'Payments slow for Acme', priority: 'high' } });
  const slas = await eventually(async () => {
    const r = await api.call('GET', `/cases/${kase.body.caseId}/slas`, { as: sam });
    return r.body.items.length ? r.body.items : undefined;
  }, 5000);
  expect(slas).toEqual([
    expect.objectContaining({ slaId, name: 'Resolve high', kind: 'resolution', targetMinutes: 240, stage: 'in_progress', startedAt: kase.body.createdAt, hasBreached: false }),
  ]);
  // Four working hours from its creation, at least four real hours away.
  expect(Date.parse(slas[0].breachAt) - Date.parse(kase.body.createdAt)).toBeGreaterThanOrEqual(4 * 3600_000);
  expect((await api.call('GET', '/cases/case_0123456789abcdef0123456789abcdef/slas', { as: sam })).status).toBe(404);

  const replaced = await api.call('PUT', `/slas/${slaId}`, { as: ada, body: definition({ targetMinutes: 120, schedule: '24x7' }) });
  expect(replaced).toMatchObject({ status: 200, body: { slaId, targetMinutes: 120, schedule: '24x7' } });
  expect((await api.call('DELETE', `/slas/${slaId}`, { as: ada })).status).toBe(204);
  expect((await api.call('GET', `/slas/${slaId}`, { as: sam })).status).toBe(404);
  expect((await api.call('DELETE', `/slas/${slaId}`, { as: ada })).status).toBe(404);
});

it('the inbox lists assigned cases of one priority by nearest breach', async () => {
  await api.call('PUT', '/queues/sla-q', { as: maria, body: { members: ['sam'] } });
  // The tighter target breaches first, though its case is younger.
  await api.call('POST', '/slas', { as: ada, body: definition({ name: 'Resolve moderate slowly', priorities: ['moderate'], targetMinutes: 600, schedule: '24x7' }) });
  const older = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'older, looser', priority: 'moderate', queue: 'sla-q', assignee: 'sam' } });
  // Cases are followed with the definitions there are when the stream gets to them: the older case's SLA first.
  await eventually(async () => ((await api.call('GET', `/cases/${older.body.caseId}/slas`, { as: sam })).body.items.length ? true : undefined), 5000);
  await api.call('POST', '/slas', { as: ada, body: definition({ name: 'Resolve moderate fast', priorities: ['moderate'], targetMinutes: 30, schedule: '24x7', retroactive: false }) });
  const younger = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'younger, tighter', priority: 'moderate', queue: 'sla-q', assignee: 'sam' } });
  const box = await eventually(async () => {
    const r = await api.call('GET', '/inbox', { as: sam });
    const mine = r.body.assigned.filter((c: { caseId: string }) => [older.body.caseId, younger.body.caseId].includes(c.caseId));
    return mine.length === 2 && mine.every((c: { slas: unknown[] }) => c.slas.length > 0) ? mine : undefined;
  }, 10_000);
  expect(box.map((c: { caseId: string }) => c.caseId)).toEqual([younger.body.caseId, older.body.caseId]);
  expect(callsOutsideGrants()).toEqual([]);
});
