/**
 * What the console's pickers offer (SPEC §8: nobody types an internal id):
 * accounts by name (the ones at hand first, then `GET /accounts?q=`); cases
 * by number or short description (a number found exactly, then the newest
 * cases that still take alerts); open alerts by description. Each returns a
 * handful of options for a Combobox.
 */
import type { Account, Alert, Case, InstallBaseItem, Page } from '../../lib/contract/types.js';
import { CASE_NUMBER_PATTERN } from '../../lib/domain/case.js';
import { isFrozen } from '../../lib/domain/stage-transitions.js';
import { api, ApiError, query } from './api.js';

/** One choice a picker offers (web/src/combobox.tsx draws them). */
export interface Option {
  id: string;
  label: string;
  /** A second line: the account's type, the case's stage… */
  hint?: string;
}

const SHOWN = 10;
const has = (value: string | undefined, text: string) => !text || (value ?? '').toLowerCase().includes(text.toLowerCase());

/** Lists read for a picker are kept a little while: type-ahead asks on every key. */
const FRESH_MS = 15_000;
const kept = new Map<string, { at: number; value: Promise<unknown> }>();
function recent<T>(path: string): Promise<T> {
  const hit = kept.get(path);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.value as Promise<T>;
  const value = api<T>('GET', path);
  kept.set(path, { at: Date.now(), value });
  value.catch(() => kept.delete(path));
  return value;
}

/** Accounts whose name begins with `text`: `first` (the case's or the alert's accounts) lead, then the rest A to Z. */
export async function accountOptions(text: string, first: { accountId: string; accountName: string }[] = []): Promise<Option[]> {
  const local = first.filter((a) => has(a.accountName, text)).map((a) => ({ id: a.accountId, label: a.accountName, hint: 'on this case' }));
  const page = await api<Page<Account>>('GET', `/accounts${query({ q: text || undefined, limit: SHOWN })}`);
  const seen = new Set(local.map((o) => o.id));
  return [...local, ...page.items.filter((a) => !seen.has(a.accountId)).map((a) => ({ id: a.accountId, label: a.name, hint: a.type }))].slice(0, SHOWN);
}

/** A case number as people type it (`1001`, `cs1001`, `CS0001001`), in full, if it can be one. */
export function caseNumberOf(text: string): string | undefined {
  const digits = text.trim().replace(/^cs/i, '');
  if (!/^\d{1,7}$/.test(digits)) return undefined;
  const number = `CS${digits.padStart(7, '0')}`;
  return CASE_NUMBER_PATTERN.test(number) ? number : undefined;
}

const caseOption = (c: Case): Option => ({ id: c.caseId, label: `${c.number} ${c.shortDescription}`, hint: c.stage.replace(/_/g, ' ') });

/** Cases that take alerts: the one whose number was typed, then the newest whose number or short description holds the text. */
export async function caseOptions(text: string): Promise<Option[]> {
  const number = caseNumberOf(text);
  const [exact, newest] = await Promise.all([
    number ? api<Case>('GET', `/cases/${number}`).catch((e) => (e instanceof ApiError && e.status === 404 ? undefined : Promise.reject(e))) : undefined,
    recent<Page<Case>>('/cases?limit=100'),
  ]);
  const open = (c: Case) => !isFrozen(c.stage);
  const found = newest.items.filter((c) => open(c) && c.caseId !== exact?.caseId && (has(c.number, text) || has(c.shortDescription, text)));
  return [...(exact && open(exact) ? [exact] : []), ...found].slice(0, SHOWN).map(caseOption);
}

/** Open alerts whose description, source or CI holds the text, newest first, but those `leaving` out (already in the case). */
export async function alertOptions(text: string, leaving: (a: Alert) => boolean = () => false): Promise<Option[]> {
  const page = await recent<Page<Alert>>('/alerts?state=open&limit=100');
  return page.items
    .filter((a) => !leaving(a) && (has(a.description, text) || has(a.source, text) || has(a.ciId, text)))
    .slice(0, SHOWN)
    .map((a) => ({ id: a.alertId, label: a.description, hint: `${a.severity} · ${a.source}${a.caseNumber ? ` · in ${a.caseNumber}` : ''}` }));
}

/** An account's install base items whose name or CI holds the text, but those `leaving` out (already on the case). */
export async function itemOptions(accountId: string, text: string, leaving: (installBaseItemId: string) => boolean = () => false): Promise<Option[]> {
  const page = await recent<{ installBaseItems: InstallBaseItem[] }>(`/accounts/${encodeURIComponent(accountId)}/install-base?limit=100`);
  return page.installBaseItems
    .filter((i) => !leaving(i.installBaseItemId) && (has(i.name, text) || has(i.ciId, text)))
    .slice(0, SHOWN)
    .map((i) => ({ id: i.installBaseItemId, label: i.name, hint: i.ciId }));
}

/** Forgets the lists kept for pickers (after a change that moves alerts or cases). */
export const forgetPicked = () => kept.clear();
