/**
 * The console (SPEC §8): a single page served at /console. Hash routes
 * (#/alerts, #/alerts/<id>, #/cases, #/cases/<id>, #/cases/<id>/from/<alertId>
 * for a converted alert opened from a list, #/inbox for agents and managers,
 * #/team for managers, #/config) so that the static host needs no rewrites.
 */
// uPlot's own rules first (the Team page's charts, drawn by a module loaded later), the console's after them.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { setApiBase } from './api.js';
import { AlertPage } from './pages/alert.js';
import { AlertsPage } from './pages/alerts.js';
import { CasePage } from './pages/case.js';
import { CasesPage } from './pages/cases.js';
import { ConfigPage } from './pages/config.js';
import { InboxPage } from './pages/inbox.js';
import { TeamPage } from './pages/team.js';
import { PresenceSwitch } from './presence.js';
import { SignInPage } from './pages/sign-in.js';
import { can, finishHostedSignIn, onSessionChange, session, signOut, type ConsoleConfig } from './session.js';

const TITLES: Record<string, string> = { alerts: 'Alerts', cases: 'Cases', inbox: 'Inbox', team: 'Team', config: 'Configuration' };

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function App({ config }: { config: ConsoleConfig }) {
  const hash = useHash();
  const [, setTick] = useState(0);
  useEffect(() => onSessionChange(() => setTick((t) => t + 1)), []);
  const me = session();
  const [, section = 'alerts', id, via, viaId] = hash.replace(/^#/, '').split('/');
  const navigate = (to: string) => (location.hash = to);
  useEffect(() => {
    document.title = me ? `${id ? `${TITLES[section] ?? ''} — ` : ''}${TITLES[section] ?? 'Alerts'} · alert-to-case` : 'Sign in · alert-to-case';
  }, [me?.sub, section, id]);
  // A new page (and signing in) takes the keyboard focus to the page's heading, as a page load would put a screen
  // reader there: the heading once it is drawn (a page may first show "Loading…"), else the content.
  useEffect(() => {
    if (!hash && !me) return;
    let frames = 0;
    let raf = 0;
    const focusHeading = () => {
      const heading = document.querySelector<HTMLElement>('#main h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      } else if (++frames < 120) raf = requestAnimationFrame(focusHeading);
      else document.getElementById('main')?.focus();
    };
    focusHeading();
    return () => cancelAnimationFrame(raf);
  }, [hash, me?.sub]);
  if (!me) {
    return (
      <main id="main">
        <SignInPage config={config} />
      </main>
    );
  }
  let page;
  if (section === 'alerts' && id) page = <AlertPage alertId={id} navigate={navigate} />;
  else if (section === 'cases' && id) page = <CasePage caseId={id} fromAlert={via === 'from' ? viaId : undefined} />;
  else if (section === 'cases') page = <CasesPage />;
  else if (section === 'inbox' && can('inbox:own')) page = <InboxPage />;
  else if (section === 'team' && can('team:manage')) page = <TeamPage />;
  else if (section === 'config') page = <ConfigPage />;
  else page = <AlertsPage />;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header>
        <nav aria-label="Main">
          <strong class="brand">alert-to-case</strong>
          <a href="#/alerts" aria-current={section === 'alerts' ? 'page' : undefined}>
            Alerts
          </a>
          <a href="#/cases" aria-current={section === 'cases' ? 'page' : undefined}>
            Cases
          </a>
          {can('inbox:own') && (
            <a href="#/inbox" aria-current={section === 'inbox' ? 'page' : undefined}>
              Inbox
            </a>
          )}
          {can('team:manage') && (
            <a href="#/team" aria-current={section === 'team' ? 'page' : undefined}>
              Team
            </a>
          )}
          <a href="#/config" aria-current={section === 'config' ? 'page' : undefined}>
            Configuration
          </a>
        </nav>
        <div class="me">
          <PresenceSwitch page={hash} sub={me.sub} />
          <span>
            {me.sub} <small>({me.roles.join(', ') || 'no roles'})</small>
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} key={hash}>
        {page}
      </main>
    </>
  );
}

async function start() {
  const config = (await fetch(new URL('config.json', import.meta.url)).then((r) => r.json())) as ConsoleConfig;
  if (config.apiUrl) setApiBase(config.apiUrl);
  if (config.mode === 'cognito') await finishHostedSignIn(config);
  render(<App config={config} />, document.getElementById('app')!);
}

void start();
