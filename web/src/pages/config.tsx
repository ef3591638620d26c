/**
 * Configuration (SPEC §8): for admins the rules (proactive case, case sync),
 * playbooks with their dry run, integrations and their keys; queues, their
 * members and how they hand out cases (manual, offer, auto) for admins and
 * managers. Others see what they may read.
 */
import { useState } from 'preact/hooks';
import { api, apiAll } from '../api.js';
import { actionText, conditionsText, PlaybookForm } from '../playbook-form.js';
import { can } from '../session.js';
import type { Alert, Integration, Playbook, Queue, SlaDefinition } from '../../../lib/contract/types.js';
import type { QueueBody } from '../api.js';
import { assignmentSummary, QueueForm } from '../queue-form.js';
import { SlaForm } from '../sla-form.js';
import { slaSummaryText } from '../sla-settings.js';
import { Confirm, Field, Link, Problem, Section, useAction, useLoad, when } from '../ui.js';

export function ConfigPage() {
  return (
    <div>
      <h1>Configuration</h1>
      <Rules />
      <Playbooks />
      {can('config:write') && <Integrations />}
      <Queues />
      <Slas />
    </div>
  );
}

function Toggle({ label, checked, disabled, onChange }: { label: string; checked: boolean; disabled: boolean; onChange: (on: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} /> {label}
    </label>
  );
}

function Rules() {
  const proactive = useLoad(() => api<{ enabled: boolean; updatedAt: string | null; updatedBy: string | null }>('GET', '/rules/proactive-case'), []);
  const sync = useLoad(() => api<{ raisePriorityOnEscalation: boolean; closeAlertsWithCase: boolean; updatedBy: string | null }>('GET', '/rules/case-sync'), []);
  const act = useAction();
  const admin = can('config:write');
  return (
    <Section title="Rules">
      <Problem error={proactive.error ?? sync.error ?? act.error} />
      {proactive.data && (
        <Toggle
          label="Create Proactive Case rule"
          checked={proactive.data.enabled}
          disabled={!admin || act.busy}
          onChange={(enabled) => act.run(async () => (await api('PUT', '/rules/proactive-case', { enabled }), proactive.reload()))}
        />
      )}
      {sync.data && (
        <>
          <Toggle
            label="Raise a case's priority when an attached alert escalates"
            checked={sync.data.raisePriorityOnEscalation}
            disabled={!admin || act.busy}
            onChange={(on) => act.run(async () => (await api('PUT', '/rules/case-sync', { raisePriorityOnEscalation: on, closeAlertsWithCase: sync.data!.closeAlertsWithCase }), sync.reload()))}
          />
          <Toggle
            label="Close a case's open alerts when it is resolved or closed"
            checked={sync.data.closeAlertsWithCase}
            disabled={!admin || act.busy}
            onChange={(on) => act.run(async () => (await api('PUT', '/rules/case-sync', { raisePriorityOnEscalation: sync.data!.raisePriorityOnEscalation, closeAlertsWithCase: on }), sync.reload()))}
          />
        </>
      )}
    </Section>
  );
}

/**
 * The editor of a configuration list (playbooks, SLAs): which item is open,
 * a count that gives the new-item form a fresh key after each creation (an
 * empty form, never one of a list loading meanwhile), and `submit`, which
 * saves a body, closes the editor and reloads the list.
 */
function useListEditor(list: { reload: () => Promise<void> }) {
  const [editing, setEditing] = useState<string>();
  const [created, setCreated] = useState(0);
  const save = useAction();
  const submit = (path: string, method: 'POST' | 'PUT') => (body: unknown) =>
    void save.run(async () => {
      await api(method, path, body);
      if (method === 'POST') setCreated((n) => n + 1);
      setEditing(undefined);
      await list.reload();
    });
  return { editing, setEditing, created, save, submit };
}

