/**
 * Bounded configuration (SPEC §4): never more than 200 playbooks, nor 100 SLA
 * definitions, however many admins create them at once.
 */
import { mapLimit } from '../../lib/concurrency.js';
import { Conflict } from '../../lib/domain/errors.js';
import { MAX_PLAYBOOKS } from '../../lib/domain/playbooks.js';
import { MAX_SLA_DEFINITIONS } from '../../lib/domain/sla.js';
import { createPlaybook, deletePlaybook } from '../../lib/usecases/playbooks.js';
import { createSlaDefinition, deleteSlaDefinition } from '../../lib/usecases/slas.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable('limits');
});
afterAll(() => t.drop());

const playbook = (i: number) => ({ name: `playbook ${i}`, conditions: { sources: [`src-${i}`] }, action: {} });

it('keeps at most 200 playbooks when 210 are created at once, refusing the rest with 409 naming the limit; deleting one makes room', async () => {
  const outcomes = await mapLimit(Array.from({ length: MAX_PLAYBOOKS + 10 }, (_, i) => i), 16, (i) =>
    createPlaybook(t.repos, playbook(i), 'ada').then(
      (p) => p,
      (error: unknown) => error,
    ),
  );
  const refused = outcomes.filter((o) => o instanceof Conflict) as Conflict[];
  expect(refused).toHaveLength(10);
  expect(refused[0].extra).toEqual({ limit: MAX_PLAYBOOKS });
  expect(refused[0].message).toMatch(/200/);
  expect(await t.repos.playbooks.list()).toHaveLength(MAX_PLAYBOOKS);

  const [first] = await t.repos.playbooks.list();
  await deletePlaybook(t.repos, first.playbookId);
  await expect(createPlaybook(t.repos, playbook(999), 'ada')).resolves.toMatchObject({ name: 'playbook 999' });
  await expect(createPlaybook(t.repos, playbook(1000), 'ada')).rejects.toThrow(Conflict);
});

it('keeps at most 100 SLA definitions when 110 are created at once, refusing the rest with 409 naming the limit; deleting one makes room', async () => {
  const sla = (i: number) => ({ name: `SLA ${i}`, kind: 'resolution' as const, priorities: ['high' as const], targetMinutes: 60 + i, schedule: '24x7' as const });
  const outcomes = await mapLimit(Array.from({ length: MAX_SLA_DEFINITIONS + 10 }, (_, i) => i), 16, (i) =>
    createSlaDefinition(t.repos, sla(i), 'ada').then(
      (d) => d,
      (error: unknown) => error,
    ),
  );
  const refused = outcomes.filter((o) => o instanceof Conflict) as Conflict[];
  expect(refused).toHaveLength(10);
  expect(refused[0].extra).toEqual({ limit: MAX_SLA_DEFINITIONS });
  expect(await t.repos.slaDefinitions.list()).toHaveLength(MAX_SLA_DEFINITIONS);
  const [first] = await t.repos.slaDefinitions.list();
  await deleteSlaDefinition(t.repos, first.slaId);
  await expect(createSlaDefinition(t.repos, sla(999), 'ada')).resolves.toMatchObject({ name: 'SLA 999' });
  await expect(createSlaDefinition(t.repos, sla(1000), 'ada')).rejects.toThrow(Conflict);
});

it('keeps every first result of an idempotent request, however large: gzipped, or at least its status when even that is too large', async () => {
  const { randomBytes } = await import('node:crypto');
  const { fingerprintOf } = await import('../../lib/domain/idempotency.js');
  const request = (key: string) => ({ scope: 'ada|POST /x', key, fingerprint: fingerprintOf({}) });
  const compressible = { statusCode: 201, body: { text: 'a'.repeat(900_000) }, headers: { etag: '"1"' } };
  const incompressible = { statusCode: 200, body: { noise: randomBytes(700_000).toString('base64') }, headers: { etag: '"2"' } };
  for (const [key, response] of [['big-1', compressible], ['big-2', incompressible]] as const) {
    expect(await t.repos.idempotency.claim(request(key), Date.now())).toBeUndefined();
    await t.repos.idempotency.complete(request(key), response, Date.now());
  }
  expect(await t.repos.idempotency.claim(request('big-1'), Date.now())).toEqual(compressible);
  expect(await t.repos.idempotency.claim(request('big-2'), Date.now())).toEqual({ statusCode: 200, headers: { etag: '"2"', 'idempotent-replay': 'body-not-kept' } });
});
