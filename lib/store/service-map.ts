/**
 * Service map repository. A CI item carries the ids of the CIs that depend on it
 * (`parents`) and that it depends on (`children`) as string sets, so the impact
 * walk reads a whole frontier, parents included, with one BatchGetItem wave.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceMapPort } from '../domain/impact.js';
import type { Ci, CiNode } from '../domain/service-map.js';
import { batchGet, lookup, mapLimit } from './batch.js';
import { guard } from './errors.js';
import { keys } from './keys.js';
import type { Store } from './store.js';

type Item = Record<string, unknown>;

const WRITE_CONCURRENCY = 32;
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

  /** Creates or updates CIs; their relationships are kept. */
  async putCis(cis: Ci[], at: string): Promise<void> {
    await mapLimit(cis, WRITE_CONCURRENCY, (ci) =>
      guard(() =>
        this.store.doc.send(
          new UpdateCommand({
            TableName: this.store.tableName,
            Key: keys.ci(ci.ciId),
            UpdateExpression: 'SET ciId = :id, #name = :name, #class = :class, operationalStatus = :status, entity = :entity, updatedAt = :at',
            ExpressionAttributeNames: { '#name': 'name', '#class': 'class' },
            ExpressionAttributeValues: { ':id': ci.ciId, ':name': ci.name, ':class': ci.class, ':status': ci.operationalStatus, ':entity': 'ci', ':at': at },
          }),
        ),
      ),
    );
  }

  /** Adds `parent depends_on child` links: sets, so a re-import adds nothing twice. One write per CI touched. */
  async addRelationships(relationships: { parentId: string; childId: string }[]): Promise<void> {
    const add = new Map<string, { parents: Set<string>; children: Set<string> }>();
    const entry = (id: string) => add.get(id) ?? add.set(id, { parents: new Set(), children: new Set() }).get(id)!;
    for (const r of relationships) {
      entry(r.childId).parents.add(r.parentId);
      entry(r.parentId).children.add(r.childId);
    }
    await mapLimit([...add.entries()], WRITE_CONCURRENCY, ([ciId, links]) => {
      const parts = [...(links.parents.size ? ['parents :parents'] : []), ...(links.children.size ? ['children :children'] : [])];
      return guard(() =>
        this.store.doc.send(
          new UpdateCommand({
            TableName: this.store.tableName,
            Key: keys.ci(ciId),
            UpdateExpression: `ADD ${parts.join(', ')}`,
            ExpressionAttributeValues: {
              ...(links.parents.size ? { ':parents': links.parents } : {}),
              ...(links.children.size ? { ':children': links.children } : {}),
            },
          }),
        ),
      );
    });
  }
}
