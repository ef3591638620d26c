/**
 * The layers of lib/ point one way (docs/decisions.md "How a request flows"):
 * the domain imports only the domain (and business time its calendar library); the contract no http, store, use case
 * or AWS; the store no http or use case; senders and events no http; and no
 * file reaches itself through its imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve('lib');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Each file of lib/ (relative, e.g. `store/cases.ts`) and what it imports: files of lib/ (relative) and packages. */
const graph = new Map(
  sources(ROOT).map((file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
    const imports = specifiers.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(dirname(file), s)).replace(/\.js$/, '.ts') : `pkg:${s}`));
    return [relative(ROOT, file), imports] as const;
  }),
);

const importsOf = (prefix: string) => [...graph].filter(([file]) => file.startsWith(prefix)).flatMap(([file, imports]) => imports.map((i) => `${file} -> ${i}`));

it('reads the imports of lib/ (the rules below have something to check)', () => {
  expect(graph.get('usecases/case-alerts.ts')).toEqual(expect.arrayContaining(['domain/case-alerts.ts', 'usecases/context.ts']));
  expect(graph.size).toBeGreaterThan(50);
});

it('keeps the domain free of everything but the domain (node built-ins, and the calendar its service levels count in)', () => {
  expect(importsOf('domain/').filter((edge) => !/ -> (domain\/|pkg:node:|pkg:temporal-polyfill\/fns\/)/.test(edge))).toEqual([]);
  // The calendar is business time's alone.
  expect(importsOf('').filter((edge) => edge.includes('pkg:temporal-polyfill') && !edge.startsWith('domain/business-time.ts'))).toEqual([]);
});

it('keeps the store from http and the use cases', () => {
  expect(importsOf('store/').filter((edge) => / -> (http|usecases)\//.test(edge))).toEqual([]);
});

it('keeps the contract from http, the store, the use cases and AWS', () => {
  expect(importsOf('contract/').filter((edge) => / -> (http\/|store\/|usecases\/|pkg:@aws-sdk|pkg:aws-)/.test(edge))).toEqual([]);
});

it('keeps senders and events from http', () => {
  expect([...importsOf('sources/'), ...importsOf('events/')].filter((edge) => / -> http\//.test(edge))).toEqual([]);
});

it('has no import circle in lib/', () => {
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(circles).toEqual([]);
});
