/**
 * The agent's inbox end to end, over HTTP against the local runtime: its
 * stream poller feeds the assignment function, and its timer sweep times out
 * offers, as Lambda, Streams and Scheduler would in AWS.
 */
import { startRuntime, type Runtime } from '../../local/runtime.js';
import { callsOutsideGrants } from '../../local/table-access.js';
import { client, eventually } from '../support/http.js';
import { dynamoEndpoint } from '../support/dynamo.js';

let runtime: Runtime;
let api: ReturnType<typeof client>;
const ann = ['ann', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];
const ben = ['ben', 'sn_customerservice_agent'] as [string, 'sn_customerservice_agent'];
const maria = ['maria', 'sn_customerservice_manager'] as [string, 'sn_customerservice_manager'];
const olivia = ['olivia', 'evt_mgmt_operator'] as [string, 'evt_mgmt_operator'];

beforeAll(async () => {
  runtime = await startRuntime({ dynamoEndpoint: dynamoEndpoint(), tableName: `inbox-${Date.now()}`, log: () => undefined });
  api = client(runtime.url);
});
afterAll(() => runtime?.stop());

it('offers a case to an available agent, who accepts it from the inbox and finds it among their work; the others are refused', async () => {
  const put = await api.call('PUT', '/queues/inbox-q', {
    as: maria,
    body: { members: ['ann', 'ben'], assignment: 'offer', offerTimeoutSeconds: 60, rejectReasons: [{ code: 'skills', label: 'Not my area', reassignable: false }] },
  });
  expect(put).toMatchObject({ status: 200, body: { queueId: 'inbox-q', assignment: 'offer', strategy: 'most_capacity', offerTimeoutSeconds: 60, onTimeout: 'away' } });
  expect((await api.call('PUT', '/users/me', { as: ann, body: { presence: 'available' } })).body).toMatchObject({ sub: 'ann', presence: 'available', capacity: 2, inUse: 0 });
  // Capacity is a manager's to set, and so is another's presence.
  expect((await api.call('PUT', '/users/me', { as: ann, body: { capacity: 9 } })).status).toBe(403);
  expect((await api.call('PUT', '/users/ben', { as: ann, body: { presence: 'available' } })).status).toBe(403);

  const created = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'Checkout down for Acme', priority: 'high', queue: 'inbox-q' } });
  expect(created.status).toBe(201);
  const box = await eventually(async () => {
    const r = await api.call('GET', '/inbox', { as: ann });
    return r.body.offers.length ? r : undefined;
  }, 5000);
  const [offer] = box.body.offers;
  expect(offer).toMatchObject({ state: 'offered', offeredTo: 'ann', queueId: 'inbox-q', case: { caseId: created.body.caseId, number: created.body.number, priority: 'high' } });
  expect(Date.parse(offer.expiresAt) - Date.parse(offer.offeredAt)).toBe(60_000);
  expect(box.body.inUse).toBe(1);

  expect((await api.call('POST', `/work-items/${offer.workItemId}/accept`, { as: ben })).status).toBe(403);
  const accepted = await api.call('POST', `/work-items/${offer.workItemId}/accept`, { as: ann });
  expect(accepted).toMatchObject({ status: 200, body: { caseId: created.body.caseId, assignee: 'ann' } });
  expect(accepted.headers.get('etag')).toBe(`"${created.body.version + 1}"`);
  expect((await api.call('POST', `/work-items/${offer.workItemId}/accept`, { as: ann })).status).toBe(409);
  const after = await api.call('GET', '/inbox', { as: ann });
  expect({ offers: after.body.offers, assigned: after.body.assigned.map((c: { caseId: string }) => c.caseId), inUse: after.body.inUse }).toEqual({
    offers: [],
    assigned: [created.body.caseId],
    inUse: 1,
  });
  // The history shows the assignment, by the agent.
  const history = await eventually(async () => {
    const r = await api.call('GET', `/cases/${created.body.caseId}/history?order=newest&limit=1`, { as: ann });
    return r.body.items[0]?.action === 'offer_accepted' ? r : undefined;
  });
  expect(history.body.items[0]).toMatchObject({ actor: 'ann', changes: [expect.objectContaining({ field: 'assignee', from: null, to: 'ann' })] });

  // Managers see the team; agents and operators do not.
  const team = await api.call('GET', '/users?queue=inbox-q', { as: maria });
  expect(team.body.items.map((u: { sub: string; inUse: number; presence: string }) => [u.sub, u.presence, u.inUse])).toEqual([
    ['ann', 'available', 1],
    ['ben', 'offline', 0],
  ]);
  expect((await api.call('GET', '/users', { as: ann })).status).toBe(403);
  expect((await api.call('GET', '/inbox', { as: olivia })).status).toBe(403);
  expect(callsOutsideGrants()).toEqual([]);
});

it('times out an offer nobody answers, once, and offers it to the next member', async () => {
  await api.call('PUT', '/queues/slow-q', { as: maria, body: { members: ['tim', 'tom'], assignment: 'offer', offerTimeoutSeconds: 10 } });
  await api.call('PUT', '/users/tim', { as: maria, body: { presence: 'available', capacity: 3 } });
  await api.call('PUT', '/users/tom', { as: maria, body: { presence: 'available', capacity: 1 } });
  const created = await api.call('POST', '/cases', { as: maria, body: { shortDescription: 'Nobody home', priority: 'low', queue: 'slow-q' } });
  const offered = await eventually(async () => {
    const r = await api.call('GET', '/queues/slow-q/work-items?state=offered', { as: maria });
    return r.body.items[0];
  }, 5000);
  expect(offered).toMatchObject({ caseId: created.body.caseId, offeredTo: 'tim' });
  const moved = await eventually(async () => {
    const r = await api.call('GET', '/queues/slow-q/work-items?state=offered', { as: maria });
    return r.body.items[0]?.offeredTo === 'tom' ? r.body.items[0] : undefined;
  }, 25_000);
  expect(moved.steps.map((s: { step: string; actor: string }) => [s.step, s.actor])).toEqual([
    ['queued', 'maria'],
    ['offered', 'queue:slow-q'],
    ['timed_out', 'schedule'],
    ['offered', 'queue:slow-q'],
  ]);
  // Not before its time.
  const timedOut = moved.steps[2];
  expect(Date.parse(timedOut.at)).toBeGreaterThanOrEqual(Date.parse(offered.expiresAt));
  const tim = await api.call('GET', '/users?queue=slow-q', { as: maria });
  expect(tim.body.items.find((u: { sub: string }) => u.sub === 'tim')).toMatchObject({ presence: 'away', inUse: 0 });
}, 60_000);
