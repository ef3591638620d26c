import { assertClosedReason, closedReasonErrors } from '../../lib/domain/closed-reason.js';
import { caseNumberFor } from '../../lib/domain/case.js';
import { Conflict, Invalid } from '../../lib/domain/errors.js';
import { diffRecords } from '../../lib/domain/history-diff.js';
import { historyWritesFor } from '../../lib/domain/history.js';
import { normalizePriority, priorityFromSeverity } from '../../lib/domain/priority.js';
import { assignCase } from '../../lib/domain/queue-rules.js';
import { assertFrozenCaseChange, assertStageTransition, canMoveStage, STAGES } from '../../lib/domain/stage-transitions.js';
import { alertIdFor, type Alert } from '../../lib/domain/alert.js';
import { planAttach } from '../../lib/domain/case-alerts.js';
import { recordChangeOfImages, type StreamImage } from '../../lib/store/stream-image.js';

/** The history entries of the change between two images of an item, as the stream reports them. */
const historyFor = (oldImage: StreamImage | undefined, newImage: StreamImage | undefined) => historyWritesFor(recordChangeOfImages(oldImage, newImage));

describe('priority from severity', () => {
  it.each([
    ['critical', 'critical'],
    ['major', 'high'],
    ['minor', 'moderate'],
    ['warning', 'low'],
    ['info', 'low'],
  ] as const)('a %s alert gives a %s case', (severity, priority) => {
    expect(priorityFromSeverity(severity)).toBe(priority);
  });

  it('accepts medium as moderate', () => {
    expect(normalizePriority('medium')).toBe('moderate');
    expect(normalizePriority('high')).toBe('high');
  });
});

describe('stage transitions', () => {
  const working = ['new', 'open', 'in_progress', 'awaiting_info'] as const;

  it('lets a working case move to any stage', () => {
    for (const from of working) for (const to of STAGES) expect(canMoveStage(from, to)).toBe(true);
  });

  it('lets a resolved case only close or reopen', () => {
    expect(STAGES.filter((to) => to !== 'resolved' && canMoveStage('resolved', to))).toEqual(['open', 'closed']);
  });

  it.each(['closed', 'cancelled'] as const)('lets a %s case only reopen', (from) => {
    expect(STAGES.filter((to) => to !== from && canMoveStage(from, to))).toEqual(['open']);
  });

  it('refuses a forbidden move with a 409 naming both stages', () => {
    expect(() => assertStageTransition('closed', 'in_progress')).toThrow(Conflict);
    expect(() => assertStageTransition('closed', 'in_progress')).toThrow(/'closed'.*'in_progress'/);
  });

  it('refuses reopening a closed case that also changes another field', () => {
    expect(() => assertFrozenCaseChange('closed', 'open', ['priority'])).toThrow(/priority/);
    expect(() => assertFrozenCaseChange('cancelled', undefined, ['assignee'])).toThrow(Conflict);
    expect(() => assertFrozenCaseChange('closed', 'open', [])).not.toThrow();
    expect(() => assertFrozenCaseChange('open', undefined, ['priority'])).not.toThrow();
  });
});

describe('closed reasons', () => {
  it('requires a reason to resolve or close, naming the field', () => {
    for (const stage of ['resolved', 'closed'] as const) {
      expect(closedReasonErrors({ stage })).toEqual([{ path: 'closedReason', message: expect.any(String) }]);
    }
  });

  it("requires text for the reason 'other'", () => {
    expect(closedReasonErrors({ stage: 'closed', closedReason: 'other' })[0].path).toBe('closedReasonText');
    expect(() => assertClosedReason({ stage: 'closed', closedReason: 'other' })).toThrow(Invalid);
    expect(closedReasonErrors({ stage: 'closed', closedReason: 'other', closedReasonText: 'Known maintenance' })).toEqual([]);
  });

  it('needs no reason for working stages', () => {
    expect(closedReasonErrors({ stage: 'open' })).toEqual([]);
    expect(closedReasonErrors({ stage: 'cancelled' })).toEqual([]);
  });
});

