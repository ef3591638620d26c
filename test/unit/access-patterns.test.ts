/**
 * docs/access-patterns.md is what the generator makes of the table and the
 * entities' named access patterns (`npm run access-patterns` writes it), every
 * pattern is described there, every repository method it names exists, and no
 * store file but the entities and the table names an index.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ACCESS_PATTERNS_DOC, accessPatternsMarkdown, describedPatterns } from '../../lib/store/access-patterns.js';
import { ACCESS_PATTERNS, ALERT_LISTS, CASE_LISTS, defineTable } from '../../lib/store/entities.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const STORE = join(root, 'lib/store');

describe('docs/access-patterns.md', () => {
  const generated = accessPatternsMarkdown();

  it('is what `npm run access-patterns` writes from the entities and the table', () => {
    // Out of date: run `npm run access-patterns` and commit the file.
    expect(readFileSync(join(root, ACCESS_PATTERNS_DOC), 'utf8')).toBe(generated);
  });

  it('describes every named access pattern', () => {
    const described = new Set(describedPatterns(defineTable(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'unit')).map((d) => d.name.replace(/\(.*$/, '')));
    const named = [
      ...Object.keys(ALERT_LISTS).map((name) => `ALERT_LISTS.${name}`),
      ...Object.keys(CASE_LISTS).map((name) => `CASE_LISTS.${name}`),
      ...Object.keys(ACCESS_PATTERNS).map((name) => `ACCESS_PATTERNS.${name}`),
    ];
    expect(named.filter((name) => !described.has(name))).toEqual([]);
  });

  it('names only repository methods that exist', async () => {
    const classes = new Map<string, unknown>();
    for (const file of readdirSync(STORE).filter((f) => f.endsWith('.ts'))) {
      const module = (await import(join(STORE, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) if (/Repository$/.test(name) && typeof value === 'function') classes.set(name, value);
    }
    const named = [...generated.matchAll(/\b([A-Z][A-Za-z]*Repository)(?:\.([a-zA-Z]+))?/g)].map(([, owner, method]) => ({ owner, method }));
    expect(named.length).toBeGreaterThan(40);
    const missing = named.filter(({ owner, method }) => {
      const found = classes.get(owner) as { prototype: Record<string, unknown> } | undefined;
      return !found || (method !== undefined && typeof found.prototype[method] !== 'function');
    });
    expect(missing).toEqual([]);
  });
});

describe('the store', () => {
  const sources = readdirSync(STORE)
    .filter((f) => f.endsWith('.ts'))
    .map((file) => ({ file, text: readFileSync(join(STORE, file), 'utf8') }));

  it('names indexes only in the table and the entities (those of assignment and service levels apart): other files name an access pattern', () => {
    expect(sources.filter(({ file, text }) => !['table.ts', 'entities.ts', 'assignment-entities.ts', 'sla-entities.ts'].includes(file) && /gsi\d/.test(text)).map((s) => s.file)).toEqual([]);
  });

  it('types its queries and items instead of casting them to never', () => {
    expect(sources.filter(({ text }) => /\bas never\b/.test(text)).map((s) => s.file)).toEqual([]);
  });
});
