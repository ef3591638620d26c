/** The console's small shared pieces: loading data, showing a refusal, a labelled field with its error, hash links. */
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

/** Loads data when its dependencies change; `reload` loads it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; loading: boolean; reload: () => Promise<void> } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const reload = useCallback(async () => {
    try {
      const data = await load();
      setState({ data, loading: false });
    } catch (error) {
      setState((s) => ({ ...s, error, loading: false }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    void reload();
  }, [reload]);
  return { ...state, reload };
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
  return { error, busy, run, clear: () => setError(undefined) };
}

/** A refused request: the problem's `detail`, announced to screen readers. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
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
