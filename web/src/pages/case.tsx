/**
 * The Case form (SPEC §8, the seeds' procedure): fields and stage as the stage
 * table allows, closed reason, the attributes and detections copied from its
 * alerts, work notes, the history as people write it (newest first), the
 * case's alerts, Affected Install Base Items with Add and Remove, *Refresh
 * Install Base Health*, *Details*, *Propose Major Case*, and for managers
 * *Accept* / *Reject* with the children listed. What the role may not do is
 * not offered.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, apiIfChanged, query, apiAll, type Page } from '../api.js';
import { CaseFields, caseBody, emptyCaseFields, type CaseFieldValues } from '../case-fields.js';
import { readableHistory } from '../history-text.js';
import { can, session } from '../session.js';
import { PROPOSABLE_STAGES } from '../../../lib/domain/major-case.js';
import { isFrozen } from '../../../lib/domain/stage-transitions.js';
import type { AccountGroup, Alert, AlertResult, Case, HistoryEntry, Queue, TaskSla, WorkNote } from '../../../lib/contract/types.js';
import { Combobox, type Option } from '../combobox.js';
import { History } from '../history.js';
import { accountOptions, alertOptions, forgetPicked, itemOptions } from '../pickers.js';
import { Confirm, Field, Link, More, Problem, Section, useAction, useLoad, usePaged, when, words } from '../ui.js';
import { AccountGroups, DetectionList } from './alert.js';
import { SlaChips } from '../sla-chips.js';

const fieldsOf = (c: Case): CaseFieldValues =>
  emptyCaseFields({
    shortDescription: c.shortDescription,
    description: c.description ?? '',
    priority: c.priority,
    stage: c.stage,
    closedReason: c.closedReason ?? '',
    closedReasonText: c.closedReasonText ?? '',
    queue: c.queue ?? '',
    assignee: c.assignee ?? '',
    accountId: c.accountId ?? '',
  });


/** How often the form looks for changes by others (SPEC §8: within 5 s). */
const FOLLOW_SECONDS = 4;

/**
 * Calls `onChange` with the newest history entry whenever the case's history
 * gains one (a field, a work note, an alert of the case: every change is
 * written there). Each look is a conditional read of the newest entry: 304,
 * with nothing sent back, while nothing changed. No look while the page is
 * hidden.
 */
function useFollow(caseId: string, onChange: (entry: HistoryEntry) => void) {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    let etag: string | undefined;
    let first = true;
    let stopped = false;
    const look = async () => {
      if (document.hidden) return;
      try {
        const answer = await apiIfChanged<Page<HistoryEntry>>(`/cases/${caseId}/history${query({ order: 'newest', limit: 1 })}`, etag);
        if (stopped || !answer) return;
        etag = answer.etag;
        if (!first && answer.data.items[0]) latest.current(answer.data.items[0]);
        first = false;
      } catch {
        // A look that failed is tried again at the next tick.
      }
    };
    void look();
    const timer = setInterval(() => void look(), FOLLOW_SECONDS * 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [caseId]);
}

export function CasePage({ caseId, fromAlert }: { caseId: string; fromAlert?: string }) {
  const kase = useLoad(() => api<Case>('GET', `/cases/${caseId}`), [caseId]);
  const [version, setVersion] = useState(0);
  const [news, setNews] = useState<string>();
  // "Just now" stays true for a minute.
  useEffect(() => {
    if (!news) return;
    const timer = setTimeout(() => setNews(undefined), 60_000);
    return () => clearTimeout(timer);
  }, [news]);
  useFollow(caseId, (entry) => {
    void kase.reload();
    setVersion((v) => v + 1);
    // Others' changes are announced; one's own was seen as it was made.
    if (entry.actor !== session()?.sub) {
      const [item] = readableHistory([entry]);
      setNews(`${item.actor} ${item.what}${item.lines.length ? `: ${item.lines.map((l) => `${l.label} ${l.from === '—' ? l.to : `${l.from} → ${l.to}`}`).join(', ')}` : ''}.`);
    }
  });
  const c = kase.data;
  if (kase.error) return <Problem error={kase.error} />;
  if (!c) return <p aria-busy="true">Loading…</p>;
  // Every change reloads the case and what hangs off it (history, items, alerts).
  const changed = async () => {
    await kase.reload();
    setVersion((v) => v + 1);
  };
  const frozen = isFrozen(c.stage);
  return (
    <div>
      <p class="crumbs">
        <Link to="/cases">Cases</Link> / {c.number}
        {fromAlert && (
          <>
            {' '}
            · <Link to={`/alerts/${fromAlert}`}>Back to the alert</Link>
          </>
        )}
      </p>
      <h1>
        {c.number} <span class="title">{c.shortDescription}</span>
      </h1>
      <p class="tags">
        <span class="badge">{c.priority}</span> <span class="badge">{words(c.stage)}</span> {c.proactive && <span class="badge">proactive</span>}{' '}
        {c.majorCase !== 'none' && <span class="badge">major case {c.majorCase}</span>}
        {c.parentCaseId && (
          <>
            {' '}
            child of <Link to={`/cases/${c.parentCaseId}`}>its major case</Link>
          </>
        )}
      </p>
      <p class="news" role="status" aria-live="polite">
        {news && <>Just now: {news} The form shows it.</>}
      </p>
      <CaseSlaChips caseId={c.caseId} version={version} />
      <CaseFieldsSection c={c} onSaved={changed} />
      <AlertData c={c} />
      <MajorCase c={c} version={version} onChanged={changed} />
      <InstallBase c={c} frozen={frozen} version={version} onChanged={changed} />
      <CaseAlerts c={c} frozen={frozen} version={version} onChanged={changed} />
      <Details caseId={c.caseId} />
      <WorkNotes caseId={c.caseId} version={version} onAdded={changed} />
      <History path={`/cases/${c.caseId}/history`} version={`${c.version}-${version}`} />
    </div>
  );
}

