/**
 * Service map repository. A CI item carries the ids of the CIs that depend on it
 * (`parents`) and that it depends on (`children`) as string sets, so the impact
 * walk reads a whole frontier, parents included, with one BatchGetItem wave.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors.js';
import type { ServiceMapPort } from '../domain/impact.js';
import type { Ci, CiNode } from '../domain/service-map.js';
import { batchGet, batchWrite, lookup } from './batch.js';
import { guard, isConditionFailure } from './errors.js';
import { keys } from './keys.js';
import type { Store } from './store.js';

type Item = Record<string, unknown>;

/** Longer than an import may run (the import function's timeout), so a crashed import frees the lock. */
const IMPORT_LOCK_SECONDS = 60;
const sorted = (set: unknown): string[] => (set instanceof Set ? [...(set as Set<string>)].sort() : []);

/** An item holds a CI once the CI itself was imported (a relationship alone only records links). */
function nodeOf(item: Item | undefined): CiNode | undefined {
  if (!item?.class) return undefined;
  return {
    ciId: item.ciId as string,
    name: item.name as string,
    class: item.class as Ci['class'],
    operationalStatus: item.operationalStatus as Ci['operationalStatus'],
    parents: sorted(item.parents),
  };
}

export class ServiceMapRepository implements ServiceMapPort {
  constructor(private readonly store: Store) {}

  async nodes(ciIds: string[]): Promise<Map<string, CiNode>> {
    const found = await batchGet(this.store, ciIds.map(keys.ci), false);
    const nodes = new Map<string, CiNode>();
    for (const id of ciIds) {
      const node = nodeOf(lookup(found, keys.ci(id)));
      if (node) nodes.set(id, node);
    }
    return nodes;
  }

  async get(ciId: string): Promise<(Ci & { parents: string[]; children: string[] }) | undefined> {
    const out = await guard(() => this.store.doc.send(new GetCommand({ TableName: this.store.tableName, Key: keys.ci(ciId) })));
    const node = nodeOf(out.Item);
    if (!node) return undefined;
    return { ...node, children: sorted(out.Item!.children) };
  }

  /** Which of these CIs exist. */
  async existing(ciIds: string[]): Promise<Set<string>> {
    return new Set((await this.nodes(ciIds)).keys());
  }

  /**
   * Writes CIs (attributes replaced, links kept) and adds relationships, as
   * whole items in batches: the items touched are read, merged and put back,
   * 25 a call. An import lock keeps two imports from merging over each other.
   */
  async importRows(cis: Ci[], relationships: { parentId: string; childId: string }[], at: string): Promise<void> {
    const touched = new Map<string, { ci?: Ci; parents: Set<string>; children: Set<string> }>();
    const entry = (id: string) => touched.get(id) ?? touched.set(id, { parents: new Set(), children: new Set() }).get(id)!;
    for (const ci of cis) entry(ci.ciId).ci = ci;
    for (const r of relationships) {
      entry(r.childId).parents.add(r.parentId);
      entry(r.parentId).children.add(r.childId);
    }
    await this.withImportLock(at, async () => {
      const stored = await batchGet(this.store, [...touched.keys()].map(keys.ci));
      const items = [...touched.entries()].map(([ciId, change]) => {
        const before = lookup(stored, keys.ci(ciId)) ?? {};
        const parents = new Set([...sorted(before.parents), ...change.parents]);
        const children = new Set([...sorted(before.children), ...change.children]);
        return {
          ...before,
          ...keys.ci(ciId),
          entity: 'ci',
          ciId,
          ...(change.ci ? { name: change.ci.name, class: change.ci.class, operationalStatus: change.ci.operationalStatus, updatedAt: at } : {}),
          // DynamoDB keeps no empty sets.
          parents: parents.size ? parents : undefined,
          children: children.size ? children : undefined,
        };
      });
      await batchWrite(this.store, items);
    });
  }

  private async withImportLock(at: string, work: () => Promise<void>): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const lock = { pk: 'LOCK#service-map-import', sk: 'LOCK' };
    try {
      await guard(() =>
        this.store.doc.send(
          new PutCommand({
            TableName: this.store.tableName,
            Item: { ...lock, entity: 'lock', since: at, expiresAt: now + IMPORT_LOCK_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new Conflict('Another service map import is running; send this one again when it has finished.');
      throw error;
    }
    try {
      await work();
    } finally {
      await guard(() => this.store.doc.send(new DeleteCommand({ TableName: this.store.tableName, Key: lock }))).catch(() => undefined);
    }
  }
}
