/**
 * `npm run access-patterns`: writes docs/access-patterns.md from the table and
 * the entities' named access patterns (lib/store/access-patterns.ts). Run it
 * after changing an entity, an index or a pattern, and commit the file; a
 * unit test fails while it is out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCESS_PATTERNS_DOC, accessPatternsMarkdown } from '../lib/store/access-patterns.js';

const file = join(fileURLToPath(new URL('..', import.meta.url)), ACCESS_PATTERNS_DOC);
writeFileSync(file, accessPatternsMarkdown());
console.log(`wrote ${ACCESS_PATTERNS_DOC}`);
