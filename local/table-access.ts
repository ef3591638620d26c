/**
 * Which table actions each function really uses, seen from the calls it makes
 * in the local runtime, against what lib/functions.ts grants it in AWS. A call
 * outside the grant would be an AccessDenied in the deployed stack; here the
 * end-to-end tests catch it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { FUNCTIONS } from '../lib/functions.js';
import { onDocumentClient } from '../lib/store/client.js';

const running = new AsyncLocalStorage<string>();

/** Runs the handler as `functionName`, so its table calls (and log lines: runningFunction) are attributed to it. */
export function asFunction<A extends unknown[], R>(functionName: string, handler: (...args: A) => R): (...args: A) => R {
  return (...args: A) => running.run(functionName, () => handler(...args));
}

/** The function whose invocation this code runs in, if any. */
export const runningFunction = (): string | undefined => running.getStore();

const ACTION_OF: Record<string, string> = {
  GetItemCommand: 'GetItem',
  PutItemCommand: 'PutItem',
  UpdateItemCommand: 'UpdateItem',
  DeleteItemCommand: 'DeleteItem',
  QueryCommand: 'Query',
  BatchGetItemCommand: 'BatchGetItem',
  BatchWriteItemCommand: 'BatchWriteItem',
};
const ITEM_ACTION: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };

/** Every `function → action` (and `Query:<index>`) seen since the runtime started. */
export const tableCalls = new Map<string, Set<string>>();
/** How many requests each function sent to the table (a transaction counts once). */
export const tableCallCounts = new Map<string, number>();
/** How many items each function's calls read: what queries scanned, what gets found. */
export const tableItemsRead = new Map<string, number>();
const add = (counts: Map<string, number>, fn: string, n: number) => counts.set(fn, (counts.get(fn) ?? 0) + n);

function record(functionName: string, action: string) {
  const seen = tableCalls.get(functionName) ?? tableCalls.set(functionName, new Set()).get(functionName)!;
  seen.add(action);
}

let installed = false;
export function watchTableCalls(): void {
  if (installed) return;
  installed = true;
  onDocumentClient((doc) =>
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const fn = running.getStore();
        if (fn) {
          add(tableCallCounts, fn, 1);
          const input = args.input as { IndexName?: string; TransactItems?: Record<string, unknown>[] };
          if (context.commandName === 'TransactWriteItemsCommand') {
            for (const item of input.TransactItems ?? []) for (const kind of Object.keys(item)) record(fn, ITEM_ACTION[kind] ?? kind);
          } else {
            const action = ACTION_OF[context.commandName as string] ?? String(context.commandName);
            record(fn, action === 'Query' && input.IndexName ? `Query:${input.IndexName}` : action);
          }
        }
        const out = await next(args);
        if (fn) {
          const o = (out.output ?? {}) as { ScannedCount?: number; Item?: unknown; Responses?: Record<string, unknown[]> };
          add(tableItemsRead, fn, o.ScannedCount ?? (o.Item ? 1 : 0) + Object.values(o.Responses ?? {}).reduce((n, items) => n + items.length, 0));
        }
        return out;
      },
      { step: 'initialize', name: 'watchTableCalls' },
    ),
  );
}

/** The calls seen that a function's grant does not allow. */
export function callsOutsideGrants(): string[] {
  const outside: string[] = [];
  for (const [fn, actions] of tableCalls) {
    const spec = FUNCTIONS.find((f) => f.name === fn);
    const allowed = new Set([...(spec?.table?.actions ?? []), ...(spec?.table?.indexes ?? []).map((i) => `Query:${i}`)]);
    for (const action of actions) if (!allowed.has(action)) outside.push(`${fn}: ${action}`);
  }
  return outside.sort();
}
