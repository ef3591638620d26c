import fc from 'fast-check';
import { impactedCisOf, type ServiceMapPort } from '../../lib/domain/impact.js';
import { healthOf, groupByAccount } from '../../lib/domain/install-base.js';
import type { CiClass, CiNode, OperationalStatus } from '../../lib/domain/service-map.js';

type Spec = Record<string, { class: CiClass; status?: OperationalStatus; parents?: string[] }>;

/** An in-memory service map; counts the frontier calls. */
function graph(spec: Spec): ServiceMapPort & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async nodes(ids) {
      calls.push(ids);
      const found = new Map<string, CiNode>();
      for (const id of ids) {
        const s = spec[id];
        if (s) found.set(id, { ciId: id, name: id.toUpperCase(), class: s.class, operationalStatus: s.status ?? 'operational', parents: s.parents ?? [] });
      }
      return found;
    },
  };
}

const idsOf = (r: { impactedCis: { ciId: string }[] }) => r.impactedCis.map((c) => c.ciId).sort();

describe('impact walk', () => {
  it('lists the alert CI and every service depending on it, each with its path', async () => {
    const map = graph({
      db: { class: 'database', parents: ['app'] },
      app: { class: 'application', parents: ['svc-orders', 'svc-billing'] },
      'svc-orders': { class: 'application_service', parents: ['bs-shop'] },
      'svc-billing': { class: 'technical_service' },
      'bs-shop': { class: 'business_service' },
    });
    const result = await impactedCisOf('db', map);
    expect(result.truncated).toBe(false);
    expect(result.impactedCis).toEqual([
      { ciId: 'db', name: 'DB', class: 'database', kind: 'alert_ci', path: ['db'] },
      { ciId: 'svc-orders', name: 'SVC-ORDERS', class: 'application_service', kind: 'service', path: ['db', 'app', 'svc-orders'] },
      { ciId: 'svc-billing', name: 'SVC-BILLING', class: 'technical_service', kind: 'service', path: ['db', 'app', 'svc-billing'] },
      { ciId: 'bs-shop', name: 'BS-SHOP', class: 'business_service', kind: 'service', path: ['db', 'app', 'svc-orders', 'bs-shop'] },
    ]);
  });

  it('asks for a whole frontier at once: one call per level', async () => {
    const map = graph({
      db: { class: 'database', parents: ['a1', 'a2', 'a3'] },
      a1: { class: 'application', parents: ['s1', 's2'] },
      a2: { class: 'application', parents: ['s2', 's3'] },
      a3: { class: 'application', parents: ['s3'] },
      s1: { class: 'business_service' },
      s2: { class: 'business_service' },
      s3: { class: 'business_service' },
    });
    const result = await impactedCisOf('db', map);
    expect(map.calls).toEqual([['db'], ['a1', 'a2', 'a3'], ['s1', 's2', 's3']]);
    expect(result.waves).toBe(3);
    expect(idsOf(result)).toEqual(['db', 's1', 's2', 's3']);
  });

  it('visits a CI reached by several paths once (fan-in)', async () => {
    const map = graph({
      x: { class: 'server', parents: ['a', 'b'] },
      a: { class: 'application', parents: ['svc'] },
      b: { class: 'application', parents: ['svc'] },
      svc: { class: 'business_service' },
    });
    const result = await impactedCisOf('x', map);
    expect(result.impactedCis.filter((c) => c.ciId === 'svc')).toHaveLength(1);
    expect(map.calls.flat().filter((id) => id === 'svc')).toHaveLength(1);
  });

  it('terminates on cycles', async () => {
    const map = graph({
      a: { class: 'application_service', parents: ['b'] },
      b: { class: 'application_service', parents: ['c'] },
      c: { class: 'application_service', parents: ['a'] },
    });
    const result = await impactedCisOf('a', map);
    expect(idsOf(result)).toEqual(['a', 'b', 'c']);
    expect(result.truncated).toBe(false);
  });

  it('neither lists nor passes impact through CIs in maintenance or retired', async () => {
    const map = graph({
      db: { class: 'database', parents: ['app-down', 'app-ok'] },
      'app-down': { class: 'application', status: 'maintenance', parents: ['svc-hidden'] },
      'app-ok': { class: 'application', parents: ['svc-retired', 'svc-ok'] },
      'svc-hidden': { class: 'business_service' },
      'svc-retired': { class: 'business_service', status: 'retired' },
      'svc-ok': { class: 'business_service' },
    });
    expect(idsOf(await impactedCisOf('db', map))).toEqual(['db', 'svc-ok']);
    expect((await impactedCisOf('app-down', map)).impactedCis).toEqual([]);
  });

  it('has no impacted CIs for an unknown CI or an alert without one', async () => {
    const map = graph({});
    expect(await impactedCisOf('ghost', map)).toEqual({ impactedCis: [], truncated: false, waves: 1 });
    expect(await impactedCisOf(undefined, map)).toEqual({ impactedCis: [], truncated: false, waves: 0 });
  });

  it('stops at the depth bound on a long chain and says so', async () => {
    const spec: Spec = {};
    for (let i = 0; i < 200; i++) spec[`c${i}`] = { class: 'application_service', parents: [`c${i + 1}`] };
    const result = await impactedCisOf('c0', graph(spec), 10);
    expect(result.truncated).toBe(true);
    expect(result.impactedCis).toHaveLength(11);
    expect(result.impactedCis.at(-1)?.path).toHaveLength(11);
    const whole = await impactedCisOf('c0', graph(spec), 500);
    expect(whole.truncated).toBe(false);
    expect(whole.impactedCis).toHaveLength(200);
  });

  it('agrees with a plain reference walk on random graphs', async () => {
    const classes: CiClass[] = ['business_service', 'application_service', 'application', 'server', 'database'];
    const statuses: OperationalStatus[] = ['operational', 'operational', 'operational', 'maintenance', 'retired'];
    const arbGraph = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.record({
        nodes: fc.array(fc.record({ cls: fc.constantFrom(...classes), status: fc.constantFrom(...statuses), parents: fc.uniqueArray(fc.nat(n - 1), { maxLength: 4 }) }), {
          minLength: n,
          maxLength: n,
        }),
        start: fc.nat(n - 1),
        maxDepth: fc.integer({ min: 0, max: 8 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arbGraph, async ({ nodes, start, maxDepth }) => {
        const spec: Spec = Object.fromEntries(nodes.map((n, i) => [`n${i}`, { class: n.cls, status: n.status, parents: n.parents.map((p) => `n${p}`) }]));
        const result = await impactedCisOf(`n${start}`, graph(spec), maxDepth);

        // Reference: distances over operational CIs only, one step at a time.
        const distance = new Map<string, number>();
        if (spec[`n${start}`].status === 'operational') distance.set(`n${start}`, 0);
        let layer = [...distance.keys()];
        let truncated = false;
        for (let d = 1; layer.length > 0; d++) {
          const next: string[] = [];
          for (const id of layer)
            for (const p of spec[id].parents ?? [])
              if (!distance.has(p) && !next.includes(p)) {
                if (d > maxDepth) truncated = true;
                else if (spec[p].status === 'operational') next.push(p);
                else distance.set(p, -1); // seen, not impacted
              }
          for (const id of next) distance.set(id, d);
          layer = next;
        }
        const expected = [...distance.entries()]
          .filter(([id, d]) => d >= 0 && (d === 0 || spec[id].class.endsWith('_service')))
          .map(([id]) => id)
          .sort();
        expect(idsOf(result)).toEqual(expected);
        for (const c of result.impactedCis) {
          expect(c.path[0]).toBe(`n${start}`);
          expect(c.path.at(-1)).toBe(c.ciId);
          expect(c.path.length - 1).toBe(distance.get(c.ciId));
          for (let i = 1; i < c.path.length; i++) expect(spec[c.path[i - 1]].parents).toContain(c.path[i]);
        }
        if (truncated) expect(result.truncated).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('install base views', () => {
  it('gives the worst open-alert severity, else ok', () => {
    expect(healthOf([])).toBe('ok');
    expect(healthOf(['minor', 'critical', 'warning'])).toBe('critical');
    expect(healthOf(['info', 'warning'])).toBe('warning');
  });

  it('groups affected items by account', () => {
    const item = (id: string, accountId: string, accountName: string) => ({
      installBaseItemId: id,
      accountId,
      accountName,
      accountType: 'external' as const,
      soldProductId: 'sp',
      ciId: 'ci',
      name: id,
    });
    expect(groupByAccount([item('i2', 'b', 'Beta'), item('i1', 'a', 'Acme'), item('i3', 'b', 'Beta')])).toEqual([
      { accountId: 'a', accountName: 'Acme', accountType: 'external', items: [{ installBaseItemId: 'i1', name: 'i1', ciId: 'ci', soldProductId: 'sp' }] },
      {
        accountId: 'b',
        accountName: 'Beta',
        accountType: 'external',
        items: [
          { installBaseItemId: 'i2', name: 'i2', ciId: 'ci', soldProductId: 'sp' },
          { installBaseItemId: 'i3', name: 'i3', ciId: 'ci', soldProductId: 'sp' },
        ],
      },
    ]);
  });
});
