import { eventsForChange } from '../../lib/events/changes.js';
import { matchesPattern } from '../../lib/events/patterns.js';
import { BUS_RULES, EVENTS_STREAM_FILTER, HISTORY_STREAM_FILTER } from '../../lib/events/rules.js';
import { recordChangeOfImages, type StreamImage } from '../../lib/store/stream-image.js';

/** The events of the change between two images of an item, as the stream reports them. */
const eventsFor = (oldImage: StreamImage | undefined, newImage: StreamImage | undefined) => eventsForChange(recordChangeOfImages(oldImage, newImage));

const alertV1 = { entity: 'alert', alertId: 'alr_1', version: 1, source: 'nagios', severity: 'major', state: 'open', updatedAt: 't1', updatedBy: 'op', lastAction: 'created', occurrences: 1 };

describe('events from changes (SPEC section 5)', () => {
  it('publishes Alert Raised for a new alert, with a de-duplication id and the change behind it', () => {
    expect(eventsFor(undefined, alertV1)).toEqual([
      {
        detailType: 'Alert Raised',
        detail: expect.objectContaining({ eventId: 'alr_1:v1:alert-raised', changeId: 'alr_1:v1', alertId: 'alr_1', actor: 'op', at: 't1' }),
      },
    ]);
  });

  it('gives the same ids when the same change is seen again', () => {
    expect(eventsFor(undefined, alertV1)).toEqual(eventsFor(undefined, alertV1));
  });

  it('publishes Alert Converted, Impact Refreshed, Case Created and Case Updated for those changes', () => {
    const converted = { ...alertV1, version: 2, lastAction: 'converted_to_case', caseId: 'case_1', caseNumber: 'CS0001001' };
    expect(eventsFor(alertV1, converted).map((e) => e.detailType)).toEqual(['Alert Converted', 'Alert Attached']);
    const refreshed = { ...alertV1, version: 3, lastAction: 'impact_refreshed', impact: { digest: 'd2', impactedCis: 3, refreshedAt: 't3' } };
    expect(eventsFor({ ...converted, impact: { digest: 'd1' } }, refreshed)).toEqual([
      { detailType: 'Impact Refreshed', detail: expect.objectContaining({ impactedCis: 3, changed: true }) },
    ]);
    const kase = { entity: 'case', caseId: 'case_1', number: 'CS0001001', version: 1, stage: 'new', updatedAt: 't', updatedBy: 'op', majorCase: 'none' };
    expect(eventsFor(undefined, kase).map((e) => e.detailType)).toEqual(['Case Created']);
    expect(eventsFor(kase, { ...kase, version: 2, stage: 'open', lastAction: 'updated' }).map((e) => e.detailType)).toEqual(['Case Updated']);
    expect(eventsFor(kase, { ...kase, version: 2, majorCase: 'proposed' }).map((e) => e.detailType)).toEqual(['Case Updated', 'Major Case Proposed']);
  });

  it('publishes Alert Attached and Alert Detached for each alert attached, moved or detached, naming the cases', () => {
    const inCase1 = { ...alertV1, version: 2, caseId: 'case_1', caseNumber: 'CS0001001' };
    const attached = eventsFor(alertV1, { ...inCase1, lastAction: 'attached_to_case' });
    expect(attached).toEqual([{ detailType: 'Alert Attached', detail: expect.objectContaining({ alertId: 'alr_1', caseId: 'case_1', caseNumber: 'CS0001001', eventId: 'alr_1:v2:alert-attached' }) }]);
    const moved = eventsFor(inCase1, { ...inCase1, version: 3, caseId: 'case_2', caseNumber: 'CS0001002', lastAction: 'moved_to_case' });
    expect(moved.map((e) => [e.detailType, e.detail.caseId])).toEqual([
      ['Alert Detached', 'case_1'],
      ['Alert Attached', 'case_2'],
    ]);
    expect(moved[1].detail.fromCaseId).toBe('case_1');
    const { caseId: _c, caseNumber: _n, ...loose } = inCase1;
    expect(eventsFor(inCase1, { ...loose, version: 3, lastAction: 'detached_from_case' })).toEqual([
      { detailType: 'Alert Detached', detail: expect.objectContaining({ alertId: 'alr_1', caseId: 'case_1', caseNumber: 'CS0001001' }) },
    ]);
  });

  it('publishes nothing for a repeat, notes, history or other items', () => {
    expect(eventsFor(alertV1, { ...alertV1, version: 2, lastAction: 'repeated' })).toEqual([]);
    expect(eventsFor(undefined, { entity: 'note', caseId: 'c' })).toEqual([]);
    expect(eventsFor(undefined, { entity: 'history' })).toEqual([]);
    expect(eventsFor(alertV1, undefined)).toEqual([]);
  });
});

describe('routing patterns', () => {
  const record = (entity: string) => ({ dynamodb: { NewImage: { entity: { S: entity } } } });

  it('sends alert, case and note changes to history, and alert and case changes to the publisher', () => {
    expect(['alert', 'case', 'note', 'history', 'idempotency', 'impactedci'].filter((e) => matchesPattern(record(e), HISTORY_STREAM_FILTER))).toEqual(['alert', 'case', 'note']);
    expect(['alert', 'case', 'note', 'history'].filter((e) => matchesPattern(record(e), EVENTS_STREAM_FILTER))).toEqual(['alert', 'case']);
    expect(matchesPattern({ dynamodb: { OldImage: { entity: { S: 'case' } } } }, HISTORY_STREAM_FILTER)).toBe(false);
  });

  it('routes Alert Raised from any source but this service itself', () => {
    const rule = BUS_RULES.find((r) => r.name === 'alert-raised')!;
    expect(matchesPattern({ 'detail-type': 'Alert Raised', source: 'monitoring.datadog' }, rule.pattern)).toBe(true);
    expect(matchesPattern({ 'detail-type': 'Alert Raised', source: 'alert-to-case' }, rule.pattern)).toBe(false);
    expect(matchesPattern({ 'detail-type': 'Case Created', source: 'monitoring' }, rule.pattern)).toBe(false);
  });
});
