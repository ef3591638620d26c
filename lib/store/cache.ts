/**
 * Configuration read on the request path (playbooks, rules, queues, the CI
 * classes playbooks match on) is cached per function instance for at most
 * CONFIG_TTL_MS, so an alert storm does not read the same partition on every
 * raise (SPEC §2: configuration takes effect within 5 s). A change made
 * through this instance forgets its entry at once; other instances see it
 * within the TTL, and a thing just created may be cached as absent no longer.
 */
export const CONFIG_TTL_MS = 5000;
/**
 * The most entries an instance keeps: the least recently used go first. The
 * ingest routes look up any key name a sender presents, so unknown names
 * (a stranger guessing) must not grow it without bound.
 */
export const MAX_CACHE_ENTRIES = 5000;

type Entry = { until: number; value: Promise<unknown>; settled?: { value: unknown } };
/** In the order last used (a Map keeps insertion order: a hit moves its entry to the end). */
const entries = new Map<string, Entry>();

/** Keeps an entry as the most recently used, making room first: expired entries go, then the least recently used. */
function keep(id: string, entry: Entry, now: number): void {
  entries.delete(id);
  if (entries.size >= MAX_CACHE_ENTRIES) {
    for (const [old, e] of entries) if (e.until <= now) entries.delete(old);
    for (const old of entries.keys()) {
      if (entries.size < MAX_CACHE_ENTRIES) break;
      entries.delete(old);
    }
  }
  entries.set(id, entry);
}

/** How many entries this instance holds now. */
export const cacheSize = () => entries.size;

/** The cached value for `key` in this table, loaded when absent or older than the TTL. A failed load is not kept. */
export function cached<T>(table: string, key: string, load: () => Promise<T>): Promise<T> {
  const id = `${table}\u0000${key}`;
  const now = Date.now();
  const hit = entries.get(id);
  if (hit && hit.until > now) {
    keep(id, hit, now);
    return hit.value as Promise<T>;
  }
  const value = load();
  const entry: Entry = { until: now + CONFIG_TTL_MS, value };
  keep(id, entry, now);
  value.then(
    (loaded) => (entry.settled = { value: loaded }),
    () => {
      if (entries.get(id) === entry) entries.delete(id);
    },
  );
  return value;
}

/** Keeps a value this instance has just read anyway (as part of a larger read), as if `cached` had loaded it. */
export function prime<T>(table: string, key: string, value: T): void {
  const now = Date.now();
  keep(`${table}\u0000${key}`, { until: now + CONFIG_TTL_MS, value: Promise.resolve(value), settled: { value } }, now);
}

/** The cached value for `key`, if one is loaded and fresh: lets a caller fold a missing one into a read it makes anyway. */
export function peek<T>(table: string, key: string): { value: T } | undefined {
  const hit = entries.get(`${table}\u0000${key}`);
  return hit && hit.until > Date.now() && hit.settled ? (hit.settled as { value: T }) : undefined;
}

/** Forgets this table's entries whose key starts with `prefix` (a write through this instance). */
export function forget(table: string, prefix: string): void {
  const start = `${table}\u0000${prefix}`;
  for (const id of entries.keys()) if (id.startsWith(start)) entries.delete(id);
}
