import type { AffectedItem } from '../../lib/domain/install-base.js';
import { assertDecidable, assertProposable, followsMajorCase } from '../../lib/domain/major-case.js';
import { firstMatch, matches, type Playbook } from '../../lib/domain/playbooks.js';
import { proactiveCaseFor } from '../../lib/domain/proactive-rule.js';

const alert = { source: 'siem', severity: 'major' as const, attributes: { env: 'prod', risk: 7, vip: true }, ciClass: 'database' as const };

describe('playbook conditions', () => {
  it('holds when every given condition holds', () => {
    expect(matches({}, alert)).toBe(true);
    expect(matches({ severityAtLeast: 'major', sources: ['siem', 'edr'], ciClasses: ['database'], attributeEquals: { env: 'prod', risk: 7, vip: true } }, alert)).toBe(true);
  });

  it.each([
    [{ severityAtLeast: 'critical' as const }],
    [{ sources: ['edr'] }],
    [{ ciClasses: ['server' as const] }],
    [{ attributeEquals: { env: 'dev' } }],
    [{ attributeEquals: { risk: '7' } }],
    [{ attributeEquals: { missing: true } }],
  ])('fails when one does not: %j', (conditions) => {
    expect(matches(conditions, alert)).toBe(false);
  });

  it('treats severityAtLeast as a floor: minor is below major, critical above', () => {
    expect(matches({ severityAtLeast: 'major' }, { ...alert, severity: 'critical' })).toBe(true);
    expect(matches({ severityAtLeast: 'major' }, { ...alert, severity: 'minor' })).toBe(false);
  });

  it('needs a known CI class for a ciClasses condition', () => {
    expect(matches({ ciClasses: ['database'] }, { ...alert, ciClass: undefined })).toBe(false);
  });
});

describe('playbook order', () => {
  const pb = (playbookId: string, order: number, enabled = true, conditions = {}): Playbook => ({
    playbookId,
    name: playbookId,
    order,
    enabled,
    conditions,
    action: {},
    createdAt: '',
    updatedAt: '',
    updatedBy: '',
  });

  it('takes the first enabled match by order', () => {
    expect(firstMatch([pb('late', 20), pb('early', 10), pb('off', 1, false)], alert)?.playbookId).toBe('early');
    expect(firstMatch([pb('no', 1, true, { sources: ['edr'] }), pb('yes', 2)], alert)?.playbookId).toBe('yes');
    expect(firstMatch([pb('off', 1, false)], alert)).toBeUndefined();
  });
});

describe('the proactive rule', () => {
  const item = (id: string, accountId: string, accountType: 'external' | 'internal'): AffectedItem => ({
    installBaseItemId: id,
    accountId,
    accountName: accountId,
    accountType,
    soldProductId: 'sp',
    ciId: 'ci',
    name: id,
  });

  it('takes only external accounts, and names the account when there is exactly one', () => {
    expect(proactiveCaseFor([item('a', 'acme', 'external'), item('i', 'it', 'internal')])).toEqual({ items: [item('a', 'acme', 'external')], accountId: 'acme' });
    expect(proactiveCaseFor([item('a', 'acme', 'external'), item('b', 'beta', 'external')]).accountId).toBeUndefined();
    expect(proactiveCaseFor([item('i', 'it', 'internal')])).toEqual({ items: [] });
  });
});

describe('major case rules', () => {
  const c = { number: 'CS0001001', stage: 'open' as const, majorCase: 'none' as const };

  it('proposes a working case spanning at least the threshold of accounts', () => {
    expect(() => assertProposable(c, 2, 2)).not.toThrow();
    expect(() => assertProposable({ ...c, majorCase: 'rejected' }, 3, 2)).not.toThrow();
    expect(() => assertProposable(c, 1, 2)).toThrow(/1 account.*at least 2/);
    expect(() => assertProposable({ ...c, stage: 'in_progress' }, 5, 2)).toThrow(/in_progress/);
    expect(() => assertProposable({ ...c, majorCase: 'proposed' }, 5, 2)).toThrow(/already/);
    expect(() => assertProposable({ ...c, parentCaseId: 'case_x' }, 5, 2)).toThrow(/child/);
  });

  it('decides only proposed cases; accepting again is allowed to complete the children', () => {
    expect(() => assertDecidable({ ...c, majorCase: 'proposed' }, 'reject')).not.toThrow();
    expect(() => assertDecidable({ ...c, majorCase: 'accepted' }, 'accept')).not.toThrow();
    expect(() => assertDecidable({ ...c, majorCase: 'accepted' }, 'reject')).toThrow(/not proposed/);
    expect(() => assertDecidable(c, 'accept')).toThrow(/not proposed/);
  });

  it('carries changes only to children that are not resolved, closed or cancelled', () => {
    expect(['new', 'open', 'in_progress', 'awaiting_info', 'resolved', 'closed', 'cancelled'].filter((stage) => followsMajorCase({ stage: stage as 'new' }))).toEqual([
      'new',
      'open',
      'in_progress',
      'awaiting_info',
    ]);
  });
});
