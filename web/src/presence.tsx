/**
 * The presence switch in the header (SPEC §8), for those with an inbox
 * (agents and managers): available, away or offline, set by
 * `PUT /users/me`. What it shows is the presence `GET /inbox` last said; the
 * Inbox page tells it each time it reads the inbox, so a timed-out offer
 * that made someone `away` shows here too.
 */
import { useEffect, useState } from 'preact/hooks';
import { PRESENCES } from '../../lib/domain/assignment.js';
import { api, ApiError, type Agent, type Inbox, type Presence } from './api.js';
import { can } from './session.js';

let known: Presence | undefined;
const listeners = new Set<(p: Presence | undefined) => void>();

/** Tells the switch (and anyone listening) the caller's presence as the API last said it. */
export function presenceIs(presence: Presence | undefined) {
  if (presence === known) return;
  known = presence;
  listeners.forEach((fn) => fn(presence));
}

/** The caller's presence as last known, following changes. */
export function usePresence(): Presence | undefined {
  const [presence, setPresence] = useState(known);
  useEffect(() => {
    const fn = (p: Presence | undefined) => setPresence(p);
    listeners.add(fn);
    setPresence(known);
    return () => void listeners.delete(fn);
  }, []);
  return presence;
}

/** Sets the caller's own presence; the answer is what the switch then shows. */
export async function setMyPresence(presence: Presence): Promise<Agent> {
  const me = await api<Agent>('PUT', '/users/me', { presence });
  presenceIs(me.presence);
  return me;
}

const LABEL: Record<Presence, string> = { available: 'Available', away: 'Away', offline: 'Offline' };
export const presenceLabel = (p: Presence) => LABEL[p];

/**
 * Three buttons in a group named "Presence", the current one pressed. Read
 * again at each navigation (`page`), so it never shows a presence long gone.
 */
export function PresenceSwitch({ page, sub }: { page: string; sub: string }) {
  const presence = usePresence();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!can('inbox:own')) return;
    let stopped = false;
    api<Inbox>('GET', '/inbox')
      .then((box) => !stopped && presenceIs(box.presence))
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [page, sub]);
  useEffect(() => () => presenceIs(undefined), [sub]);
  if (!can('inbox:own')) return null;
  const choose = async (p: Presence) => {
    if (p === presence || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await setMyPresence(p);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="presence" role="group" aria-label="Presence">
      <span class="presence-label" aria-hidden="true">
        Presence
      </span>
      {PRESENCES.map((p) => (
        <button key={p} type="button" class={`presence-${p}`} aria-pressed={presence === p} onClick={() => void choose(p)}>
          {LABEL[p]}
        </button>
      ))}
      {error && (
        <span class="presence-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
