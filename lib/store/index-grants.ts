/**
 * The indexes a function queries, derived from its code: the repositories
 * its entry file reaches (the import graph, type-only imports left out) and
 * the named access patterns and lists those import from entities.ts. The
 * stack grants exactly these (lib/functions.ts), and the local runtime
 * refuses a query on any other, so a repository that starts using a new
 * pattern changes its functions' grants with it. Read at synth and by the
 * local runtime (Node only; no function bundles it).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ACCESS_PATTERNS, ALERT_LISTS, CASE_LISTS } from './entities.js';
import type { IndexName } from './table.js';

let byNameOnce: Map<string, IndexName[]> | undefined;

/** What each name entities.ts exports for querying reads: a named pattern's index (none: the table), or every index of a list. Worked out once. */
function indexesByName(): Map<string, IndexName[]> {
  if (byNameOnce) return byNameOnce;
  const byName = new Map<string, IndexName[]>();
  for (const [name, pattern] of Object.entries(ACCESS_PATTERNS)) {
    // A pattern's index does not depend on its arguments: asked with a placeholder.
    const { index } = (pattern as (arg: string) => { index?: IndexName })('x');
    byName.set(name, index ? [index] : []);
    // Repositories import a pattern by its binding (`workNotesOfCase`), which the map names by its doc name (`workNotes`).
    byName.set((pattern as { name: string }).name, index ? [index] : []);
  }
  for (const [name, lists] of [['ALERT_LISTS', ALERT_LISTS], ['CASE_LISTS', CASE_LISTS]] as const) {
    byName.set(name, [...new Set(Object.values(lists).map((l) => l.index))]);
  }
  byNameOnce = byName;
  return byName;
}

const importsOf = new Map<string, [string[], string][]>();

/** Value imports of a module file (read once: every function walks the same store and domain files). */
function valueImportsOf(file: string): [string[], string][] {
  let found = importsOf.get(file);
  if (!found) importsOf.set(file, (found = valueImports(readFileSync(file, 'utf8'))));
  return found;
}

/** Value imports of a module: `[names, specifier]` per import, type-only imports and names left out. */
function valueImports(source: string): [string[], string][] {
  const found: [string[], string][] = [];
  for (const m of source.matchAll(/^import\s+(?!type\s)([\s\S]*?)\s+from\s+'([^']+)';/gm)) {
    const names = (/\{([\s\S]*)\}/.exec(m[1])?.[1] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n && !n.startsWith('type '))
      .map((n) => n.split(/\s+as\s+/)[0]);
    found.push([names, m[2]]);
  }
  return found;
}

/** The indexes the code reachable from `entry` (a path from the project root) queries, in index order. */
export function indexesQueriedFrom(root: string, entry: string): IndexName[] {
  const byName = indexesByName();
  const seen = new Set<string>();
  const indexes = new Set<IndexName>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [names, specifier] of valueImportsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (target.endsWith(join('store', 'entities.ts'))) {
        for (const name of names) for (const index of byName.get(name) ?? []) indexes.add(index);
      } else visit(target);
    }
  };
  visit(join(root, entry));
  return [...indexes].sort();
}
