/**
 * Service map imports (catalog-api only): CIs and relationships merged into
 * the CI items, under an import lock. Apart from the reads of the map so that
 * the functions that only read it do not bundle the writes.
 */
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { createHash } from 'node:crypto';
import { Conflict } from '../domain/errors.js';
import type { Ci } from '../domain/service-map.js';
import { batchWrite } from './batch.js';
import type { Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';
import { itemSize, MAX_ITEM_BYTES } from './item-size.js';
import { ServiceMapRepository, sorted } from './service-map.js';

/** Longer than an import may run (the import function's timeout), so a crashed import frees the lock. */
const IMPORT_LOCK_SECONDS = 60;

export class ServiceMapImportRepository {
  private readonly map: ServiceMapRepository;

  constructor(private readonly db: Db) {
    this.map = new ServiceMapRepository(db);
  }

  /**
   * Writes CIs (attributes replaced, links kept) and adds relationships, as
   * whole items in batches: the items touched are read, merged and put back,
   * 25 a call, under an import lock that is held until the last write has
   * finished. All or nothing as answered: a CI that would pass the size of an
   * item is refused before anything is written (returned, for the caller to
   * name its row); calls the database does not answer in time are tried again
   * until `deadline` (epoch ms), then it is a 503, and sending the same import
   * again completes it (the merge adds what is missing).
   */
  async importRows(
    cis: Ci[],
    relationships: { parentId: string; childId: string }[],
    at: string,
    deadline?: number,
  ): Promise<{ tooLarge: { ciId: string; bytes: number }[] }> {
    const touched = new Map<string, { ci?: Ci; parents: Set<string>; children: Set<string> }>();
    const entry = (id: string) => touched.get(id) ?? touched.set(id, { parents: new Set(), children: new Set() }).get(id)!;
    for (const ci of cis) entry(ci.ciId).ci = ci;
    for (const r of relationships) {
      entry(r.childId).parents.add(r.parentId);
      entry(r.parentId).children.add(r.childId);
    }
    let tooLarge: { ciId: string; bytes: number }[] = [];
    // The same import sent again (after a 503) takes over the lock its first attempt may have left behind.
    const holder = createHash('sha256').update(JSON.stringify([cis, relationships])).digest('hex');
    await this.withImportLock(at, holder, async () => {
      const ids = [...touched.keys()];
      const stored = await this.map.read(ids, true, deadline);
      const puts = ids.map((ciId, i) => {
        const before = stored[i];
        const change = touched.get(ciId)!;
        const parents = new Set([...sorted(before?.parents), ...change.parents]);
        const children = new Set([...sorted(before?.children), ...change.children]);
        return this.db.ci.build(BatchPutRequest).item({
          ...before,
          ciId,
          ...(change.ci ? { name: change.ci.name, class: change.ci.class, operationalStatus: change.ci.operationalStatus, updatedAt: at } : {}),
          // DynamoDB keeps no empty sets.
          parents: parents.size ? parents : undefined,
          children: children.size ? children : undefined,
        });
      });
      tooLarge = puts.flatMap((put, i) => {
        const bytes = itemSize((put.params() as { PutRequest: { Item: Record<string, unknown> } }).PutRequest.Item);
        return bytes > MAX_ITEM_BYTES ? [{ ciId: ids[i], bytes }] : [];
      });
      if (tooLarge.length === 0) await batchWrite(this.db, puts, { deadline });
    });
    return { tooLarge };
  }

  private async withImportLock(at: string, holder: string, work: () => Promise<void>): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const lockId = 'service-map-import';
    try {
      await guard(() =>
        this.db.lock
          .build(PutItemCommand)
          .item({ lockId, since: at, expiresAt: now + IMPORT_LOCK_SECONDS, holder })
          .options({ condition: { or: [{ attr: 'lockId', exists: false }, { attr: 'expiresAt', lt: now }, { attr: 'holder', eq: holder }] } })
          .send(),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new Conflict('Another service map import is running; send this one again when it has finished.');
      throw error;
    }
    try {
      await work();
    } finally {
      await guard(() => this.db.lock.build(DeleteItemCommand).key({ lockId }).options({ condition: { attr: 'holder', eq: holder } }).send()).catch(() => undefined);
    }
  }
}