function Playbooks() {
  const list = useLoad(() => apiAll<Playbook>('/playbooks'), []);
  const queues = useLoad(() => apiAll<Queue>('/queues'), []);
  const [dry, setDry] = useState<{ playbookId: string; matches: Alert[]; evaluated: number }>();
  const { editing, setEditing, created, save, submit } = useListEditor(list);
  const act = useAction();
  const admin = can('config:write');
  const toggled = (p: Playbook) => ({ name: p.name, enabled: !p.enabled, order: p.order, conditions: p.conditions, action: p.action });
  return (
    <Section title="Playbooks">
      <Problem error={list.error ?? act.error} />
      {(list.data?.items.length ?? 0) > 0 && (
        <div class="table-wrap">
          <table class="cards" role="table">
            <caption class="visually-hidden">Playbooks in evaluation order</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Name</th>
                <th scope="col" role="columnheader">Enabled</th>
                <th scope="col" role="columnheader">When</th>
                <th scope="col" role="columnheader">Then</th>
                {admin && <th scope="col" role="columnheader">Actions</th>}
              </tr>
            </thead>
            <tbody role="rowgroup">
              {list.data?.items.map((p) => (
                <tr role="row" key={p.playbookId}>
                  <td role="cell" data-label="Name">{p.name}</td>
                  <td role="cell" data-label="Enabled">{p.enabled ? 'yes' : 'no'}</td>
                  <td role="cell" data-label="When">{conditionsText(p.conditions)}</td>
                  <td role="cell" data-label="Then">{actionText(p.action)}</td>
                  {admin && (
                    <td role="cell" class="actions">
                      <button type="button" onClick={() => act.run(async () => setDry({ playbookId: p.playbookId, ...(await api<{ matches: Alert[]; evaluated: number }>('POST', `/playbooks/${p.playbookId}/test?limit=25`)) }))}>
                        Dry run {p.name}
                      </button>
                      <button type="button" onClick={() => setEditing(p.playbookId)}>
                        Edit {p.name}
                      </button>
                      <button type="button" onClick={() => act.run(async () => (await api('PUT', `/playbooks/${p.playbookId}`, toggled(p)), list.reload()))}>
                        {p.enabled ? 'Disable' : 'Enable'} {p.name}
                      </button>
                      <Confirm
                        label={`Delete ${p.name}`}
                        question={`Delete the playbook ${p.name}?`}
                        onConfirm={() => void act.run(async () => (await api('DELETE', `/playbooks/${p.playbookId}`), list.reload()))}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.items.length === 0 && <p>No playbooks yet.</p>}
      {dry && (
        <div role="status" aria-label="Dry run">
          <p>
            The dry run looked at {dry.evaluated} open alerts without a case; it would convert {dry.matches.length}:
          </p>
          <ul>
            {dry.matches.map((a) => (
              <li key={a.alertId}>
                <Link to={`/alerts/${a.alertId}`}>{a.description}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {admin && editing && (
        <PlaybookForm
          key={editing}
          label="Edit playbook"
          submitLabel="Save playbook"
          initial={list.data?.items.find((p) => p.playbookId === editing)}
          queues={queues.data?.items ?? []}
          busy={save.busy}
          error={save.error}
          onSubmit={submit(`/playbooks/${editing}`, 'PUT')}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {admin && !editing && (
        <PlaybookForm key={created} label="New playbook" submitLabel="Create playbook" queues={queues.data?.items ?? []} busy={save.busy} error={save.error} onSubmit={submit('/playbooks', 'POST')} />
      )}
    </Section>
  );
}

function Integrations() {
  const list = useLoad(() => apiAll<Integration>('/integrations'), []);
  const [form, setForm] = useState({ name: '', kind: 'alertmanager' });
  const [key, setKey] = useState<string>();
  const act = useAction();
  return (
    <Section title="Integrations">
      <Problem error={list.error ?? act.error} />
      <ul>
        {list.data?.items.map((i) => (
          <li key={i.integrationId}>
            {i.name} ({i.kind}, {when(i.createdAt)}){' '}
            <Confirm
              label={`Revoke ${i.name}`}
              link
              question={`Revoke ${i.name}? Its key stops working within 5 s.`}
              onConfirm={() => void act.run(async () => (await api('DELETE', `/integrations/${i.integrationId}`), list.reload()))}
            />
          </li>
        ))}
      </ul>
      {key && (
        <p role="status" class="notice">
          The integration's key, shown this once: <code>{key}</code>
        </p>
      )}
      <form
        class="inline"
        aria-label="New integration"
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(async () => {
            setKey((await api<{ key: string }>('POST', '/integrations', form)).key);
            setForm({ ...form, name: '' });
            await list.reload();
          });
        }}
      >
        <Field label="Name" name="name" error={act.error}>
          {(id, d) => <input id={id} aria-describedby={d} value={form.name} required onInput={(e) => setForm({ ...form, name: (e.currentTarget as HTMLInputElement).value })} />}
        </Field>
        <Field label="Kind" name="kind" error={act.error}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.kind} onChange={(e) => setForm({ ...form, kind: (e.currentTarget as HTMLSelectElement).value })}>
              <option value="alertmanager">alertmanager</option>
              <option value="pagerduty">pagerduty</option>
            </select>
          )}
        </Field>
        <button type="submit" disabled={act.busy}>
          Create integration
        </button>
      </form>
    </Section>
  );
}

function Queues() {
  const list = useLoad(() => apiAll<Queue>('/queues'), []);
  const [editing, setEditing] = useState<string>();
  // Each queue created empties the new-queue form (a new form).
  const [created, setCreated] = useState(0);
  const [saved, setSaved] = useState<string>();
  const save = useAction();
  const manage = can('queues:write');
  const submit = (isNew: boolean) => (queueId: string, body: QueueBody) =>
    void save.run(async () => {
      setSaved(undefined);
      await api('PUT', `/queues/${encodeURIComponent(queueId)}`, body);
      if (isNew) setCreated((n) => n + 1);
      setEditing(undefined);
      setSaved(isNew ? `Created the queue ${queueId}.` : `Saved the queue ${queueId}.`);
      await list.reload();
    });
  return (
    <Section title="Queues">
      <Problem error={list.error} />
      <p class="news" role="status" aria-live="polite">
        {saved}
      </p>
      <ul class="queues">
        {list.data?.items.map((q) => (
          <li key={q.queueId}>
            <strong>{q.queueId}</strong>: {q.members.length ? q.members.join(', ') : 'no members'} <small class="muted">({assignmentSummary(q)})</small>{' '}
            {manage && editing !== q.queueId && (
              <button
                type="button"
                class="link"
                onClick={() => {
                  save.reset();
                  setSaved(undefined);
                  setEditing(q.queueId);
                }}
              >
                Edit {q.queueId}
              </button>
            )}
            {manage && editing === q.queueId && (
              <QueueForm
                label={`Queue ${q.queueId}`}
                submitLabel={`Save ${q.queueId}`}
                initial={q}
                busy={save.busy}
                error={save.error}
                onSubmit={submit(false)}
                onCancel={() => (save.reset(), setEditing(undefined))}
              />
            )}
          </li>
        ))}
      </ul>
      {manage && !editing && (
        <QueueForm
          key={created}
          label="New queue"
          submitLabel="Create queue"
          taken={(id) => !!list.data?.items.some((q) => q.queueId === id)}
          busy={save.busy}
          error={save.error}
          onSubmit={submit(true)}
        />
      )}
    </Section>
  );
}

/** SLA definitions: everyone reads them; an admin creates, changes and deletes them. */
function Slas() {
  const list = useLoad(() => apiAll<SlaDefinition>('/slas'), []);
  const { editing, setEditing, created, save, submit } = useListEditor(list);
  const act = useAction();
  const admin = can('config:write');
  return (
    <Section title="SLAs">
      <Problem error={list.error ?? act.error} />
      {list.data && list.data.items.length === 0 && <p>No SLAs yet.</p>}
      <ul class="queues">
        {list.data?.items.map((d) => (
          <li key={d.slaId}>
            <strong>{d.name}</strong>: {slaSummaryText(d)}{' '}
            {admin && editing !== d.slaId && (
              <>
                <button type="button" class="link" onClick={() => (save.reset(), setEditing(d.slaId))}>
                  Edit {d.name}
                </button>
                <Confirm label={`Delete ${d.name}`} question={`Delete the SLA ${d.name}? Cases' SLAs of it are cancelled at their next change.`} onConfirm={() => void act.run(async () => (await api('DELETE', `/slas/${d.slaId}`), list.reload()))} />
              </>
            )}
            {admin && editing === d.slaId && (
              <SlaForm label={`SLA ${d.name}`} submitLabel={`Save ${d.name}`} initial={d} busy={save.busy} error={save.error} onSubmit={submit(`/slas/${d.slaId}`, 'PUT')} onCancel={() => (save.reset(), setEditing(undefined))} />
            )}
          </li>
        ))}
      </ul>
      {admin && !editing && <SlaForm key={created} label="New SLA" submitLabel="Create SLA" busy={save.busy} error={save.error} onSubmit={submit('/slas', 'POST')} />}
    </Section>
  );
}
