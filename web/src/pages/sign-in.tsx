/** Sign in: locally, as a chosen user with chosen roles; deployed, through Cognito's hosted sign-in. */
import { useState } from 'preact/hooks';
import { ROLES } from '../../../lib/contract/permissions.js';
import { localSignIn, startHostedSignIn, type ConsoleConfig } from '../session.js';
import { Field, Problem, useAction } from '../ui.js';

const ROLE_NAMES: Record<string, string> = {
  evt_mgmt_admin: 'Event management admin',
  evt_mgmt_operator: 'Event management operator',
  sn_customerservice_agent: 'Customer service agent',
  sn_customerservice_manager: 'Customer service manager',
};

export function SignInPage({ config }: { config: ConsoleConfig }) {
  const [sub, setSub] = useState('');
  const [roles, setRoles] = useState<string[]>(['evt_mgmt_operator']);
  const act = useAction();
  if (config.mode === 'cognito') {
    return (
      <div class="sign-in">
        <h1>Sign in</h1>
        <button type="button" class="primary" onClick={() => void startHostedSignIn(config)}>
          Sign in with your organisation's account
        </button>
      </div>
    );
  }
  if (config.mode === 'none') {
    return (
      <div class="sign-in">
        <h1>Sign in</h1>
        <p>This deployment trusts an external sign-in; the console has none of its own.</p>
      </div>
    );
  }
  const toggle = (role: string, on: boolean) => setRoles(on ? [...roles, role] : roles.filter((r) => r !== role));
  return (
    <div class="sign-in">
      <h1>Sign in</h1>
      <p class="muted">Local mode: sign in as any user with any roles (the same tokens `npm run token` makes).</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(() => localSignIn(sub.trim(), roles));
        }}
      >
        <Field label="User" name="sub">
          {(id) => <input id={id} value={sub} required autoComplete="username" pattern="[A-Za-z0-9._@+\-]+" onInput={(e) => setSub((e.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <fieldset>
          <legend>Roles</legend>
          {ROLES.map((role) => (
            <label class="check" key={role}>
              <input type="checkbox" name="roles" value={role} checked={roles.includes(role)} onChange={(e) => toggle(role, (e.currentTarget as HTMLInputElement).checked)} /> {ROLE_NAMES[role]}
            </label>
          ))}
        </fieldset>
        <Problem error={act.error} />
        <button type="submit" class="primary" disabled={act.busy || roles.length === 0}>
          Sign in
        </button>
      </form>
    </div>
  );
}
