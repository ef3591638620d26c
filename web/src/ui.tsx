/** The console's small shared pieces: loading data, showing a refusal, a labelled field with its error, hash links. */
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Page } from './api.js';

/** Loads data when its dependencies change; `reload` loads it again. An answer older than the latest request is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; loading: boolean; reload: () => Promise<void> } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const request = ++latest.current;
    try {
      const data = await load();
      if (request === latest.current) setState({ data, loading: false });
    } catch (error) {
      if (request === latest.current) setState((s) => ({ ...s, error, loading: false }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    void reload();
  }, [reload]);
  return { ...state, reload };
}

/** A list read a page at a time: the first page when its dependencies change, `more` for the next. */
export function usePaged<T>(load: (cursor?: string) => Promise<Page<T>>, deps: unknown[]) {
  const first = useLoad(() => load(), deps);
  const [extra, setExtra] = useState<{ items: T[]; next: string | null; error?: unknown }>({ items: [], next: null });
  useEffect(() => setExtra({ items: [], next: null }), [first.data]);
  const next = extra.items.length ? extra.next : (first.data?.nextCursor ?? null);
  const more = async () => {
    if (!next) return;
    try {
      const page = await load(next);
      setExtra((e) => ({ items: [...e.items, ...page.items], next: page.nextCursor }));
    } catch (error) {
      setExtra((e) => ({ ...e, error }));
    }
  };
  return { items: [...(first.data?.items ?? []), ...extra.items], loaded: first.data !== undefined, error: first.error ?? extra.error, hasMore: next !== null, more, reload: first.reload };
}

/** "Show more", when a list has more. */
export const More = ({ list, label }: { list: { hasMore: boolean; more: () => Promise<void> }; label: string }) =>
  list.hasMore ? (
    <button type="button" onClick={() => void list.more()}>
      {label}
    </button>
  ) : null;

/** Previous / next page of a list read by cursor: the cursors of the pages before, the current one last. */
export function Pager({ cursors, setCursors, nextCursor }: { cursors: string[]; setCursors: (c: string[]) => void; nextCursor?: string | null }) {
  return (
    <div class="pager">
      {cursors.length > 0 && (
        <button type="button" onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
      )}
      {nextCursor && (
        <button type="button" onClick={() => setCursors([...cursors, nextCursor])}>
          Next page
        </button>
      )}
    </div>
  );
}

/** Runs an action, keeping its refusal to show; `busy` while it runs. */
export function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => setError(undefined), []);
  return { error, busy, run, reset };
}

/** A refused request: the problem's `detail`, announced to screen readers. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  // A stale write (412) is said in people's words, never as version numbers: the page follows the change shortly.
  const text =
    error instanceof ApiError && error.status === 412
      ? 'Someone else changed this meanwhile. The page shows their change in a moment; then try again.'
      : error instanceof ApiError
        ? error.detail
        : error instanceof Error
          ? error.message
          : String(error);
  return (
    <p class="problem" role="alert">
      {text}
    </p>
  );
}

let fieldIds = 0;
/** A labelled control, with the error the API named for it beside it. */
export function Field(props: { label: string; error?: unknown; name: string; children: (id: string, describedBy?: string) => JSX.Element; hint?: string }) {
  const [id] = useState(() => `f${++fieldIds}`);
  const message = props.error instanceof ApiError ? props.error.fieldError(props.name) : undefined;
  const errorId = message ? `${id}-error` : undefined;
  return (
    <div class={`field${message ? ' invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.children(id, errorId)}
      {props.hint && <small>{props.hint}</small>}
      {message && (
        <span class="field-error" id={errorId}>
          {message}
        </span>
      )}
    </div>
  );
}

export const Section = ({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) => (
  <section aria-label={title}>
    <div class="section-head">
      <h2>{title}</h2>
      {actions}
    </div>
    {children}
  </section>
);

/** A link inside the console (hash routes: no server rewrites needed behind S3). */
export const Link = ({ to, children, id }: { to: string; children: ComponentChildren; id?: string }) => (
  <a href={`#${to}`} id={id}>
    {children}
  </a>
);

export const words = (value: string | undefined | null) => (value ? value.replace(/_/g, ' ') : '—');
export const when = (iso: string | undefined | null) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * A button whose action asks first (accept, reject, revoke, detach): a click
 * shows the question with *Yes* (focused) and *Cancel* in its place.
 */
export function Confirm(props: { label: string; question: string; onConfirm: () => void; disabled?: boolean; primary?: boolean; ariaLabel?: string; link?: boolean }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  const cls = props.link ? 'link' : props.primary ? 'primary' : undefined;
  if (!asking) {
    return (
      <button type="button" class={cls} disabled={props.disabled} aria-label={props.ariaLabel} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>{' '}
      <button
        type="button"
        ref={yes}
        class="primary"
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        Yes, {props.label.toLowerCase()}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/**
 * Calls `look` every `ms` while the page is visible, and at once when it
 * becomes visible again (a list that follows others' changes: the inbox,
 * a queue's waiting work). A look that fails is tried again at the next tick.
 */
export function usePoll(look: () => Promise<unknown>, ms: number, deps: unknown[] = []) {
  const latest = useRef(look);
  latest.current = look;
  useEffect(() => {
    const tick = () => {
      if (!document.hidden) void latest.current().catch(() => undefined);
    };
    const timer = setInterval(tick, ms);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ms, ...deps]);
}

/** The time now (ms since the epoch), drawn again every `ms` (a countdown). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** The foot of a form: its refusal, if any, then submit and (when it can be left) Cancel. */
export function FormFooter(props: { error: unknown; submitLabel: string; disabled: boolean; onCancel?: () => void }) {
  return (
    <>
      <Problem error={props.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={props.disabled}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </>
  );
}
