/** A record's history as people read it: pages, and the look for news a form makes while it is open. */
import type { HistoryEntry, HistoryOrder } from '../domain/history.js';
import type { Page } from '../store/pagination.js';
import type { Repositories } from './context.js';

export interface HistoryRead {
  limit: number;
  cursor?: string;
  order?: HistoryOrder;
  /** Where the newest entry the reader has stands (the `mark` a look was answered with). */
  seen?: string;
}

export type HistoryAnswer = { unchanged: true } | { page: Page<HistoryEntry>; mark?: string };

/**
 * A page of a record's history; 404 for a record that does not exist. A
 * look for news (the newest entry alone) is answered with its `mark`, and,
 * from a reader who has seen that mark, with `unchanged` when no entry has
 * come after it: found without reading an item. (An entry whose time is
 * older than the newest, an attached alert's late change, changes no look.)
 */
export async function readHistory(repos: Repositories, owner: { kind: 'alert' | 'case'; id: string }, read: HistoryRead, requireOwner: () => Promise<unknown>): Promise<HistoryAnswer> {
  const look = read.order === 'newest' && read.limit === 1 && read.cursor === undefined;
  if (look && read.seen !== undefined && (await repos.history.hasAfter(owner, read.seen)) === false) return { unchanged: true };
  const { mark, ...page } = await repos.history.list(owner, read.limit, read.cursor, read.order);
  // A record with history exists (history is never deleted): only an empty first page needs the record read, for its 404.
  if (page.items.length === 0 && read.cursor === undefined) await requireOwner();
  return look && mark !== undefined ? { page, mark } : { page };
}