describe('queue rules', () => {
  const tier1 = { queueId: 'tier1', members: ['carol'] };

  it('refuses an unknown queue with a 400 on the queue field', () => {
    expect(() => assignCase({ queue: 'nope' }, undefined)).toThrow(Invalid);
    try {
      assignCase({ queue: 'nope' }, undefined);
    } catch (error) {
      expect((error as Invalid).errors[0].path).toBe('queue');
    }
  });

  it('assigns a member of the queue', () => {
    expect(assignCase({ queue: 'tier1', assignee: 'carol' }, tier1)).toEqual({ queue: 'tier1', assignee: 'carol', warnings: [] });
  });

  it('leaves the case unassigned with a warning when the assignee is not a member', () => {
    const result = assignCase({ queue: 'tier1', assignee: 'dave' }, tier1);
    expect(result.assignee).toBeNull();
    expect(result.warnings[0]).toMatch(/dave.*tier1/);
  });

  it('keeps an assignee given without a queue', () => {
    expect(assignCase({ assignee: 'dave' }, undefined)).toEqual({ queue: undefined, assignee: 'dave', warnings: [] });
  });
});

describe('case numbers', () => {
  it('starts at CS0001001 and counts up', () => {
    expect(caseNumberFor(1)).toBe('CS0001001');
    expect(caseNumberFor(2)).toBe('CS0001002');
    expect(caseNumberFor(9_000_000)).toBe('CS9001000');
  });
});

describe('alert ids', () => {
  it('are the same for the same source and sourceAlertId, and differ otherwise', () => {
    expect(alertIdFor('nagios', 'x')).toBe(alertIdFor('nagios', 'x'));
    expect(alertIdFor('nagios', 'x')).not.toBe(alertIdFor('zabbix', 'x'));
    expect(alertIdFor('a', 'b\u0000c')).not.toBe(alertIdFor('a\u0000b', 'c'));
    expect(alertIdFor('nagios', undefined)).not.toBe(alertIdFor('nagios', undefined));
  });
});

describe('history diffs', () => {
  it('lists changed fields from old to new, ignoring bookkeeping', () => {
    const before = { version: 1, updatedAt: 't1', stage: 'new', priority: 'low', attributes: { a: 1, b: 2 } };
    const after = { version: 2, updatedAt: 't2', stage: 'open', priority: 'low', attributes: { b: 2, a: 1 }, queue: 'tier1' };
    expect(diffRecords(before, after)).toEqual([
      { field: 'queue', from: null, to: 'tier1' },
      { field: 'stage', from: 'new', to: 'open' },
    ]);
  });

  it('records a removed field as a change to null', () => {
    expect(diffRecords({ assignee: 'carol' }, {})).toEqual([{ field: 'assignee', from: 'carol', to: null }]);
  });
});

