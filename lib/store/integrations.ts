/**
 * Integration repository: managing integrations. They live in one partition
 * (at most MAX_INTEGRATIONS), listed whole; each key has an item of its own
 * (integration-keys.ts reads it for ingest), named by the key's first
 * characters, holding its hash and a copy of the integration; and its source
 * is its own while it lives (sources.ts). Revoking deletes all three and
 * forgets this instance's cached credential and source owner at once.
 */
import { countIn, countOut } from './counters.js';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { MAX_INTEGRATIONS, type Integration, type IntegrationCredential } from '../domain/integration.js';
import { forget } from './cache.js';
import { credentialCacheKey } from './integration-keys.js';
import { sourceCacheKey } from './sources.js';
import { allIntegrations, type Db } from './entities.js';
import { guard } from './errors.js';
import { queryWhole } from './pagination.js';
import { commitUnlessRefused, conditionFailed } from './transactions.js';

const withoutKeyId = ({ keyId: _keyId, ...integration }: Integration & { keyId: string }): Integration => integration;

export class IntegrationRepository {
  constructor(private readonly db: Db) {}

  /** Every integration, oldest first (ids are random: by creation time). */
  async list(): Promise<Integration[]> {
    const out = await guard(() => queryWhole(this.db, this.db.integration, allIntegrations()).send());
    return (out.Items ?? []).map(withoutKeyId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(integrationId: string): Promise<Integration | undefined> {
    const out = await guard(() => this.db.integration.build(GetItemCommand).key({ integrationId }).options({ consistent: true }).send());
    return out.Item ? withoutKeyId(out.Item) : undefined;
  }

  /**
   * Stores an integration, its key's credential and its hold on its source
   * with the count of integrations, in one transaction: never more than
   * MAX_INTEGRATIONS, never a source someone else holds (`source_taken`). A
   * key name already taken (a 1 in 2^47 draw) is `key_taken`: draw another key.
   */
  async create(credential: IntegrationCredential): Promise<'created' | 'limit_reached' | 'key_taken' | 'source_taken'> {
    const { integration, keyId, keyHash } = credential;
    const transactions = [
      this.db.integration.build(PutTransaction).item({ ...integration, keyId }).options({ condition: { attr: 'integrationId', exists: false } }),
      this.db.integrationKey.build(PutTransaction).item({ keyId, keyHash, integration }).options({ condition: { attr: 'keyId', exists: false } }),
      countIn(this.db, 'integrations', MAX_INTEGRATIONS),
      this.db.sourceOwner
        .build(PutTransaction)
        .item({ source: integration.source, owner: 'integration', integrationId: integration.integrationId })
        .options({ condition: { attr: 'source', exists: false } }),
    ];
    const outcomes = await commitUnlessRefused(transactions);
    forget(this.db.table.getName(), sourceCacheKey(integration.source));
    if (!outcomes) return 'created';
    if (conditionFailed(outcomes[3])) return 'source_taken';
    if (conditionFailed(outcomes[2])) return 'limit_reached';
    if (conditionFailed(outcomes[1])) return 'key_taken';
    throw new Error(`integration id ${integration.integrationId} drawn twice`);
  }

  /** Deletes an integration and its key; false when there is none. */
  async revoke(integrationId: string): Promise<boolean> {
    const out = await guard(() => this.db.integration.build(GetItemCommand).key({ integrationId }).options({ consistent: true }).send());
    const keyId = out.Item?.keyId;
    if (!keyId) return false;
    const source = out.Item!.source;
    const transactions = [
      this.db.integration.build(DeleteTransaction).key({ integrationId }).options({ condition: { attr: 'integrationId', exists: true } }),
      this.db.integrationKey.build(DeleteTransaction).key({ keyId }),
      countOut(this.db, 'integrations'),
      this.db.sourceOwner.build(DeleteTransaction).key({ source }).options({ condition: { attr: 'integrationId', eq: integrationId } }),
    ];
    try {
      // Refused only when revoked by another request in between.
      return (await commitUnlessRefused(transactions)) === undefined;
    } finally {
      forget(this.db.table.getName(), credentialCacheKey(keyId));
      forget(this.db.table.getName(), sourceCacheKey(source));
    }
  }
}
