/** The console's build (web/build.ts): the files it is served as, and the size bar of SPEC §8. */
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../../web/build.js';

const files = buildConsole({ mode: 'local' });

it('builds a page, its script and its styles, and the config it is given', () => {
  expect([...files.keys()].sort()).toEqual(['app.css', 'app.js', 'config.json', 'index.html']);
  const html = new TextDecoder().decode(files.get('index.html')!.body);
  expect(html).toContain('<script type="module" src="/console/app.js"></script>');
  expect(html).toContain('lang="en"');
  expect(JSON.parse(new TextDecoder().decode(files.get('config.json')!.body))).toEqual({ mode: 'local' });
});

it('keeps the initial JavaScript within 80 KB gzipped, with no Node module left in it', () => {
  const js = files.get('app.js')!.body;
  expect(gzipSync(js).length).toBeLessThanOrEqual(80 * 1024);
  expect(new TextDecoder().decode(js)).not.toMatch(/from\s*["']node:/);
});
