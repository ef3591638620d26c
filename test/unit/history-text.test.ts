/** History as the console writes it for people (web/src/history-text.ts). */
import { actorText, readableHistory } from '../../web/src/history-text.js';

const at = '2026-12-02T10:00:00.000Z';

it('sums up a creation by the fields someone chose, leaving out ids, bookkeeping and empty values', () => {
  const [item] = readableHistory([
    {
      at,
      actor: 'olivia',
      action: 'created_from_alert',
      changes: [
        { field: 'caseId', from: null, to: 'case_0123' },
        { field: 'number', from: null, to: 'CS0001001' },
        { field: 'alertAttributes', from: null, to: {} },
        { field: 'shortDescription', from: null, to: 'Customers database down' },
        { field: 'priority', from: null, to: 'critical' },
        { field: 'stage', from: null, to: 'new' },
        { field: 'proactive', from: null, to: false },
        { field: 'createdAt', from: null, to: at },
        { field: 'majorCase', from: null, to: 'none' },
      ],
    },
  ]);
  expect(item).toEqual({
    at,
    actor: 'olivia',
    what: 'created the case from an alert',
    lines: [
      { label: 'Short description', from: '—', to: 'Customers database down' },
      { label: 'Priority', from: '—', to: 'critical' },
      { label: 'Stage', from: '—', to: 'new' },
    ],
  });
});

it('labels a change with its from and to, in words, and counts the alerts an attach brought', () => {
  const items = readableHistory([
    { at, actor: 'adam', action: 'updated', changes: [{ field: 'stage', from: 'awaiting_info', to: 'closed' }, { field: 'closedReason', from: null, to: 'already_mitigated' }] },
    { at, actor: 'playbook:pb_1', action: 'alert_attached', changes: [{ field: 'alerts', from: null, to: ['alr_1', 'alr_2', 'alr_3'] }, { field: 'alertCount', from: 1, to: 4 }] },
    { at, actor: 'adam', action: 'affected_items', changes: [{ field: 'affectedInstallBase.ib-1', from: null, to: { name: 'Acme online banking' } }] },
  ]);
  expect(items.map(({ actor, what, lines }) => ({ actor, what, lines }))).toEqual([
    { actor: 'adam', what: 'changed it', lines: [{ label: 'Stage', from: 'awaiting info', to: 'closed' }, { label: 'Closed reason', from: '—', to: 'already mitigated' }] },
    { actor: 'Playbook pb_1', what: 'attached 3 alerts', lines: [] },
    { actor: 'adam', what: 'affected items', lines: [{ label: 'Affected item', from: '—', to: 'Acme online banking' }] },
  ]);
});

it("gathers a run of the case's alerts' updates into one entry, and only a run", () => {
  const update = (alertId: string) => ({ at, actor: `alert:${alertId}`, action: 'alert_updated', alertId, changes: [{ field: 'occurrences', from: 1, to: 2 }] });
  const items = readableHistory([update('alr_1'), update('alr_2'), update('alr_1'), { at, actor: 'adam', action: 'work_note', changes: [{ field: 'workNote', from: null, to: 'on it' }] }, update('alr_3')]);
  expect(items.map((i) => [i.what, i.alertUpdates?.count ?? 0, i.lines.length])).toEqual([
    ["updated the case's alerts 3 times (2 alerts)", 3, 0],
    ['added a work note', 0, 1],
    ["updated one of the case's alerts", 1, 1],
  ]);
});

it("says an alert's impact by what it counts, never by its generation or digest", () => {
  const [item] = readableHistory([
    {
      at,
      actor: 'adam',
      action: 'impact_refreshed',
      changes: [{ field: 'impact', from: null, to: { generation: '2026-12-02T10:00:00.000Z#a1', digest: 'f'.repeat(64), impactedCis: 4, affectedAccounts: 2, affectedItems: 5, truncated: false } }],
    },
  ]);
  expect(item.lines).toEqual([{ label: 'Impact', from: '—', to: '4 impacted CIs, 2 accounts, 5 install base items' }]);
});

it('names who acted as people would: a user by name; a playbook, an alert, a queue, the service by what they are', () => {
  expect(['maria', 'playbook:pb_9', 'alert:alr_1', 'queue:tier1', 'schedule'].map(actorText)).toEqual(['maria', 'Playbook pb_9', 'An alert', 'Queue tier1', 'The service']);
});

it('says who took a case: an agent accepting it from their inbox, or a queue assigning it by itself', () => {
  const items = readableHistory([
    { at, actor: 'ann', action: 'offer_accepted', changes: [{ field: 'assignee', from: null, to: 'ann' }] },
    { at, actor: 'queue:tier1', action: 'assigned', changes: [{ field: 'assignee', from: null, to: 'ben' }] },
  ]);
  expect(items.map(({ actor, what, lines }) => ({ actor, what, lines }))).toEqual([
    { actor: 'ann', what: 'accepted the case from their inbox', lines: [{ label: 'Assigned to', from: '—', to: 'ann' }] },
    { actor: 'Queue tier1', what: 'assigned it automatically', lines: [{ label: 'Assigned to', from: '—', to: 'ben' }] },
  ]);
});
