/**
 * Service map repository. A CI item carries the ids of the CIs that depend on it
 * (`parents`) and that it depends on (`children`) as string sets, so the impact
 * walk reads a whole frontier, parents included, with one BatchGetItem wave.
 * Imports write through ServiceMapImportRepository (service-map-import.ts).
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import type { FormattedItem } from 'dynamodb-toolbox/entity';
import type { ServiceMapPort } from '../domain/impact.js';
import type { Ci, CiNode } from '../domain/service-map.js';
import { batchGet } from './batch.js';
import { cached } from './cache.js';
import type { Db } from './entities.js';
import { guard } from './errors.js';
import { RETRY_BUDGET_MS } from './retry.js';
import { clock } from '../clock.js';

type CiItem = FormattedItem<Db['ci']>;

export const sorted = (set: Set<string> | undefined): string[] => (set ? [...set].sort() : []);

/** An item holds a CI once the CI itself was imported (a relationship alone only records links). */
function nodeOf(item: CiItem | undefined): CiNode | undefined {
  if (!item?.class || item.name === undefined || item.operationalStatus === undefined) return undefined;
  return { ciId: item.ciId, name: item.name, class: item.class, operationalStatus: item.operationalStatus, parents: sorted(item.parents) };
}

export class ServiceMapRepository implements ServiceMapPort {
  constructor(private readonly db: Db) {}

  read(ciIds: string[], consistent: boolean, deadline?: number) {
    return batchGet(this.db, ciIds.map((ciId) => this.db.ci.build(BatchGetRequest).key({ ciId })), consistent, { deadline });
  }

  async nodes(ciIds: string[], readUntil?: number): Promise<Map<string, CiNode>> {
    // A walk given longer than a store call's budget (a hub's frontier of thousands of CIs on a slow database) may use it.
    const found = await this.read(ciIds, false, readUntil === undefined ? undefined : Math.max(readUntil, clock.now() + RETRY_BUDGET_MS));
    const nodes = new Map<string, CiNode>();
    ciIds.forEach((id, i) => {
      const node = nodeOf(found[i]);
      if (node) nodes.set(id, node);
    });
    return nodes;
  }

  async get(ciId: string): Promise<(Ci & { parents: string[]; children: string[] }) | undefined> {
    const out = await guard(() => this.db.ci.build(GetItemCommand).key({ ciId }).send());
    const node = nodeOf(out.Item);
    if (!node) return undefined;
    return { ...node, children: sorted(out.Item!.children) };
  }

  /** A CI's class, as an alert raise's playbooks match on it: read through the instance's cache (cache.ts). */
  classOf(ciId: string): Promise<Ci['class'] | undefined> {
    return cached(this.db.table.getName(), `ci-class:${ciId}`, async () => (await this.get(ciId))?.class);
  }

  /** Which of these CIs exist. */
  async existing(ciIds: string[]): Promise<Set<string>> {
    return new Set((await this.nodes(ciIds)).keys());
  }
}