/**
 * The case's fields. What someone types is kept whatever happens meanwhile:
 * a change by someone else (or a save refused as stale) offers a reload that
 * takes their change and keeps the fields this person changed.
 */
function CaseFieldsSection({ c, onSaved }: { c: Case; onSaved: () => Promise<void> }) {
  const queues = useLoad(() => apiAll<Queue>('/queues'), []);
  // The version the form was filled from, its fields, and what is in the form now.
  const [base, setBase] = useState(() => ({ version: c.version, fields: fieldsOf(c) }));
  const [values, setValues] = useState(() => fieldsOf(c));
  const edited = (Object.keys(values) as (keyof CaseFieldValues)[]).filter((k) => values[k] !== base.fields[k]);
  const behind = base.version !== c.version;
  const reload = () => {
    const fresh = fieldsOf(c);
    setValues({ ...fresh, ...Object.fromEntries(edited.map((k) => [k, values[k]])) });
    setBase({ version: c.version, fields: fresh });
    save.reset();
  };
  // Nothing typed: the form simply follows the case.
  useEffect(() => {
    if (behind && edited.length === 0) {
      setValues(fieldsOf(c));
      setBase({ version: c.version, fields: fieldsOf(c) });
    }
  }, [c.version]);
  // A save that went through: the form now holds the case as saved.
  const settle = (saved: Case) => {
    setBase({ version: saved.version, fields: fieldsOf(saved) });
    setValues(fieldsOf(saved));
  };
  const save = useAction();
  const stale = save.error instanceof ApiError && save.error.status === 412;
  const frozen = isFrozen(c.stage);
  const editable = can('cases:write') && !frozen;
  const reopen = () =>
    save.run(async () => {
      settle(await api<Case>('PATCH', `/cases/${c.caseId}`, { stage: 'open' }, { 'if-match': `"${c.version}"` }));
      await onSaved();
    });
  const submit = (e: Event) => {
    e.preventDefault();
    void save.run(async () => {
      const body = caseBody(values, base.fields);
      if (Object.keys(body).length === 0) return;
      settle(await api<Case>('PATCH', `/cases/${c.caseId}`, body, { 'if-match': `"${base.version}"` }));
      await onSaved();
    });
  };
  return (
    <Section title="Case">
      <form onSubmit={submit} aria-label="Case fields">
        <CaseFields values={values} onChange={setValues} queues={queues.data?.items ?? []} currentStage={c.stage} readOnly={!editable} error={save.error} />
        <dl class="facts">
          <dt>Origin</dt>
          <dd>{words(c.origin)}</dd>
          <dt>Created</dt>
          <dd>
            {when(c.createdAt)} by {c.createdBy}
          </dd>
          <dt>Updated</dt>
          <dd>
            {when(c.updatedAt)} by {c.updatedBy}
          </dd>
        </dl>
        {(behind || stale) && edited.length > 0 ? (
          <div class="notice" role="alert">
            <p>Someone else changed this case while you were editing it. Reload to see their change; the fields you changed keep what you typed.</p>
            <button type="button" onClick={reload}>
              Reload
            </button>
          </div>
        ) : (
          !stale && <Problem error={save.error} />
        )}
        {editable && (
          <button type="submit" class="primary" disabled={save.busy || behind}>
            Save
          </button>
        )}
        {frozen && can('cases:write') && (
          <button type="button" class="primary" disabled={save.busy} onClick={() => void reopen()}>
            Reopen
          </button>
        )}
      </form>
    </Section>
  );
}

