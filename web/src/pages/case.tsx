/**
 * The Case form (SPEC §8, the seeds' procedure): fields and stage as the stage
 * table allows, closed reason, the attributes and detections copied from its
 * alerts, work notes, the history as people write it (newest first), the
 * case's alerts, Affected Install Base Items with Add and Remove, *Refresh
 * Install Base Health*, *Details*, *Propose Major Case*, and for managers
 * *Accept* / *Reject* with the children listed. What the role may not do is
 * not offered.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, query, apiAll, type Page } from '../api.js';
import { CaseFields, caseBody, emptyCaseFields, type CaseFieldValues } from '../case-fields.js';
import { can } from '../session.js';
import { PROPOSABLE_STAGES } from '../../../lib/domain/major-case.js';
import { isFrozen } from '../../../lib/domain/stage-transitions.js';
import type { AccountGroup, Alert, AlertResult, Case, InstallBaseItem, Queue, WorkNote } from '../../../lib/contract/types.js';
import { History } from '../history.js';
import { Confirm, Field, Link, More, Problem, Section, useAction, useLoad, usePaged, when, words } from '../ui.js';
import { AccountGroups } from './alert.js';

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


export function CasePage({ caseId, fromAlert }: { caseId: string; fromAlert?: string }) {
  const kase = useLoad(() => api<Case>('GET', `/cases/${caseId}`), [caseId]);
  const [version, setVersion] = useState(0);
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
      <CaseFieldsSection c={c} onSaved={changed} />
      <AlertData c={c} />
      <MajorCase c={c} onChanged={changed} />
      <InstallBase c={c} frozen={frozen} version={version} onChanged={changed} />
      <CaseAlerts c={c} frozen={frozen} version={version} onChanged={changed} />
      <Details caseId={c.caseId} />
      <WorkNotes caseId={c.caseId} version={version} onAdded={changed} />
      <History path={`/cases/${c.caseId}/history`} version={`${c.version}-${version}`} />
    </div>
  );
}

function CaseFieldsSection({ c, onSaved }: { c: Case; onSaved: () => Promise<void> }) {
  const queues = useLoad(() => apiAll<Queue>('/queues'), []);
  const [values, setValues] = useState(() => fieldsOf(c));
  useEffect(() => setValues(fieldsOf(c)), [c.version]);
  const save = useAction();
  const frozen = isFrozen(c.stage);
  const editable = can('cases:write') && !frozen;
  const reopen = () =>
    save.run(async () => {
      await api('PATCH', `/cases/${c.caseId}`, { stage: 'open' }, { 'if-match': `"${c.version}"` });
      await onSaved();
    });
  const submit = (e: Event) => {
    e.preventDefault();
    void save.run(async () => {
      const body = caseBody(values, fieldsOf(c));
      if (Object.keys(body).length === 0) return;
      await api('PATCH', `/cases/${c.caseId}`, body, { 'if-match': `"${c.version}"` });
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
        <Problem error={save.error} />
        {editable && (
          <button type="submit" class="primary" disabled={save.busy}>
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
      {detections.length > 0 && (
        <ul aria-label="Detections">
          {detections.map((d) => (
            <li key={d.id}>
              <strong>{d.name}</strong> ({d.id}){d.tactic ? ` — ${d.tactic}` : ''}
              {d.technique ? `, ${d.technique}` : ''}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function MajorCase({ c, onChanged }: { c: Case; onChanged: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const act = useAction();
  const children = useLoad(
    () => (c.majorCase === 'accepted' ? api<Page<Case>>('GET', `/cases?parentCaseId=${c.caseId}&limit=100`) : Promise.resolve({ items: [], nextCursor: null })),
    [c.caseId, c.majorCase],
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
  const account = useLoad(
    () => (c.accountId ? api<{ installBaseItems: InstallBaseItem[] }>('GET', `/accounts/${encodeURIComponent(c.accountId)}/install-base?limit=100`) : Promise.resolve(undefined)),
    [c.accountId],
  );
  const [adding, setAdding] = useState('');
  const [health, setHealth] = useState<Health[]>();
  const act = useAction();
  const editable = can('cases:write') && !frozen;
  const change = (work: () => Promise<unknown>) =>
    act.run(async () => {
      await work();
      setAdding('');
      await onChanged();
    });
  const attached = new Set((items.data?.affectedInstallBase ?? []).flatMap((g) => g.items.map((i) => i.installBaseItemId)));
  const offered = (account.data?.installBaseItems ?? []).filter((i) => !attached.has(i.installBaseItemId));
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
            void change(() => api('POST', `/cases/${c.caseId}/affected-install-base`, { installBaseItemId: adding }, { 'if-match': `"${c.version}"` }));
          }}
        >
          <Field label="Install base item" name="installBaseItemId" error={act.error}>
            {(id, d) =>
              offered.length ? (
                <select id={id} aria-describedby={d} value={adding} required onChange={(e) => setAdding((e.currentTarget as HTMLSelectElement).value)}>
                  <option value="">choose an item</option>
                  {offered.map((i) => (
                    <option value={i.installBaseItemId}>{i.name}</option>
                  ))}
                </select>
              ) : (
                <input id={id} aria-describedby={d} value={adding} required placeholder="install base item id" onInput={(e) => setAdding((e.currentTarget as HTMLInputElement).value)} />
              )
            }
          </Field>
          <button type="submit" disabled={act.busy}>
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
  const [ids, setIds] = useState('');
  const [move, setMove] = useState(false);
  const [results, setResults] = useState<AlertResult[]>();
  const act = useAction();
  // Seed 001: an operator reads a case and adds work notes; the case's agents attach and detach. A closed case keeps its alerts.
  const mayAttach = can('cases:attach') && can('cases:write') && !frozen;
  const attach = (e: Event) => {
    e.preventDefault();
    void act.run(async () => {
      const alertIds = ids.split(/[\s,]+/).filter(Boolean);
      const out = await api<{ results: AlertResult[] }>('POST', `/cases/${c.caseId}/alerts`, { alertIds, move });
      setResults(out.results);
      setIds('');
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
          <Field label="Alert ids" name="alertIds" error={act.error}>
            {(id, d) => <input id={id} aria-describedby={d} value={ids} required placeholder="alr_…, alr_…" onInput={(e) => setIds((e.currentTarget as HTMLInputElement).value)} />}
          </Field>
          <label class="check">
            <input type="checkbox" checked={move} onChange={(e) => setMove((e.currentTarget as HTMLInputElement).checked)} /> Move from their case
          </label>
          <button type="submit" disabled={act.busy}>
            Attach
          </button>
        </form>
      )}
      <Problem error={act.error} />
      {results && (
        <ul role="status" aria-label="Attach results">
          {results.map((r) => (
            <li key={r.alertId}>
              {r.alertId}: {words(r.outcome)}
              {r.outcome === 'attached_elsewhere' && r.caseNumber ? ` (case ${r.caseNumber})` : ''}
            </li>
          ))}
        </ul>
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
