/**
 * The Alert form (SPEC §8, the seeds' procedure): its fields, occurrences and
 * detections; impacted services with their paths; Affected Install Base
 * Items and *Refresh Affected Install Base Items*; *Create Case* with the
 * conversion form; *Attach to case*; its **Case** field (number, link) once
 * it is in a case; its history.
 */
import { useState } from 'preact/hooks';
import { priorityFromSeverity } from '../../../lib/domain/priority.js';
import { SHORT_DESCRIPTION_MAX } from '../../../lib/domain/case.js';
import { api, apiAll } from '../api.js';
import { CaseFields, caseBody, emptyCaseFields, type CaseFieldValues } from '../case-fields.js';
import { Combobox, type Option } from '../combobox.js';
import { History } from '../history.js';
import { caseOptions } from '../pickers.js';
import { can } from '../session.js';
import type { AccountGroup, Alert, AlertResult, Case, ImpactedCi, Queue } from '../../../lib/contract/types.js';
import { Field, Link, Problem, Section, useAction, useLoad, when, words } from '../ui.js';

export function AlertPage({ alertId, navigate }: { alertId: string; navigate: (to: string) => void }) {
  const alert = useLoad(() => api<Alert>('GET', `/alerts/${alertId}`), [alertId]);
  const impacted = useLoad(() => api<{ refreshedAt: string | null; impactedCis: ImpactedCi[]; truncated: boolean }>('GET', `/alerts/${alertId}/impacted-cis?limit=100`), [alertId]);
  const affected = useLoad(() => api<{ refreshedAt: string | null; affectedInstallBase: AccountGroup[] }>('GET', `/alerts/${alertId}/affected-install-base`), [alertId]);
  const refresh = useAction();
  const state = useAction();
  const a = alert.data;
  if (alert.error) return <Problem error={alert.error} />;
  if (!a) return <p aria-busy="true">Loading…</p>;

  const refreshImpact = () =>
    refresh.run(async () => {
      await api('POST', `/alerts/${alertId}/impact/refresh`);
      await Promise.all([impacted.reload(), affected.reload()]);
    });
  const setState = (to: string) =>
    state.run(async () => {
      await api('PATCH', `/alerts/${alertId}`, { state: to }, { 'if-match': `"${a.version}"` });
      await alert.reload();
    });
  const services = (impacted.data?.impactedCis ?? []).filter((c) => c.kind === 'service');
  const groups = affected.data?.affectedInstallBase ?? [];

  return (
    <div>
      <p class="crumbs">
        <Link to="/alerts">Alerts</Link> / Alert
      </p>
      <h1>
        <span class={`badge sev-${a.severity}`}>{a.severity}</span> {a.description}
      </h1>
      <Section title="Alert">
        <dl class="facts">
          <dt>Case</dt>
          <dd>
            {a.caseId ? (
              <Link to={`/cases/${a.caseId}`} id="alert-case-link">
                {a.caseNumber}
              </Link>
            ) : (
              'none'
            )}
          </dd>
          <dt>Source</dt>
          <dd>
            {a.source}
            {a.sourceAlertId ? ` / ${a.sourceAlertId}` : ''}
          </dd>
          <dt>State</dt>
          <dd>{words(a.state)}</dd>
          <dt>Configuration item</dt>
          <dd>{a.ciId ?? '—'}</dd>
          <dt>Type</dt>
          <dd>{a.type ?? '—'}</dd>
          <dt>Occurrences</dt>
          <dd>
            {a.occurrences} (first {when(a.firstOccurredAt)}, last {when(a.lastOccurredAt)})
          </dd>
          <dt>Incident</dt>
          <dd>{a.incidentId ?? '—'}</dd>
          {Object.entries(a.attributes ?? {}).map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </>
          ))}
        </dl>
        {can('alerts:write') && (
          <div class="actions">
            {a.state === 'open' && (
              <button type="button" disabled={state.busy} onClick={() => setState('acknowledged')}>
                Acknowledge
              </button>
            )}
            {a.state !== 'closed' && (
              <button type="button" disabled={state.busy} onClick={() => setState('closed')}>
                Close alert
              </button>
            )}
            {a.state === 'closed' && (
              <button type="button" disabled={state.busy} onClick={() => setState('open')}>
                Reopen alert
              </button>
            )}
          </div>
        )}
        <Problem error={state.error} />
      </Section>
      {a.detections.length > 0 && (
        <Section title="Detections">
          <DetectionList detections={a.detections} />
        </Section>
      )}
      <Section title="Impacted services">
        {!impacted.data ? (
          <p aria-busy="true">Loading…</p>
        ) : services.length === 0 ? (
          <p>No impacted services{impacted.data.refreshedAt ? '' : ' (impact not calculated yet)'}.</p>
        ) : (
          <ul class="paths">
            {services.map((s) => (
              <li key={s.ciId}>
                <strong>{s.name}</strong> <span class="path">{s.path.join(' → ')}</span>
              </li>
            ))}
          </ul>
        )}
        {impacted.data?.truncated && <p>The walk stopped at a bound: more CIs may be impacted.</p>}
      </Section>
      <Section
        title="Affected Install Base Items"
        actions={
          can('alerts:write') && (
            <button type="button" disabled={refresh.busy} onClick={refreshImpact}>
              Refresh Affected Install Base Items
            </button>
          )
        }
      >
        <Problem error={refresh.error} />
        <p class="muted">Calculated {when(affected.data?.refreshedAt)}</p>
        <AccountGroups groups={groups} />
      </Section>
      {!a.caseId && can('alerts:convert') && (
        <CreateCase alert={a} accounts={groups} onCreated={() => void alert.reload()} navigate={navigate} />
      )}
      {!a.caseId && can('cases:attach') && <AttachToCase alertId={a.alertId} onAttached={() => void alert.reload()} />}
      <History path={`/alerts/${a.alertId}/history`} version={a.version} />
    </div>
  );
}

