/**
 * Service levels end to end, over HTTP against the local runtime: an admin
 * defines SLAs (refused with the field named when the schedule is wrong), the
 * runtime's stream poller feeds the `slas` function, and a case's SLAs are
 * read with their clocks; the inbox lists assigned work by nearest breach.
 */
import fc from 'fast-check';
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
  // A target longer than a year of the schedule's working time: one hour a week holds 52 hours a year.
  const tooLong = await api.call('POST', '/slas', { as: ada, body: definition({ targetMinutes: 52 * 60 + 1, schedule: { ...berlin, weekdays: [1], start: '08:00', end: '09:00' } }) });
  expect([tooLong.status, tooLong.body.errors]).toEqual([400, [{ path: 'targetMinutes', message: "at most a year (52 weeks) of the schedule's working time" }]]);
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

it('lists cases by SLA breach, each with its SLAs in brief; a filter it cannot read is a 400 naming it', async () => {
  const refused = async (query: string) => {
    const r = await api.call('GET', `/cases?${query}`, { as: sam });
    expect(r.status).toBe(400);
    return (r.body.errors as { path: string }[]).map((e) => e.path);
  };
  expect(await refused('slaBreached=yes')).toEqual(['slaBreached']);
  expect(await refused('slaDueBefore=tomorrow')).toEqual(['slaDueBefore']);
  expect(await refused('slaDueBefore=2026-02-30T10:00:00Z')).toEqual(['slaDueBefore']);
  expect(await refused('slaDueBefore=9999-12-31T23:59:59-23:00')).toEqual(['slaDueBefore']);
  expect(await refused('alertId=alr_0123456789abcdef01234567&slaBreached=true')).toEqual(['alertId']);

  await api.call('PUT', '/queues/sla-list', { as: maria, body: { members: ['sam'] } });
  await api.call('POST', '/slas', { as: ada, body: definition({ name: 'Resolve sla-list', priorities: ['low'], queues: ['sla-list'], targetMinutes: 30, schedule: '24x7' }) });
  const kase = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'Printer queue stuck', priority: 'low', queue: 'sla-list' } });
  const soon = new Date(Date.parse(kase.body.createdAt) + 31 * 60_000).toISOString();
  const listed = await eventually(async () => {
    const r = await api.call('GET', `/cases?queue=sla-list&slaDueBefore=${encodeURIComponent(soon)}`, { as: sam });
    return r.body.items.length ? r.body.items : undefined;
  }, 5000);
  expect(listed).toEqual([
    expect.objectContaining({
      caseId: kase.body.caseId,
      slas: [{ slaId: expect.any(String), name: 'Resolve sla-list', kind: 'resolution', stage: 'in_progress', breachAt: expect.any(String), warned: false, hasBreached: false }],
    }),
  ]);
  expect(Date.parse(listed[0].slas[0].breachAt) - Date.parse(kase.body.createdAt)).toBe(30 * 60_000);
  const ids = async (query: string) => (await api.call('GET', `/cases?queue=sla-list&${query}`, { as: sam })).body.items.map((c: { caseId: string }) => c.caseId);
  expect(await ids('slaBreached=false')).toEqual([kase.body.caseId]);
  expect(await ids('slaBreached=true')).toEqual([]);
  // Offset times are read as the instant they name: a minute before its breach, in Berlin's winter time.
  const before = new Date(Date.parse(listed[0].slas[0].breachAt) - 60_000 + 3600_000).toISOString().replace('Z', '+01:00');
  expect(await ids(`slaDueBefore=${encodeURIComponent(before)}`)).toEqual([]);
  // Every list carries the SLAs in brief: the plain list too.
  expect((await api.call('GET', '/cases?queue=sla-list', { as: sam })).body.items[0].slas).toEqual(listed[0].slas);
  expect(callsOutsideGrants()).toEqual([]);
});

it('a response SLA completes when an agent accepts the case from their inbox', async () => {
  // An agent with room: sam holds two cases already.
  const tess = ['tess', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];
  await api.call('PUT', '/queues/sla-offer', { as: maria, body: { members: ['tess'], assignment: 'offer', offerTimeoutSeconds: 600 } });
  await api.call('POST', '/slas', { as: ada, body: definition({ name: 'Respond sla-offer', kind: 'response', priorities: ['high'], queues: ['sla-offer'], targetMinutes: 30, schedule: '24x7' }) });
  expect((await api.call('PUT', '/users/me', { as: tess, body: { presence: 'available' } })).status).toBe(200);
  const kase = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'VPN down in Leeds', priority: 'high', queue: 'sla-offer' } });
  const stageOf = async () => (await api.call('GET', `/cases/${kase.body.caseId}/slas`, { as: sam })).body.items.find((s: { name: string }) => s.name === 'Respond sla-offer')?.stage;
  expect(await eventually(async () => ((await stageOf()) === 'in_progress' ? true : undefined), 5000)).toBe(true);
  const offer = await eventually(async () => (await api.call('GET', '/inbox', { as: tess })).body.offers.find((o: { caseId: string }) => o.caseId === kase.body.caseId), 5000);
  expect((await api.call('POST', `/work-items/${offer.workItemId}/accept`, { as: tess })).status).toBe(200);
  expect(await eventually(async () => ((await stageOf()) === 'completed' ? true : undefined), 5000)).toBe(true);
  expect(callsOutsideGrants()).toEqual([]);
});

