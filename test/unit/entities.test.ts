/**
 * The toolbox entities: every item's primary key and index keys, computed from
 * a domain object by the entity itself, with no database (what a write would
 * send is built and looked at, never sent).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EntityParser } from 'dynamodb-toolbox/entity/actions/parse';
import { UpdateItemCommand, $add } from 'dynamodb-toolbox/entity/actions/update';
import { ALERT_LISTS, defineTable, partitionsOf, TIMER_LIST } from '../../lib/store/entities.js';
import { ALERT_SHARDS, CASE_SHARDS, shardOf } from '../../lib/store/shards.js';
import { createTableInput, INDEXES, indexKeys } from '../../lib/store/table.js';

const db = defineTable(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'unit');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const saved = (entity: { build: (a: typeof EntityParser) => any }, item: object) => entity.build(EntityParser).parse(item).item as Record<string, unknown>;

const at = '2026-11-30T10:00:00.000Z';
const alert = {
  alertId: 'alr_0123456789abcdef01234567',
  source: 'prometheus',
  severity: 'major',
  state: 'open',
  description: 'disk full',
  attributes: { host: 'db-1', used: 97 },
  detections: [{ id: 'D-1', name: 'Disk' }],
  occurrences: 1,
  firstOccurredAt: at,
  lastOccurredAt: at,
  createdAt: at,
  updatedAt: at,
  createdBy: 'op',
  updatedBy: 'op',
  version: 1,
  lastAction: 'created',
};
const kase = {
  caseId: 'case_0123456789abcdef0123456789abcdef',
  number: 'CS0001001',
  origin: 'alert',
  proactive: false,
  shortDescription: 'Disk full',
  priority: 'high',
  stage: 'new',
  alertCount: 0,
  majorCase: 'none',
  createdAt: at,
  updatedAt: at,
  createdBy: 'op',
  updatedBy: 'op',
  version: 1,
};

describe('an alert', () => {
  const item = saved(db.alert, alert);
  const shard = shardOf(alert.alertId, ALERT_SHARDS);

  it('is keyed by its id and tagged with its entity', () => {
    expect(item).toMatchObject({ pk: `ALERT#${alert.alertId}`, sk: 'ALERT', entity: 'alert' });
  });

  it('is listed newest first in its write shard of every alert list: all, by state, by severity, by source', () => {
    const sortKey = `${at}#${alert.alertId}`;
    expect(item).toMatchObject({
      gsi1pk: `ALERT#${shard}`,
      gsi1sk: sortKey,
      gsi2pk: `ALERT#STATE#open#${shard}`,
      gsi2sk: sortKey,
      gsi3pk: `ALERT#SEVERITY#major#${shard}`,
      gsi3sk: sortKey,
      gsi4pk: `ALERT#SOURCE#prometheus#${shard}`,
      gsi4sk: sortKey,
    });
    expect(partitionsOf(ALERT_LISTS.state, 'open')).toContain(item.gsi2pk);
    expect(partitionsOf(ALERT_LISTS.all, '')).toHaveLength(ALERT_SHARDS);
  });

  it('moves to its new state and severity partitions on an update, and a repeat that changes neither touches no index key', () => {
    const update = (changes: object) =>
      (db.alert.build(UpdateItemCommand).item({ alertId: alert.alertId, ...changes }).params() as { UpdateExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> });
    const acked = update({ state: 'acknowledged', version: $add(1) });
    expect(Object.values(acked.ExpressionAttributeNames)).toContain('gsi2pk');
    expect(Object.values(acked.ExpressionAttributeValues)).toContain(`ALERT#STATE#acknowledged#${shard}`);
    const escalated = update({ severity: 'critical' });
    expect(Object.values(escalated.ExpressionAttributeValues)).toContain(`ALERT#SEVERITY#critical#${shard}`);
    const repeat = update({ occurrences: $add(1), lastOccurredAt: at, description: 'disk still full' });
    expect(Object.values(repeat.ExpressionAttributeNames).filter((n) => /^gsi/.test(n))).toEqual([]);
  });
});

describe('a case', () => {
  const shard = shardOf(kase.caseId, CASE_SHARDS);
  const sortKey = `${at}#${kase.caseId}`;

  it('is keyed by its id and always listed in all cases and by stage', () => {
    const item = saved(db.case, kase);
    expect(item).toMatchObject({ pk: `CASE#${kase.caseId}`, sk: 'CASE', entity: 'case', gsi1pk: `CASE#${shard}`, gsi1sk: sortKey, gsi2pk: `CASE#STAGE#new#${shard}` });
  });

  it('is in the queue, assignee, account and parent lists only when it has those fields (sparse indexes); its origin alert lists it nowhere (the alert names its case)', () => {
    const bare = saved(db.case, kase);
    for (const index of ['gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7']) {
      expect(bare[`${index}pk`]).toBeUndefined();
      expect(bare[`${index}sk`]).toBeUndefined();
    }
    const full = saved(db.case, { ...kase, queue: 'tier1', assignee: 'adam', accountId: 'acme', alertId: alert.alertId, parentCaseId: 'case_ffffffffffffffffffffffffffffffff' });
    expect(full).toMatchObject({
      gsi3pk: `CASE#QUEUE#tier1#${shard}`,
      gsi4pk: `CASE#ASSIGNEE#adam#${shard}`,
      gsi5pk: `CASE#ACCOUNT#acme#${shard}`,
      gsi7pk: 'CASE#PARENT#case_ffffffffffffffffffffffffffffffff',
    });
    for (const index of ['gsi3', 'gsi4', 'gsi5', 'gsi7']) expect(full[`${index}sk`]).toBe(sortKey);
    expect(full.gsi6pk).toBeUndefined();
  });
});

describe('the other items', () => {
  it.each([
    ['case number', () => saved(db.caseNumber, { number: 'CS0001001', caseId: kase.caseId }), { pk: 'CASENUMBER#CS0001001', sk: 'CASENUMBER' }],
    ['case number reservation', () => saved(db.counter, { counter: 'case', value: 20 }), { pk: 'COUNTER#case', sk: 'COUNTER' }],
    ['playbook count', () => saved(db.counter, { counter: 'playbooks', value: 3 }), { pk: 'COUNTER#playbooks', sk: 'COUNTER' }],
    [
      'work note',
      () => saved(db.workNote, { caseId: kase.caseId, createdAt: at, noteId: 'note_1', text: 'x', author: 'op' }),
      { pk: `CASE#${kase.caseId}`, sk: `NOTE#${at}#note_1`, entity: 'note' },
    ],
    ['queue', () => saved(db.queue, { queueId: 'tier1', members: [], updatedAt: at, updatedBy: 'ada' }), { pk: 'QUEUES', sk: 'QUEUE#tier1' }],
    [
      'history entry of an alert',
      () => saved(db.history, { ownerKind: 'alert', ownerId: alert.alertId, at, changeId: 'v00000001', actor: 'op', action: 'created', changes: [] }),
      { pk: `ALERT#${alert.alertId}`, sk: `HISTORY#${at}#v00000001`, entity: 'history' },
    ],
    [
      'history entry of a case',
      () => saved(db.history, { ownerKind: 'case', ownerId: kase.caseId, at, changeId: 'note-n1', actor: 'op', action: 'work_note', changes: [] }),
      { pk: `CASE#${kase.caseId}`, sk: `HISTORY#${at}#note-n1` },
    ],
    ['idempotency record', () => saved(db.idempotency, { requestId: 'abc', status: 'IN_PROGRESS', fingerprint: 'f', expiresAt: 1 }), { pk: 'IDEMPOTENCY#abc', sk: 'IDEMPOTENCY' }],
    ['CI', () => saved(db.ci, { ciId: 'db-1', name: 'DB', class: 'database' }), { pk: 'CI#db-1', sk: 'CI' }],
    [
      'account',
      () => saved(db.account, { accountId: 'acme', name: 'Acme Retail', type: 'external', updatedAt: at }),
      { pk: 'ACCOUNT#acme', sk: 'ACCOUNT', gsi6pk: expect.stringMatching(/^ACCOUNT#NAME#0[0-3]$/), gsi6sk: 'acme retail\u0001acme' },
    ],
    [
      'sold product',
      () => saved(db.soldProduct, { soldProductId: 'sp-1', accountId: 'acme', name: 'Shop', updatedAt: at }),
      { pk: 'SOLDPRODUCT#sp-1', sk: 'SOLDPRODUCT', gsi5pk: 'ACCOUNT#acme', gsi5sk: 'SOLDPRODUCT#sp-1' },
    ],
    [
      'install base item',
      () => saved(db.installBaseItem, { installBaseItemId: 'ib-1', accountId: 'acme', soldProductId: 'sp-1', ciId: 'db-1', name: 'x', updatedAt: at }),
      { pk: 'INSTALLBASEITEM#ib-1', sk: 'INSTALLBASEITEM', gsi5pk: 'ACCOUNT#acme', gsi5sk: 'INSTALLBASEITEM#ib-1', gsi6pk: 'INSTALLBASE#CI#db-1', gsi6sk: 'acme#ib-1' },
    ],
    [
      'impacted CI',
      () => saved(db.impactedCi, { alertId: alert.alertId, generation: 'g1', position: 7, ciId: 'db-1', name: 'DB', class: 'database', kind: 'alert_ci', path: ['db-1'] }),
      { pk: `ALERT#${alert.alertId}`, sk: 'IMPACT#g1#000007', gsi7pk: 'IMPACTED#db-1', gsi7sk: alert.alertId },
    ],
    ['lock', () => saved(db.lock, { lockId: 'service-map-import', since: at, expiresAt: 1 }), { pk: 'LOCK#service-map-import', sk: 'LOCK' }],
    ['rule', () => saved(db.config, { configId: 'proactive-case-rule', enabled: true, updatedAt: at, updatedBy: 'ada' }), { pk: 'CONFIG#proactive-case-rule', sk: 'CONFIG' }],
    [
      'playbook',
      () => saved(db.playbook, { playbookId: 'pb_1', name: 'x', enabled: false, order: 100, conditions: {}, action: {}, createdAt: at, updatedAt: at, updatedBy: 'ada' }),
      { pk: 'PLAYBOOKS', sk: 'PLAYBOOK#pb_1' },
    ],
    ['major case child guard', () => saved(db.majorCaseChild, { majorCaseId: kase.caseId, accountId: 'acme', caseId: 'case_x' }), { pk: `MAJORCHILD#${kase.caseId}`, sk: 'ACCOUNT#acme' }],
    ['layout mark', () => saved(db.layout, { layoutId: 'layout', version: 2 }), { pk: 'META#layout', sk: 'META' }],
  ])('%s', (_name, item, keys) => {
    expect(item()).toMatchObject(keys);
  });

  it('keys a delivery marker by a hash of the event id, never the raw id', () => {
    const item = saved(db.delivery, { deliveryId: 'event/with#odd:chars', expiresAt: 1 });
    expect(item.pk).toMatch(/^DELIVERY#[0-9a-f]{64}$/);
    expect(item.pk).toBe(saved(db.delivery, { deliveryId: 'event/with#odd:chars', expiresAt: 2 }).pk);
  });
});

describe('write shards and index projections', () => {
  it('spread ids evenly: no shard takes much more than its share', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 16_000; i++) {
      const shard = shardOf(`alr_${i.toString(16).padStart(24, '0')}`, ALERT_SHARDS);
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }
    expect(counts.size).toBe(ALERT_SHARDS);
    expect(Math.max(...counts.values())).toBeLessThan(1.15 * (16_000 / ALERT_SHARDS));
  });

  it('project only what the lists filter on, within DynamoDB’s 100 projected attributes per table', () => {
    const indexes = createTableInput('x').GlobalSecondaryIndexes;
    const lists = indexes.filter((i) => i.IndexName !== TIMER_LIST.index);
    for (const index of lists) expect(index.Projection.ProjectionType).toBe('INCLUDE');
    const projected = lists.flatMap((i) => i.Projection.NonKeyAttributes ?? []);
    expect(projected.length).toBeLessThanOrEqual(100);
    // A repeat writes occurrences, lastOccurredAt, description: no index carries them.
    for (const field of ['occurrences', 'lastOccurredAt', 'description', 'attributes', 'version', 'updatedAt']) expect(projected).not.toContain(field);
    expect(INDEXES.map((i) => i.name)).toEqual(indexes.map((i) => i.IndexName));
  });

  it('keep whole items only on the timer index, which no alert or case is on (an offer waiting for an answer is)', () => {
    const timers = createTableInput('x').GlobalSecondaryIndexes.find((i) => i.IndexName === TIMER_LIST.index)!;
    expect(timers.Projection.ProjectionType).toBe('ALL');
    const { pk, sk } = indexKeys(TIMER_LIST.index);
    for (const entity of [db.alert, db.case]) expect(Object.keys(entity.schema.attributes)).not.toEqual(expect.arrayContaining([pk, sk]));
  });
});
