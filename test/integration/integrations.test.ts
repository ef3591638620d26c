/**
 * Integration keys against DynamoDB Local (SPEC §2 "Alert sources"): a key
 * works at once, is found only whole and only for its kind, stops at once on
 * the instance that revoked it and within 5 s on any other, and many
 * integrations created at once each get their own working key.
 */
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { keyIdOf } from '../../lib/domain/integration.js';
import { CONFIG_TTL_MS } from '../../lib/store/cache.js';
import { createStore } from '../../lib/store/store.js';
import { createIntegration, integrationOfKey, revokeIntegration } from '../../lib/usecases/integrations.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import type { Integration } from '../../lib/domain/integration.js';
import { Unavailable } from '../../lib/domain/errors.js';

/**
 * Creates an integration as a client would: sent again while the database
 * answers Unavailable. An attempt whose answer was lost may still have
 * written it: then the next is refused as holding a taken source, which means
 * created (its key, shown once, is lost with the answer: undefined).
 */
async function created(name: string, kind: Integration['kind']): Promise<(Integration & { key: string }) | undefined> {
  let lost = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await createIntegration(t.repos, { name, kind }, 'ada');
    } catch (error) {
      if (error instanceof Unavailable && attempt < 10) {
        lost = true;
        await new Promise((done) => setTimeout(done, 1000 + Math.random() * 1000));
        continue;
      }
      if (lost && (error as { extra?: { field?: string } }).extra?.field === 'source') return undefined;
      throw error;
    }
  }
}

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable('integrations');
});
afterAll(() => t.drop());

const realNow = Date.now;
afterEach(() => {
  Date.now = realNow;
});

it('finds an integration by its whole key only, for its own kind only', async () => {
  const created = await createIntegration(t.repos, { name: 'prom', kind: 'alertmanager', mapping: { source: 'prometheus' } }, 'ada');
  expect(created).toMatchObject({ kind: 'alertmanager', source: 'prometheus', createdBy: 'ada' });
  expect(await integrationOfKey(t, 'alertmanager', created.key)).toMatchObject({ integrationId: created.integrationId });
  expect(await integrationOfKey(t, 'pagerduty', created.key)).toBeUndefined();
  // The same name (its first 8 characters) with another secret is no key.
  const forged = created.key.slice(0, 8) + 'A'.repeat(24);
  expect(forged).not.toBe(created.key);
  expect(await integrationOfKey(t, 'alertmanager', forged)).toBeUndefined();
  for (const malformed of [undefined, '', created.key.slice(0, 31), `${created.key}x`, created.key.replace(/.$/, '-')]) {
    expect(await integrationOfKey(t, 'alertmanager', malformed)).toBeUndefined();
  }
});

it('stops a revoked key at once on the instance that revoked it', async () => {
  const created = await createIntegration(t.repos, { name: 'pd', kind: 'pagerduty' }, 'ada');
  expect(await integrationOfKey(t, 'pagerduty', created.key)).toBeDefined();
  await revokeIntegration(t.repos, created.integrationId);
  expect(await integrationOfKey(t, 'pagerduty', created.key)).toBeUndefined();
  expect(await t.repos.integrations.get(created.integrationId)).toBeUndefined();
});

it('stops a key revoked elsewhere within 5 s', async () => {
  const created = await createIntegration(t.repos, { name: 'elsewhere', kind: 'alertmanager' }, 'ada');
  // The clock stands still from the moment the key is read (and cached), however slow the machine.
  const start = realNow();
  Date.now = () => start;
  expect(await integrationOfKey(t, 'alertmanager', created.key)).toBeDefined();
  // Another instance revokes: this one's cache is not told.
  const other = createStore({ tableName: t.tableName, endpoint: t.endpoint });
  await other.db.integrationKey.build(DeleteItemCommand).key({ keyId: keyIdOf(created.key)! }).send();
  other.doc.destroy();
  Date.now = () => start + CONFIG_TTL_MS - 1;
  expect(await integrationOfKey(t, 'alertmanager', created.key)).toBeDefined();
  Date.now = () => start + CONFIG_TTL_MS + 1;
  expect(await integrationOfKey(t, 'alertmanager', created.key)).toBeUndefined();
  expect(CONFIG_TTL_MS).toBeLessThanOrEqual(5000);
});

it('gives each of many integrations created at once its own working key, and never more than 200', async () => {
  const answered = (await Promise.all(Array.from({ length: 40 }, (_, i) => created(`many-${i}`, i % 2 ? 'alertmanager' : 'pagerduty')))).filter((c) => c !== undefined);
  expect(new Set(answered.map((c) => c.key)).size).toBe(answered.length);
  for (const c of answered) expect((await integrationOfKey(t, c.kind, c.key))?.integrationId).toBe(c.integrationId);
  const listed = await t.repos.integrations.list();
  expect(listed.filter((i) => i.name.startsWith('many-'))).toHaveLength(40);
  expect(JSON.stringify(listed)).not.toMatch(/"key"|keyId|keyHash/);
  // Fill up to 5 short of the bound, 20 at a time; then 15 at once: exactly 5 are created, 10 refused with 409.
  for (let made = listed.length, batch = 0; made < 195; made += 20, batch++) {
    await Promise.all(Array.from({ length: Math.min(20, 195 - made) }, (_, i) => created(`fill-${batch}-${i}`, 'pagerduty')));
  }
  const outcomes = await Promise.allSettled(Array.from({ length: 15 }, (_, i) => created(`last-${i}`, 'pagerduty')));
  expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.name)).toEqual(Array(10).fill('Conflict'));
  expect(await t.repos.integrations.list()).toHaveLength(200);
});
