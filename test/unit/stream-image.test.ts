import { marshall } from '@aws-sdk/util-dynamodb';
import { recordChangeOf } from '../../lib/store/stream-image.js';

const record = (oldImage?: Record<string, unknown>, newImage?: Record<string, unknown>) => ({
  dynamodb: {
    OldImage: oldImage && marshall(oldImage, { removeUndefinedValues: true }),
    NewImage: newImage && marshall(newImage, { removeUndefinedValues: true }),
  },
});

describe('stream records as record changes', () => {
  const keys = { pk: 'ALERT#alr_1', sk: 'ALERT', gsi1pk: 'ALERT#3', gsi1sk: 't0#alr_1', gsi5pk: 'ALERT#CASE#case_1', gsi5sk: 't1#alr_1', entity: 'alert' };
  const alert = { alertId: 'alr_1', version: 1, severity: 'major', attributes: { host: 'a' }, updatedAt: 't1', updatedBy: 'op' };

  it("names the record's kind by its entity and strips the table's keys, index keys and entity attribute", () => {
    expect(recordChangeOf(record(undefined, { ...keys, ...alert }))).toEqual({ kind: 'alert', before: undefined, after: alert });
    expect(recordChangeOf(record({ ...keys, ...alert }, { ...keys, ...alert, version: 2 }))).toEqual({ kind: 'alert', before: alert, after: { ...alert, version: 2 } });
  });

  it('reads cases, work notes and removals, and makes every other item `other`', () => {
    const kase = { caseId: 'case_1', version: 1, changedAlerts: ['alr_1'] };
    expect(recordChangeOf(record(undefined, { pk: 'CASE#case_1', sk: 'CASE', entity: 'case', ...kase }))).toEqual({ kind: 'case', before: undefined, after: kase });
    const note = { caseId: 'case_1', noteId: 'n1', createdAt: 't', text: 'x', author: 'carol' };
    expect(recordChangeOf(record(undefined, { pk: 'CASE#case_1', sk: 'NOTE#t#n1', entity: 'note', ...note }))).toEqual({ kind: 'note', before: undefined, after: note });
    expect(recordChangeOf(record({ ...keys, ...alert }, undefined))).toEqual({ kind: 'alert', before: alert, after: undefined });
    expect(recordChangeOf(record(undefined, { pk: 'CASE#1', sk: 'HISTORY#t#v1', entity: 'history' }))).toEqual({ kind: 'other' });
    expect(recordChangeOf(record(undefined, { pk: 'IDEMPOTENCY#x', sk: 'IDEMPOTENCY', entity: 'idempotency' }))).toEqual({ kind: 'other' });
    expect(recordChangeOf({})).toEqual({ kind: 'other' });
  });
});
