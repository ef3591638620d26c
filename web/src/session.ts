/**
 * Who is signed in. Locally: the "Sign in" page mints a local token through
 * the local server's `/_local/token` (a route the stack does not have).
 * Deployed: Cognito's hosted sign-in, authorization code with PKCE; the access
 * token carries the user's groups (`cognito:groups`), which are their roles.
 */
import { isAllowed, type Permission } from '../../lib/contract/permissions.js';

export interface Session {
  token: string;
  sub: string;
  roles: string[];
  /** Seconds since the epoch. */
  exp: number;
}

/** What /console/config.json says about where to sign in and where the API is. */
export type ConsoleConfig =
  | { mode: 'local'; apiUrl?: string }
  /** Deployed with an external token issuer: the console has no sign-in of its own. */
  | { mode: 'none'; apiUrl: string }
  | { mode: 'cognito'; apiUrl: string; authority: string; clientId: string; redirectUri: string };

const KEY = 'alert-to-case.session';
const listeners = new Set<() => void>();
export const onSessionChange = (fn: () => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};
const changed = () => listeners.forEach((fn) => fn());

function decode(token: string): Session {
  const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  const groups = payload['cognito:groups'];
  return { token, sub: String(payload.sub), roles: Array.isArray(groups) ? groups.map(String) : [], exp: Number(payload.exp) };
}

export function session(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  const s = decode(raw);
  return s.exp * 1000 > Date.now() ? s : undefined;
}

export function signInWith(token: string) {
  sessionStorage.setItem(KEY, token);
  changed();
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  changed();
}

/** Whether the signed-in user's roles hold a permission (SPEC §3, the same matrix the API enforces). */
export const can = (permission: Permission) => isAllowed(session()?.roles ?? [], permission);

const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes as ArrayBuffer)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** Cognito's hosted sign-in: off to the authorize endpoint with a PKCE challenge. */
export async function startHostedSignIn(config: Extract<ConsoleConfig, { mode: 'cognito' }>) {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(`${KEY}.pkce`, JSON.stringify({ verifier, state }));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const url = new URL('/oauth2/authorize', config.authority);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid email profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();
  location.assign(url.toString());
}

/** Back from the hosted sign-in with `?code=…&state=…`: the code (with the verifier) for an access token. */
export async function finishHostedSignIn(config: Extract<ConsoleConfig, { mode: 'cognito' }>): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const pending = JSON.parse(sessionStorage.getItem(`${KEY}.pkce`) ?? 'null') as { verifier: string; state: string } | null;
  if (!code || !pending || params.get('state') !== pending.state) return false;
  sessionStorage.removeItem(`${KEY}.pkce`);
  const res = await fetch(new URL('/oauth2/token', config.authority), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: config.redirectUri, code_verifier: pending.verifier }),
  });
  if (!res.ok) return false;
  const { access_token } = (await res.json()) as { access_token: string };
  history.replaceState(null, '', location.pathname + location.hash);
  signInWith(access_token);
  return true;
}

/** Locally: a token for this user and these roles, from the local server (the same tokens `npm run token` makes). */
export async function localSignIn(sub: string, roles: string[]) {
  const res = await fetch('/_local/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, roles }) });
  const body = (await res.json()) as { token?: string; detail?: string };
  if (!res.ok || !body.token) throw new Error(body.detail ?? 'Signing in failed.');
  signInWith(body.token);
}
