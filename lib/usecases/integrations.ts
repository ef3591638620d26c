/**
 * Integrations (SPEC §2 "Alert sources"): created by an admin with a key shown
 * once, found again by the key a sender presents, revoked.
 */
import { Conflict, NotFound } from '../domain/errors.js';
import {
  keyHashOf,
  keyIdOf,
  keyMatches,
  MAX_INTEGRATIONS,
  newIntegrationId,
  newIntegrationKey,
  type Integration,
  type IntegrationKind,
  type IntegrationMapping,
} from '../domain/integration.js';
import type { Actor, Repositories } from './context.js';
import { now } from './context.js';

export interface IntegrationInput {
  name: string;
  kind: IntegrationKind;
  mapping?: IntegrationMapping;
}

/** Creates an integration and its key: the only time the key is shown. */
export async function createIntegration(repos: Repositories, input: IntegrationInput, actor: Actor): Promise<Integration & { key: string }> {
  const mapping = input.mapping ?? {};
  const integration: Integration = {
    integrationId: newIntegrationId(),
    name: input.name,
    kind: input.kind,
    mapping,
    source: mapping.source ?? input.name,
    createdAt: now(),
    createdBy: actor,
  };
  if (integration.source.startsWith('aws.')) {
    throw new Conflict(`Source '${integration.source}' is reserved for AWS events (aws.*); choose another name or mapping.source.`, { field: 'source' });
  }
  for (;;) {
    const key = newIntegrationKey();
    const outcome = await repos.integrations.create({ integration, keyId: keyIdOf(key)!, keyHash: keyHashOf(key) });
    if (outcome === 'created') return { ...integration, key };
    if (outcome === 'source_taken') {
      throw new Conflict(
        `Source '${integration.source}' is taken: another live integration, or alerts raised through POST /alerts or Alert Raised, carry it. Choose another name or mapping.source (to rotate a key, revoke the integration first).`,
        { field: 'source' },
      );
    }
    if (outcome === 'limit_reached') {
      throw new Conflict(`There are already ${MAX_INTEGRATIONS} integrations, the most there may be; revoke one first.`, { limit: MAX_INTEGRATIONS });
    }
    // key_taken: another key already has this one's name; draw again.
  }
}

export async function revokeIntegration(repos: Repositories, integrationId: string): Promise<void> {
  if (!(await repos.integrations.revoke(integrationId))) throw new NotFound(`Integration '${integrationId}' does not exist.`);
}

/**
 * The integration of `kind` whose key this is; undefined for a missing,
 * malformed, unknown or revoked key, or one of another kind. What cannot be a
 * key at all (a user's JWT) never reaches the table: `context.repos` is read
 * only for a key of the right shape.
 */
export async function integrationOfKey(context: { repos: Repositories }, kind: IntegrationKind, presented: string | undefined): Promise<Integration | undefined> {
  const keyId = keyIdOf(presented);
  if (keyId === undefined) return undefined;
  const credential = await context.repos.integrationKeys.credential(keyId);
  if (!credential || !keyMatches(presented!, credential.keyHash)) return undefined;
  return credential.integration.kind === kind ? credential.integration : undefined;
}
