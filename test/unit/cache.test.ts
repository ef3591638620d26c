/**
 * The configuration cache (SPEC §2: configuration takes effect within 5 s): a
 * value is read at most once per 5 s per instance, a change through the
 * instance is seen at once, and nothing is served older than 5 s; and a
 * stranger's guessing (the ingest routes look up every key name presented)
 * cannot grow an instance's memory without bound.
 */
import { cached, cacheSize, CONFIG_TTL_MS, forget, MAX_CACHE_ENTRIES, peek, prime } from '../../lib/store/cache.js';

const realNow = Date.now;
let clock = 1_000_000;
beforeEach(() => {
  Date.now = () => clock;
});
afterEach(() => {
  Date.now = realNow;
});

let table = 0;
const freshTable = () => `t${++table}`;

it('reads once per 5 s and serves what it read in between', async () => {
  const t = freshTable();
  let reads = 0;
  const load = async () => ++reads;
  expect(await cached(t, 'playbooks', load)).toBe(1);
  clock += CONFIG_TTL_MS - 1;
  expect(await cached(t, 'playbooks', load)).toBe(1);
  clock += 1;
  expect(await cached(t, 'playbooks', load)).toBe(2);
  expect(CONFIG_TTL_MS).toBeLessThanOrEqual(5000);
});

it('forgets what this instance changed, at once', async () => {
  const t = freshTable();
  let value = 'before';
  expect(await cached(t, 'queue:tier1', async () => value)).toBe('before');
  value = 'after';
  forget(t, 'queue');
  expect(await cached(t, 'queue:tier1', async () => value)).toBe('after');
});

it('keeps no failed read, and shares one read between callers that ask at once', async () => {
  const t = freshTable();
  let reads = 0;
  await expect(cached(t, 'rule', async () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
  const both = await Promise.all([cached(t, 'rule', async () => ++reads), cached(t, 'rule', async () => ++reads)]);
  expect(both).toEqual([1, 1]);
});

it('offers a value only while it is loaded and fresh, and takes one read along with something else', async () => {
  const t = freshTable();
  expect(peek(t, 'queue:tier2')).toBeUndefined();
  prime(t, 'queue:tier2', { queueId: 'tier2', members: [] });
  expect(peek(t, 'queue:tier2')).toEqual({ value: { queueId: 'tier2', members: [] } });
  clock += CONFIG_TTL_MS;
  expect(peek(t, 'queue:tier2')).toBeUndefined();
});

it('keeps tables apart', async () => {
  const [a, b] = [freshTable(), freshTable()];
  await cached(a, 'playbooks', async () => 'a');
  expect(await cached(b, 'playbooks', async () => 'b')).toBe('b');
});

it('stays at its cap after 10,000 distinct unknown keys, keeping the entries in use', async () => {
  const t = freshTable();
  let loads = 0;
  const unknown = async () => {
    loads++;
    return undefined;
  };
  await cached(t, 'playbooks', async () => 'in use');
  for (let i = 0; i < 10_000; i++) {
    await cached(t, `integrationkey:guess${i}`, unknown);
    // The configuration is read on every request: it stays.
    if (i % 100 === 0) expect(await cached(t, 'playbooks', async () => 'read again')).toBe('in use');
  }
  expect(loads).toBe(10_000);
  expect(MAX_CACHE_ENTRIES).toBeLessThan(10_000);
  expect(cacheSize()).toBe(MAX_CACHE_ENTRIES);
});

it('drops every expired entry when it is full, not only the one that makes room', async () => {
  const t = freshTable();
  for (let i = 0; i < MAX_CACHE_ENTRIES; i++) await cached(t, `old${i}`, async () => i);
  expect(cacheSize()).toBe(MAX_CACHE_ENTRIES);
  clock += CONFIG_TTL_MS + 1;
  await cached(t, 'fresh', async () => 'new');
  expect(cacheSize()).toBe(1);
});