describe('hostile SLA definitions (fast-check)', () => {
  /** Mostly what is valid, sometimes what is not: so that many definitions are taken and their clocks kept, and every refusal is tried. */
  const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: hostile, weight: 1 });
  const zones = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'America/St_Johns', 'Antarctica/Troll', 'Etc/GMT+12'];
  const minute = fc.integer({ min: 0, max: 24 * 60 - 1 });
  const clockOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const hours = fc.record(
    {
      weekdays: mostly(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), fc.array(fc.integer({ min: -1, max: 9 }), { maxLength: 9 })),
      // A working day, often short (a minute) or across a clock change (02:00-03:00); sometimes backwards or not a time.
      timeZone: mostly(fc.constantFrom(...zones), fc.constantFrom('Europe/Atlantis', '', '../../etc/passwd', 'a'.repeat(65))),
      holidays: fc.array(
        mostly(fc.date({ min: new Date('2026-01-01'), max: new Date('2028-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom('2026-02-29', '0000-01-01', 'x')),
        { maxLength: 30 },
      ),
      day: mostly(
        fc.oneof(
          fc.tuple(minute, minute).filter(([a, b]) => a !== b).map(([a, b]) => [clockOf(Math.min(a, b)), clockOf(Math.max(a, b))]),
          fc.constantFrom(['02:00', '03:00'], ['23:58', '23:59'], ['00:00', '23:59'], ['02:30', '02:31']),
        ),
        fc.constantFrom(['17:00', '08:00'], ['24:00', '25:00'], ['7:00', '9:00'], ['', '']),
      ),
    },
    { requiredKeys: ['weekdays', 'timeZone', 'day'] },
  ).map(({ day, ...rest }) => ({ ...rest, start: day[0], end: day[1] }));
  const body = fc.record(
    {
      name: mostly(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('', 'x'.repeat(121))),
      kind: mostly(fc.constantFrom('response', 'resolution'), fc.constant('triage')),
      priorities: mostly(fc.uniqueArray(fc.constantFrom('critical', 'high', 'moderate', 'low'), { minLength: 1 }), fc.constantFrom([], ['urgent'])),
      queues: mostly(fc.constant(['hostile-sla']), fc.constantFrom([], ['../x'])),
      proactive: fc.boolean(),
      targetMinutes: mostly(fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 525_600 })), fc.constantFrom(0, -1, 1.5, 1e308, '60', 525_601)),
      schedule: mostly(fc.oneof(fc.constant('24x7'), hours), fc.constant('9to5')),
      pauseStages: mostly(fc.uniqueArray(fc.constantFrom('new', 'in_progress', 'awaiting_info'), { maxLength: 3 }), fc.constantFrom(['x'], ['closed'])),
      warnAtPercent: mostly(fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 5 }), fc.array(fc.integer({ min: -5, max: 200 }), { minLength: 1, maxLength: 7 })),
      retroactive: fc.boolean(),
    },
    { requiredKeys: ['name', 'kind', 'priorities', 'targetMinutes', 'schedule'] },
  );

  it('never answers a 5xx; what it takes, the stream keeps on a case, which reads back', async () => {
    await api.call('PUT', '/queues/hostile-sla', { as: maria, body: { members: ['sam'] } });
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(body, async (definition) => {
        const created = await api.call('POST', '/slas', { as: ada, body: definition });
        expect(created.status).toBeLessThan(500);
        if (created.status !== 201) {
          expect([created.status, created.headers.get('content-type')]).toEqual([400, 'application/problem+json']);
          return;
        }
        taken += 1;
        const slaId = created.body.slaId as string;
        // A manual case the definition applies to: its clock is kept by the stream and read through the API.
        const priority = (definition.priorities as string[])[0];
        if (definition.proactive !== true) {
          const kase = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'hostile schedule', priority, ...(definition.queues ? { queue: 'hostile-sla' } : {}) } });
          expect(kase.status).toBe(201);
          const sla = await eventually(async () => {
            const r = await api.call('GET', `/cases/${kase.body.caseId}/slas`, { as: sam });
            expect(r.status).toBe(200);
            return r.body.items.find((s: { slaId: string }) => s.slaId === slaId);
          }, 10_000);
          expect(Date.parse(sla.breachAt)).toBeGreaterThan(Date.parse(kase.body.createdAt));
        }
        expect((await api.call('DELETE', `/slas/${slaId}`, { as: ada })).status).toBe(204);
      }),
      { numRuns: 60 },
    );
    // Enough of them were taken for the stream to have been tried.
    expect(taken).toBeGreaterThan(5);
  }, 240_000);
});