describe('history entries from record changes', () => {
  const caseV1 = { entity: 'case', caseId: 'case_1', version: 1, stage: 'new', updatedAt: 't1', updatedBy: 'alice', lastAction: 'created' };
  const caseV2 = { ...caseV1, version: 2, stage: 'open', updatedAt: 't2', updatedBy: 'bob', lastAction: 'updated' };

  it('names who, when, what action and which fields', () => {
    expect(historyFor(caseV1, caseV2)).toEqual([
      {
        owner: { kind: 'case', id: 'case_1' },
        changeId: 'v00000002',
        at: 't2',
        actor: 'bob',
        action: 'updated',
        changes: [{ field: 'stage', from: 'new', to: 'open' }],
      },
    ]);
  });

  it("never names the table's keys, index keys or entity attribute as changes", () => {
    const keys = (stage: string) => ({ pk: 'CASE#case_1', sk: 'CASE', gsi2pk: `CASE#STAGE#${stage}`, gsi2sk: 't0#case_1' });
    expect(historyFor({ ...caseV1, ...keys('new') }, { ...caseV2, ...keys('open') })).toEqual(historyFor(caseV1, caseV2));
    expect(historyFor({ ...caseV1, ...keys('new') }, { ...caseV2, ...keys('open') })[0].changes).toEqual([{ field: 'stage', from: 'new', to: 'open' }]);
  });

  it('gives the same key for the same change, so a retry cannot write it twice', () => {
    expect(historyFor(caseV1, caseV2)[0].changeId).toBe(historyFor(caseV1, caseV2)[0].changeId);
  });

  it('turns a new work note into a work_note entry on its case', () => {
    const note = { entity: 'note', caseId: 'case_1', noteId: 'n1', text: 'called the customer', author: 'carol', createdAt: 't3' };
    expect(historyFor(undefined, note)).toMatchObject([{ owner: { kind: 'case', id: 'case_1' }, action: 'work_note', actor: 'carol' }]);
  });

  it('ignores its own history items and other entities', () => {
    expect(historyFor(undefined, { entity: 'history', pk: 'CASE#1' })).toEqual([]);
    expect(historyFor(undefined, { entity: 'idempotency' })).toEqual([]);
    expect(historyFor(caseV1, undefined)).toEqual([]);
  });

  const alertV1 = { entity: 'alert', alertId: 'alr_1', version: 3, severity: 'minor', occurrences: 1, caseId: 'case_1', updatedAt: 't1', updatedBy: 'nagios', lastAction: 'attached_to_case' };

  it("follows an attached alert's repeat on its case: an alert_updated entry naming the alert and its changes, keyed by the alert's version", () => {
    const repeated = { ...alertV1, version: 4, severity: 'critical', occurrences: 2, updatedAt: 't2', lastAction: 'repeated' };
    const [own, onCase] = historyFor(alertV1, repeated);
    expect(own.owner).toEqual({ kind: 'alert', id: 'alr_1' });
    expect(onCase).toEqual({
      owner: { kind: 'case', id: 'case_1' },
      changeId: 'alert-alr_1-v00000004',
      at: 't2',
      actor: 'nagios',
      action: 'alert_updated',
      alertId: 'alr_1',
      changes: [
        { field: 'occurrences', from: 1, to: 2 },
        { field: 'severity', from: 'minor', to: 'critical' },
      ],
    });
  });

  it('records on the case nothing of an alert without a case, nor of the attach itself (the case records that)', () => {
    const loose = { ...alertV1, caseId: undefined };
    expect(historyFor(loose, { ...loose, version: 4, lastAction: 'repeated' })).toHaveLength(1);
    expect(historyFor({ ...alertV1, version: 2, caseId: undefined }, alertV1)).toHaveLength(1);
    expect(historyFor(alertV1, { ...alertV1, version: 4, lastAction: 'impact_refreshed' })).toHaveLength(1);
  });

  it('names the alerts a case gained or lost, from the write that attached or detached them', () => {
    const attached = { ...caseV1, version: 2, alertCount: 3, changedAlerts: ['alr_2', 'alr_3'], lastAction: 'alert_attached', updatedAt: 't2' };
    expect(historyFor({ ...caseV1, alertCount: 1 }, attached)[0]).toMatchObject({
      action: 'alert_attached',
      changes: [
        { field: 'alerts', from: null, to: ['alr_2', 'alr_3'] },
        { field: 'alertCount', from: 1, to: 3 },
      ],
    });
    const detached = { ...attached, version: 3, alertCount: 2, changedAlerts: ['alr_3'], lastAction: 'alert_detached' };
    expect(historyFor(attached, detached)[0].changes).toEqual([
      { field: 'alerts', from: ['alr_3'], to: null },
      { field: 'alertCount', from: 3, to: 2 },
    ]);
  });
});

