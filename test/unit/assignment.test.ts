/** The pure rules of work assignment (lib/domain/assignment.ts): who is offered next, which cases wait, reject reasons. */
import { awaitsAgent, candidates, caseOfWorkItem, holderOf, rejectReason, workItemIdOf, workItemView, type Agent, type WorkItem } from '../../lib/domain/assignment.js';

const agent = (sub: string, over: Partial<Agent> = {}): Agent => ({ sub, presence: 'available', capacity: 2, holding: [], ...over });
const subs = (list: Agent[]) => list.map((a) => a.sub);

describe('candidates', () => {
  it('most_capacity: the most free room first, ties to the one longest since their last assignment', () => {
    const list = [
      agent('a', { holding: ['c1'] }),
      agent('b', { lastAssignedAt: '2026-12-02T10:00:00.000Z' }),
      agent('c', { lastAssignedAt: '2026-12-02T09:00:00.000Z' }),
    ];
    expect(subs(candidates(list, 'most_capacity', { excluded: [] }))).toEqual(['c', 'b', 'a']);
  });

  it('round_robin: longest since their last assignment, whatever their room', () => {
    const list = [agent('a', { lastAssignedAt: '2026-12-02T08:00:00.000Z', holding: ['c1'] }), agent('b', { lastAssignedAt: '2026-12-02T09:00:00.000Z' })];
    expect(subs(candidates(list, 'round_robin', { excluded: [] }))).toEqual(['a', 'b']);
  });

  it('leaves out who is not available, who is full and who is excluded; who just passed it on comes last', () => {
    const list = [agent('away', { presence: 'away' }), agent('full', { capacity: 1, holding: ['c1'] }), agent('excluded'), agent('rejecter'), agent('other', { holding: ['c2'] })];
    expect(subs(candidates(list, 'most_capacity', { excluded: ['excluded'] }, 'rejecter'))).toEqual(['other', 'rejecter']);
    expect(candidates([agent('zero', { capacity: 0 })], 'most_capacity', { excluded: [] })).toEqual([]);
  });
});

describe('which cases wait for an agent', () => {
  const kase = { caseId: 'case_0123456789abcdef0123456789abcdef', stage: 'new' as const, priority: 'high' as const, queue: 'q', version: 1 };
  it('an unassigned working case in a queue that offers or assigns', () => {
    expect([awaitsAgent(kase, 'offer'), awaitsAgent(kase, 'auto'), awaitsAgent(kase, 'manual'), awaitsAgent(kase, undefined)]).toEqual([true, true, false, false]);
    expect([awaitsAgent({ ...kase, assignee: 'a' }, 'offer'), awaitsAgent({ ...kase, stage: 'resolved' }, 'offer'), awaitsAgent({ ...kase, queue: undefined }, 'offer')]).toEqual([false, false, false]);
  });

  it('a case counts against its assignee while it is worked', () => {
    expect([holderOf({ ...kase, assignee: 'a' }), holderOf({ ...kase, assignee: 'a', stage: 'awaiting_info' }), holderOf({ ...kase, assignee: 'a', stage: 'closed' }), holderOf(kase)]).toEqual([
      'a',
      'a',
      undefined,
      undefined,
    ]);
  });
});

describe('work items', () => {
  it("name their case and the case version that queued them; anything else names no case", () => {
    const id = workItemIdOf('case_0123456789abcdef0123456789abcdef', 7);
    expect(id).toBe('wi_0123456789abcdef0123456789abcdef_7');
    expect(caseOfWorkItem(id)).toBe('case_0123456789abcdef0123456789abcdef');
    expect([caseOfWorkItem('wi_nothex_1'), caseOfWorkItem('case_0123456789abcdef0123456789abcdef')]).toEqual([undefined, undefined]);
  });

  it('say how long they waited, and whether past the target, without who is excluded', () => {
    const item = { queuedAt: '2026-12-02T10:00:00.000Z', state: 'queued', excluded: ['x'], steps: [] } as unknown as WorkItem;
    const view = workItemView(item, { targetWaitSeconds: 60 }, '2026-12-02T10:01:30.000Z');
    expect(view).toMatchObject({ waitSeconds: 90, exceededTargetWait: true });
    expect('excluded' in view).toBe(false);
    expect(workItemView(item, undefined, '2026-12-02T10:01:30.000Z').exceededTargetWait).toBe(false);
  });
});

describe('reject reasons', () => {
  const reasons = [{ code: 'skills', label: 'Not my area', reassignable: false }];
  it("are the queue's, refused by name otherwise; with none defined, any code, never reassignable", () => {
    expect(rejectReason(reasons, 'skills')).toEqual(reasons[0]);
    expect(() => rejectReason(reasons, 'busy')).toThrow(expect.objectContaining({ errors: [{ path: 'reason', message: 'not a reason of the queue' }] }));
    expect(rejectReason([], 'busy')).toEqual({ code: 'busy', label: 'busy', reassignable: false });
  });
});