/** What the case copied from its alerts: their attributes (from the first) and detections (SPEC §2). */
function AlertData({ c }: { c: Case }) {
  const attributes = Object.entries(c.alertAttributes ?? {});
  const detections = c.detections ?? [];
  if (attributes.length === 0 && detections.length === 0) return null;
  return (
    <Section title="Alert attributes and detections">
      {attributes.length > 0 && (
        <dl class="facts" aria-label="Alert attributes">
          {attributes.map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </>
          ))}
        </dl>
      )}
      {detections.length > 0 && <DetectionList detections={detections} label="Detections" />}
    </Section>
  );
}

function MajorCase({ c, version, onChanged }: { c: Case; version: number; onChanged: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const act = useAction();
  const children = useLoad(
    () => (c.majorCase === 'accepted' ? api<Page<Case>>('GET', `/cases?parentCaseId=${c.caseId}&limit=100`) : Promise.resolve({ items: [], nextCursor: null })),
    // The children are read again with every change of the major case (its changes carry to them).
    [c.caseId, c.majorCase, version],
  );
  const post = (action: string, body?: unknown) =>
    act.run(async () => {
      await api('POST', `/cases/${c.caseId}/major-case/${action}`, body, { 'if-match': `"${c.version}"` });
      setReason('');
      await onChanged();
    });
  const mayPropose = can('cases:write') && PROPOSABLE_STAGES.includes(c.stage) && (c.majorCase === 'none' || c.majorCase === 'rejected');
  const mayDecide = can('cases:decide-major') && c.majorCase === 'proposed';
  if (!mayPropose && !mayDecide && c.majorCase !== 'accepted') return null;
  return (
    <Section title="Major case">
      {(mayPropose || mayDecide) && (
        <div class="inline">
          <Field label="Reason" name="reason" error={act.error}>
            {(id, d) => <input id={id} aria-describedby={d} value={reason} maxLength={2000} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />}
          </Field>
          {mayPropose && (
            <button type="button" disabled={act.busy} onClick={() => post('propose', reason ? { reason } : {})}>
              Propose Major Case
            </button>
          )}
          {mayDecide && (
            <>
              <Confirm label="Accept" primary question="Accept as a major case and open a child case per account?" disabled={act.busy} onConfirm={() => void post('accept')} />
              <Confirm label="Reject" question="Reject the major case proposal?" disabled={act.busy} onConfirm={() => void post('reject', { reason })} />
            </>
          )}
        </div>
      )}
      <Problem error={act.error} />
      {c.majorCase === 'accepted' && (
        <>
          <h3>Child cases</h3>
          <ul aria-label="Child cases">
            {children.data?.items.map((child) => (
              <li key={child.caseId}>
                <Link to={`/cases/${child.caseId}`}>{child.number}</Link> {child.shortDescription} ({words(child.stage)})
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

type Health = { installBaseItemId: string; name: string; ciId: string; health: string };

function InstallBase({ c, frozen, version, onChanged }: { c: Case; frozen: boolean; version: number; onChanged: () => Promise<void> }) {
  const items = useLoad(() => api<{ affectedInstallBase: AccountGroup[] }>('GET', `/cases/${c.caseId}/affected-install-base`), [c.caseId, version]);
  // Items are picked within an account: the case's own first, or another picked by name.
  const [from, setFrom] = useState<Option | undefined>(c.accountId ? { id: c.accountId, label: c.accountId } : undefined);
  // A case given an account later offers that account's items from then on.
  useEffect(() => {
    if (c.accountId && !from) setFrom({ id: c.accountId, label: c.accountId });
  }, [c.accountId]);
  const [adding, setAdding] = useState<Option>();
  const [health, setHealth] = useState<Health[]>();
  const act = useAction();
  const editable = can('cases:write') && !frozen;
  const change = (work: () => Promise<unknown>) =>
    act.run(async () => {
      await work();
      setAdding(undefined);
      await onChanged();
    });
  const attached = new Set((items.data?.affectedInstallBase ?? []).flatMap((g) => g.items.map((i) => i.installBaseItemId)));
  // The accounts already on the case, by name, lead the account picker.
  const accounts = (items.data?.affectedInstallBase ?? []).map((g) => ({ accountId: g.accountId, accountName: g.accountName }));
  return (
    <Section
      title="Affected Install Base Items"
      actions={
        can('cases:write') &&
        !frozen &&
        c.accountId &&
        attached.size > 0 && (
          <button
            type="button"
            disabled={act.busy}
            onClick={() =>
              act.run(async () => {
                setHealth((await api<{ items: Health[] }>('POST', `/cases/${c.caseId}/install-base-health/refresh`)).items);
              })
            }
          >
            Refresh Install Base Health
          </button>
        )
      }
    >
      <AccountGroups
        groups={items.data?.affectedInstallBase ?? []}
        remove={editable ? (itemId) => void change(() => api('DELETE', `/cases/${c.caseId}/affected-install-base/${encodeURIComponent(itemId)}`, undefined, { 'if-match': `"${c.version}"` })) : undefined}
      />
      {editable && (
        <form
          class="inline"
          aria-label="Add an install base item"
          onSubmit={(e) => {
            e.preventDefault();
            if (adding) void change(() => api('POST', `/cases/${c.caseId}/affected-install-base`, { installBaseItemId: adding.id }, { 'if-match': `"${c.version}"` }));
          }}
        >
          <Field label="From account" name="account" hint={c.accountId ? "The case's account, or pick another by name" : 'Type a name and pick one'}>
            {(id, d) => (
              <Combobox
                id={id}
                describedBy={d}
                listLabel="Accounts"
                initial={from && (accounts.find((a) => a.accountId === from.id)?.accountName ?? from.label)}
                search={(text) => accountOptions(text, accounts)}
                onPick={(o) => {
                  setFrom(o);
                  setAdding(undefined);
                }}
              />
            )}
          </Field>
          <Field label="Install base item" name="installBaseItemId" error={act.error}>
            {(id, d) => (
              <Combobox
                id={id}
                describedBy={d}
                listLabel="Install base items"
                initial={adding?.label ?? ''}
                disabled={!from}
                search={(text) => itemOptions(from!.id, text, (itemId) => attached.has(itemId))}
                onPick={setAdding}
              />
            )}
          </Field>
          <button type="submit" disabled={act.busy || !adding}>
            Add
          </button>
        </form>
      )}
      <Problem error={act.error} />
      {health && (
        <table aria-label="Install base health">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">CI</th>
              <th scope="col">Health</th>
            </tr>
          </thead>
          <tbody>
            {health.map((h) => (
              <tr key={h.installBaseItemId}>
                <td>{h.name}</td>
                <td>{h.ciId}</td>
                <td>
                  <span class={`badge sev-${h.health}`}>{h.health}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function CaseAlerts({ c, frozen, version, onChanged }: { c: Case; frozen: boolean; version: number; onChanged: () => Promise<void> }) {
  const alerts = usePaged((cursor) => api<Page<Alert>>('GET', `/cases/${c.caseId}/alerts${query({ limit: 100, cursor })}`), [c.caseId, version]);
  const [chosen, setChosen] = useState<Option[]>([]);
  const [labels, setLabels] = useState<Map<string, string>>(new Map());
  const [move, setMove] = useState(false);
  const [results, setResults] = useState<AlertResult[]>();
  // After an attach the keyboard focus goes to what it did.
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => outcome.current?.focus(), [results]);
  const act = useAction();
  // Seed 001: an operator reads a case and adds work notes; the case's agents attach and detach. A closed case keeps its alerts.
  const mayAttach = can('cases:attach') && can('cases:write') && !frozen;
  const attach = (e: Event) => {
    e.preventDefault();
    void act.run(async () => {
      const out = await api<{ results: AlertResult[] }>('POST', `/cases/${c.caseId}/alerts`, { alertIds: chosen.map((o) => o.id), move });
      setResults(out.results);
      setLabels(new Map(chosen.map((o) => [o.id, o.label])));
      setChosen([]);
      forgetPicked();
      await onChanged();
    });
  };
  return (
    <Section title="Alerts">
      <ul aria-label="The case's alerts">
        {alerts.items.map((a) => (
          <li key={a.alertId}>
            <span class={`badge sev-${a.severity}`}>{a.severity}</span> <Link to={`/alerts/${a.alertId}`}>{a.description}</Link> ({words(a.state)})
            {a.alertId === c.alertId && <small class="muted"> origin</small>}
            {mayAttach && (
              <Confirm
                label="Detach"
                link
                ariaLabel={`Detach ${a.description}`}
                question={`Detach "${a.description}" from ${c.number}?`}
                onConfirm={() =>
                  void act.run(async () => {
                    await api('DELETE', `/cases/${c.caseId}/alerts/${a.alertId}`);
                    await onChanged();
                  })
                }
              />
            )}
          </li>
        ))}
      </ul>
      <More list={alerts} label="Show more alerts" />
      {alerts.loaded && alerts.items.length === 0 && <p>No alerts attached.</p>}
      {mayAttach && (
        <form class="inline" onSubmit={attach} aria-label="Attach alerts">
          <Field label="Alerts to attach" name="alertIds" error={act.error} hint="Type words of an alert's description, its source or CI, and pick it">
            {(id, d) => (
              <Combobox
                id={id}
                describedBy={d}
                listLabel="Open alerts"
                clearOnPick
                search={(text) => alertOptions(text, (a) => a.caseId === c.caseId || chosen.some((o) => o.id === a.alertId))}
                onPick={(o) => setChosen((list) => [...list, o])}
              />
            )}
          </Field>
          <label class="check">
            <input type="checkbox" checked={move} onChange={(e) => setMove((e.currentTarget as HTMLInputElement).checked)} /> Move from their case
          </label>
          <button type="submit" disabled={act.busy || chosen.length === 0}>
            Attach {chosen.length > 1 ? `${chosen.length} alerts` : ''}
          </button>
        </form>
      )}
      {mayAttach && chosen.length > 0 && (
        <ul class="chips" aria-label="Alerts chosen to attach">
          {chosen.map((o) => (
            <li key={o.id}>
              {o.label}{' '}
              <button type="button" class="link" aria-label={`Leave out ${o.label}`} onClick={() => setChosen((list) => list.filter((x) => x.id !== o.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <Problem error={act.error} />
      {results && (
        <div role="status" aria-label="Attach results" tabIndex={-1} ref={outcome}>
          <ul>
            {results.map((r) => (
              <li key={r.alertId}>
                {labels.get(r.alertId) ?? r.alertId}: {words(r.outcome)}
                {r.outcome === 'attached_elsewhere' && r.caseNumber ? ` (case ${r.caseNumber})` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}

function Details({ caseId }: { caseId: string }) {
  const [details, setDetails] = useState<{ soldProducts: { soldProductId: string; name: string; accountId: string }[]; alert: Alert | null }>();
  const act = useAction();
  return (
    <Section
      title="Details"
      actions={
        <button type="button" disabled={act.busy} onClick={() => act.run(async () => setDetails(await api('GET', `/cases/${caseId}/details`)))}>
          Details
        </button>
      }
    >
      <Problem error={act.error} />
      {details && (
        <div>
          <h3>Sold products</h3>
          {details.soldProducts.length ? (
            <ul>
              {details.soldProducts.map((p) => (
                <li key={p.soldProductId}>
                  {p.name} <small class="muted">{p.accountId}</small>
                </li>
              ))}
            </ul>
          ) : (
            <p>None.</p>
          )}
          <h3>Source alert</h3>
          {details.alert ? <Link to={`/alerts/${details.alert.alertId}`}>{details.alert.description}</Link> : <p>None.</p>}
        </div>
      )}
    </Section>
  );
}

function WorkNotes({ caseId, version, onAdded }: { caseId: string; version: number; onAdded: () => Promise<void> }) {
  const notes = usePaged((cursor) => api<Page<WorkNote>>('GET', `/cases/${caseId}/work-notes${query({ limit: 100, cursor })}`), [caseId, version]);
  const [text, setText] = useState('');
  const add = useAction();
  return (
    <Section title="Work notes">
      <ul class="notes">
        {notes.items.map((n) => (
          <li key={n.noteId}>
            <p>{n.text}</p>
            <small class="muted">
              {n.author}, {when(n.createdAt)}
            </small>
          </li>
        ))}
      </ul>
      <More list={notes} label="Show more work notes" />
      {can('cases:work-note') && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void add.run(async () => {
              await api('POST', `/cases/${caseId}/work-notes`, { text });
              setText('');
              await onAdded();
            });
          }}
          aria-label="Add a work note"
        >
          <Field label="Work note" name="text" error={add.error}>
            {(id, d) => <textarea id={id} aria-describedby={d} value={text} rows={3} required maxLength={10000} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />}
          </Field>
          <Problem error={add.error} />
          <button type="submit" disabled={add.busy}>
            Add work note
          </button>
        </form>
      )}
    </Section>
  );
}

/** The case's SLAs as chips under its title (read again when its history moves: a warning or breach is an entry). */
function CaseSlaChips({ caseId, version }: { caseId: string; version: number }) {
  const slas = useLoad(() => api<{ items: TaskSla[] }>('GET', `/cases/${caseId}/slas`), [caseId, version]);
  if (!slas.data?.items.length) return null;
  return (
    <div class="case-slas" role="group" aria-label="SLAs">
      <SlaChips slas={slas.data.items} />
    </div>
  );
}
