/** Each function may query exactly the indexes its code's access patterns read (lib/store/index-grants.ts). */
import { FUNCTIONS } from '../../lib/functions.js';

const indexesOf = (name: string) => FUNCTIONS.find((f) => f.name === name)!.table!.indexes;

it('gives the functions that only raise, convert and attach no index: they list nothing', () => {
  for (const name of ['ingest-api', 'alert-raised', 'aws-alerts']) expect({ name, indexes: indexesOf(name) }).toEqual({ name, indexes: [] });
});

it('gives a function the indexes of the lists and patterns its repositories read, and no other', () => {
  // Alert lists by source, severity and state (gsi1-4); case lists, a case's alerts (gsi5), a major case's children (gsi7).
  expect(indexesOf('alerts-api')).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4']);
  expect(indexesOf('cases-api')).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5', 'gsi7']);
  // The case list reads the same lists, and cases by SLA breach (gsi2); it writes nothing.
  expect(indexesOf('case-lists-api')).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5', 'gsi7']);
  expect(FUNCTIONS.find((f) => f.name === 'case-lists-api')!.table!.actions).toEqual(['GetItem', 'Query', 'BatchGetItem']);
  // An account's install base (gsi5), items on a CI (gsi6), alerts impacting a CI for health (gsi7); no case or alert list.
  expect(indexesOf('case-install-base-api')).toEqual(['gsi5', 'gsi6', 'gsi7']);
  // The history writer only writes.
  expect(indexesOf('history')).toEqual([]);
});
