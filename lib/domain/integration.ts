/**
 * Integrations (SPEC §2 "Alert sources"): a sender's own way in, with its own
 * key. A key is 32 characters of [A-Za-z0-9] (PagerDuty's routing keys are 32
 * characters, and senders that check the length accept ours): the first 8
 * name the key (the lookup, not secret on its own) and the whole key's SHA-256
 * is all that is stored. A presented key is found by its name, then its hash
 * compared in constant time, so how long a refusal takes says nothing about
 * how much of a key was right. 24 random characters are ~143 bits: a hash
 * needs no salt or stretching against guessing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Severity } from './priority.js';

export const INTEGRATION_KINDS = ['alertmanager', 'pagerduty'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** How an integration's payloads map onto alerts; every field optional. */
export interface IntegrationMapping {
  /** The label (Alertmanager) or field (PagerDuty: `source`, `component`, `group`, `class`, `custom_details.<name>`) naming the CI. */
  ciField?: string;
  /** Sender severity → alert severity, over the format's defaults (keys compared lower-cased). */
  severityMap?: Record<string, Severity>;
  /** The `source` its alerts carry; default: the integration's name. */
  source?: string;
}

export interface Integration {
  integrationId: string;
  name: string;
  kind: IntegrationKind;
  mapping: IntegrationMapping;
  /** The `source` its alerts carry: the mapping's, else the name. */
  source: string;
  createdAt: string;
  createdBy: string;
}

/** What the store keeps to check a presented key: the integration and its key's hash. */
export interface IntegrationCredential {
  keyId: string;
  keyHash: string;
  integration: Integration;
}

export const INTEGRATION_KEY_LENGTH = 32;
const KEY_ID_LENGTH = 8;
const KEY_PATTERN = /^[A-Za-z0-9]{32}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** At most this many integrations (409 beyond): each is a key someone must look after. */
export const MAX_INTEGRATIONS = 200;

/** A new random key, 32 characters of [A-Za-z0-9], every character uniformly drawn. */
export function newIntegrationKey(): string {
  let key = '';
  while (key.length < INTEGRATION_KEY_LENGTH) {
    for (const byte of randomBytes(48)) {
      // 248 = 4 × 62: bytes above it would make the first characters likelier.
      if (byte < 248 && key.length < INTEGRATION_KEY_LENGTH) key += ALPHABET[byte % 62];
    }
  }
  return key;
}

export const newIntegrationId = () => `int_${randomBytes(12).toString('hex')}`;

export const keyHashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** The part of a key that names it, or undefined when the text cannot be a key at all. */
export function keyIdOf(presented: string | undefined): string | undefined {
  return presented !== undefined && KEY_PATTERN.test(presented) ? presented.slice(0, KEY_ID_LENGTH) : undefined;
}

/** Whether a presented key is the one whose hash is kept, in time that does not depend on where they differ. */
export function keyMatches(presented: string, keyHash: string): boolean {
  const given = Buffer.from(keyHashOf(presented), 'hex');
  const kept = Buffer.from(keyHash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/** The history actor of what an integration's payloads change. */
export const integrationActor = (integrationId: string) => `integration:${integrationId}`;