/** Detections by name, with their id, tactic and technique (an alert's, or those a case copied). */
export function DetectionList({ detections, label }: { detections: Alert['detections']; label?: string }) {
  return (
    <ul aria-label={label}>
      {detections.map((d) => (
        <li key={d.id}>
          <strong>{d.name}</strong> ({d.id}){d.tactic ? ` — ${d.tactic}` : ''}
          {d.technique ? `, ${d.technique}` : ''}
        </li>
      ))}
    </ul>
  );
}

export function AccountGroups({ groups, remove }: { groups: AccountGroup[]; remove?: (itemId: string) => void }) {
  if (groups.length === 0) return <p>No affected install base items.</p>;
  return (
    <div class="groups">
      {groups.map((g) => (
        <div key={g.accountId} class="group">
          <h3>
            {g.accountName} <small>({g.accountType})</small>
          </h3>
          <ul>
            {g.items.map((i) => (
              <li key={i.installBaseItemId}>
                {i.name} <small class="muted">{i.ciId}</small>
                {remove && (
                  <button type="button" class="link" aria-label={`Remove ${i.name}`} onClick={() => remove(i.installBaseItemId)}>
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function CreateCase({ alert, accounts, onCreated }: { alert: Alert; accounts: AccountGroup[]; onCreated: () => void; navigate: (to: string) => void }) {
  const queues = useLoad(() => apiAll<Queue>('/queues'), []);
  const [values, setValues] = useState<CaseFieldValues>(() =>
    emptyCaseFields({ shortDescription: alert.description.slice(0, SHORT_DESCRIPTION_MAX), priority: priorityFromSeverity(alert.severity) }),
  );
  const create = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void create.run(async () => {
      await api<Case>('POST', `/alerts/${alert.alertId}/case`, caseBody(values));
      onCreated();
    });
  };
  return (
    <Section title="Create Case">
      <form onSubmit={submit} aria-label="Create Case">
        <CaseFields values={values} onChange={setValues} queues={queues.data?.items ?? []} error={create.error} accounts={accounts.map((g) => ({ accountId: g.accountId, accountName: g.accountName }))} />
        <Problem error={create.error} />
        <button type="submit" class="primary" disabled={create.busy}>
          Submit
        </button>
      </form>
    </Section>
  );
}

function AttachToCase({ alertId, onAttached }: { alertId: string; onAttached: () => void }) {
  const [target, setTarget] = useState<Option>();
  const attach = useAction();
  const [result, setResult] = useState<AlertResult>();
  const submit = (e: Event) => {
    e.preventDefault();
    if (!target) return;
    void attach.run(async () => {
      const { results } = await api<{ results: AlertResult[] }>('POST', `/cases/${target.id}/alerts`, { alertIds: [alertId] });
      setResult(results[0]);
      if (results[0].outcome === 'attached') onAttached();
    });
  };
  return (
    <Section title="Attach to case">
      <form onSubmit={submit} class="inline" aria-label="Attach to case">
        <Field label="Case" name="case" error={attach.error} hint="Type its number or words of its short description">
          {(id, d) => <Combobox id={id} describedBy={d} listLabel="Cases" search={caseOptions} onPick={setTarget} placeholder="CS0001001 or words" />}
        </Field>
        <button type="submit" disabled={attach.busy || !target}>
          Attach to case
        </button>
      </form>
      <Problem error={attach.error} />
      {result && result.outcome !== 'attached' && (
        <p role="status">
          {words(result.outcome)}
          {result.caseNumber ? ` (case ${result.caseNumber})` : ''}
        </p>
      )}
    </Section>
  );
}
