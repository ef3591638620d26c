/**
 * Bounded configuration (SPEC §4): never more than 200 playbooks, however many
 * admins create them at once.
 */
import { mapLimit } from '../../lib/concurrency.js';
import { Conflict } from '../../lib/domain/errors.js';
import { MAX_PLAYBOOKS } from '../../lib/domain/playbooks.js';
import { createPlaybook, deletePlaybook } from '../../lib/usecases/playbooks.js';
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
