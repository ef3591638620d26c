/**
 * What an ingest request reads: the credential a key's name points to, one
 * GetItem through the instance's cache (cache.ts), so a revoked key stops
 * working within 5 s (at once on the instance that revoked it:
 * integrations.ts forgets the entry). A new key's name has not been looked up
 * before, so a new key works at once everywhere. The ingest functions bring
 * this and not the management of integrations.
 */
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import type { IntegrationCredential } from '../domain/integration.js';
import { cached } from './cache.js';
import type { Db } from './entities.js';
import { guard } from './errors.js';

export const credentialCacheKey = (keyId: string) => `integrationkey:${keyId}`;

export class IntegrationKeyRepository {
  constructor(private readonly db: Db) {}

  /** The credential a key's name points to, read at most once per 5 s per instance (absent ones too: a storm of wrong keys costs one read each 5 s). */
  credential(keyId: string): Promise<IntegrationCredential | undefined> {
    return cached(this.db.table.getName(), credentialCacheKey(keyId), async () => {
      const out = await guard(() => this.db.integrationKey.build(GetItemCommand).key({ keyId }).options({ consistent: true }).send());
      return out.Item ? { keyId, keyHash: out.Item.keyHash, integration: out.Item.integration } : undefined;
    });
  }
}
