/** The console's build (web/build.ts): the files it is served as, and the size bar of SPEC §8. */
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../../web/build.js';

const files = buildConsole({ mode: 'local' });
const text = (name: string) => new TextDecoder().decode(files.get(name)!.body);
/** The Team page's charts (uPlot), a file of their own named by its content. */
const charts = [...files.keys()].filter((name) => /^chart-canvas-[A-Z0-9]+\.js$/.test(name));

it('builds a page, its script and its styles, the charts loaded later, and the config it is given', () => {
  expect([...files.keys()].filter((name) => !charts.includes(name)).sort()).toEqual(['app.css', 'app.js', 'config.json', 'index.html']);
  expect(charts).toHaveLength(1);
  expect(files.get(charts[0])!.contentType).toBe('text/javascript; charset=utf-8');
  const html = text('index.html');
  expect(html).toContain('<script type="module" src="/console/app.js"></script>');
  expect(html).toContain('lang="en"');
  expect(JSON.parse(text('config.json'))).toEqual({ mode: 'local' });
});

it('keeps the initial JavaScript within 80 KB gzipped, with no Node module left in it', () => {
  const js = files.get('app.js')!.body;
  expect(gzipSync(js).length).toBeLessThanOrEqual(80 * 1024);
  expect(text('app.js')).not.toMatch(/from\s*["']node:/);
});

it('leaves the chart library out of the first script: the Team page fetches it, the other pages never do', () => {
  const app = text('app.js');
  // app.js imports no file up front (all of the first page's script is in it), and the charts' file only when asked.
  expect(app).not.toMatch(/(^|[;}\s])import\s*(["']\.\/|[{*\w][^(]*?from\s*["']\.\/)/);
  expect(app.match(/import\(["'][^"']+["']\)/g)).toEqual([`import("./${charts[0]}")`]);
  // uPlot's code is in that file alone; its styles are in app.css (a module loaded later brings no stylesheet along).
  expect(app).not.toContain('u-over');
  expect(text(charts[0])).toContain('u-over');
  expect(text(charts[0])).not.toMatch(/\bfrom\s*["']/);
  expect(text('app.css')).toContain('.u-legend');
  // What it costs the Team page, besides the first script.
  expect(gzipSync(files.get(charts[0])!.body).length).toBeLessThanOrEqual(30 * 1024);
});
