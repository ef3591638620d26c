/**
 * Configuration read on the request path (playbooks, rules, queues, the CI
 * classes playbooks match on) is cached per function instance for at most
 * CONFIG_TTL_MS, so an alert storm does not read the same partition on every
 * raise (SPEC §2: configuration takes effect within 5 s). A change made
 * through this instance forgets its entry at once; other instances see it
 * within the TTL, and a thing just created may be cached as absent no longer.
 */
export const CONFIG_TTL_MS = 5000;

const entries = new Map<string, { until: number; value: Promise<unknown>; settled?: { value: unknown } }>();

/** The cached value for `key` in this table, loaded when absent or older than the TTL. A failed load is not kept. */
export function cached<T>(table: string, key: string, load: () => Promise<T>): Promise<T> {
  const id = `${table}\u0000${key}`;
  const now = Date.now();
  const hit = entries.get(id);
  if (hit && hit.until > now) return hit.value as Promise<T>;
  const value = load();
  const entry: { until: number; value: Promise<unknown>; settled?: { value: unknown } } = { until: now + CONFIG_TTL_MS, value };
  entries.set(id, entry);
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
  entries.set(`${table}\u0000${key}`, { until: Date.now() + CONFIG_TTL_MS, value: Promise.resolve(value), settled: { value } });
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