describe('planning an attach', () => {
  const alert = (n: number, over: Partial<Alert> = {}): Alert => ({
    alertId: `alr_${n}`,
    source: 'siem',
    severity: 'major',
    state: 'open',
    description: `alert ${n}`,
    attributes: {},
    detections: [],
    occurrences: 1,
    firstOccurredAt: '2026-12-02T10:00:00.000Z',
    lastOccurredAt: '2026-12-02T10:00:00.000Z',
    links: { self: `/alerts/alr_${n}` },
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:00:00.000Z',
    createdBy: 'op',
    updatedBy: 'op',
    version: 1,
    ...over,
  });
  const kase = { caseId: 'case_1', number: 'CS0001001', stage: 'open' as const, alertCount: 0 };
  const named = (alerts: (Alert | undefined)[]) => alerts.map((a, i) => ({ alertId: a?.alertId ?? `alr_gone${i}`, alert: a }));

  it('answers the alerts that need no write and writes the rest', () => {
    const plan = planAttach(kase, named([alert(1), alert(2, { caseId: 'case_1', caseNumber: 'CS0001001' }), alert(3, { caseId: 'case_9', caseNumber: 'CS0001009' }), undefined]), {
      move: false,
      stages: STAGES,
    });
    expect(plan.decided.map((d) => [d.alertId, d.outcome])).toEqual([
      ['alr_2', 'already_attached'],
      ['alr_3', 'attached_elsewhere'],
      ['alr_gone3', 'not_found'],
    ]);
    expect(plan.refusal).toBeUndefined();
    expect(plan.refusal === undefined && plan.steps.map((s) => s.alerts.map((p) => [p.alert.alertId, p.outcome]))).toEqual([[['alr_1', 'attached']]]);
  });

  it('refuses a case in a stage that takes none, and one the alerts would take past 1,000', () => {
    expect(planAttach({ ...kase, stage: 'closed' }, named([alert(1)]), { move: false, stages: ['open'] })).toMatchObject({ refusal: 'closed', adding: 1 });
    expect(planAttach({ ...kase, alertCount: 999 }, named([alert(1), alert(2)]), { move: false, stages: STAGES })).toMatchObject({ refusal: 'full', adding: 2 });
    // Nothing to write: no refusal, whatever the stage.
    expect(planAttach({ ...kase, stage: 'closed' }, named([undefined]), { move: false, stages: ['open'] })).toMatchObject({ steps: [] });
  });

  it('writes at most 100 records a step, counting each case a moved alert leaves once', () => {
    const moved = Array.from({ length: 120 }, (_, i) => alert(i, { caseId: `case_src${i % 2}` }));
    const plan = planAttach(kase, named(moved), { move: true, stages: STAGES });
    const steps = plan.refusal === undefined ? plan.steps : [];
    // The case and the two cases left take 3 records of each step: 97 alerts, then the other 23.
    expect(steps.map((s) => s.alerts.length)).toEqual([97, 23]);
    expect(steps.flatMap((s) => s.alerts.map((p) => p.outcome))).toEqual(Array(120).fill('moved'));
  });

  it('copies each detection once, counting those the case and earlier steps have, and gives a case without attributes its first alert\'s', () => {
    const detection = (id: string) => ({ id, name: id });
    const alerts = Array.from({ length: 150 }, (_, i) => alert(i, { detections: [detection(`d${i % 3}`), detection('shared')], attributes: { host: `h${i}` } }));
    const plan = planAttach({ ...kase, detections: [{ id: 'shared' }] }, named(alerts), { move: false, stages: STAGES });
    const steps = plan.refusal === undefined ? plan.steps : [];
    expect(steps.map((s) => [s.alerts.length, s.known, s.detections.map((d) => d.id)])).toEqual([
      [99, 1, ['d0', 'd1', 'd2']],
      [51, 4, []],
    ]);
    expect(steps.map((s) => s.firstAttributes)).toEqual([{ host: 'h0' }, undefined]);
    const withAttributes = planAttach({ ...kase, alertAttributes: {} }, named(alerts.slice(0, 1)), { move: false, stages: STAGES });
    expect(withAttributes.refusal === undefined && withAttributes.steps.map((s) => s.firstAttributes)).toEqual([undefined]);
  });
});
