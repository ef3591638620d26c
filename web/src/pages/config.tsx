/**
 * Configuration (SPEC §8): for admins the rules (proactive case, case sync),
 * playbooks with their dry run, integrations and their keys; queues and their
 * members for admins and managers. Others see what they may read.
 */
import { useState } from 'preact/hooks';
import { SEVERITIES } from '../../../lib/domain/priority.js';
import { api, apiAll } from '../api.js';
import { can } from '../session.js';
import type { Alert, Playbook, Queue } from '../../../lib/contract/types.js';
import { Confirm, Field, Link, Problem, Section, useAction, useLoad, when } from '../ui.js';

export function ConfigPage() {
  return (
    <div>
      <h1>Configuration</h1>
      <Rules />
      <Playbooks />
      {can('config:write') && <Integrations />}
      <Queues />
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

function Playbooks() {
  const list = useLoad(() => apiAll<Playbook>('/playbooks'), []);
  const blank = { name: '', sources: '', severityAtLeast: '', queue: '', priority: '', groupBy: '', windowMinutes: '30' };
  const [form, setForm] = useState(blank);
  const [dry, setDry] = useState<{ playbookId: string; matches: Alert[]; evaluated: number }>();
  const act = useAction();
  const admin = can('config:write');
  const create = (e: Event) => {
    e.preventDefault();
    void act.run(async () => {
      const conditions = {
        ...(form.sources ? { sources: form.sources.split(/[\s,]+/).filter(Boolean) } : {}),
        ...(form.severityAtLeast ? { severityAtLeast: form.severityAtLeast } : {}),
      };
      const by = form.groupBy.split(/[\s,]+/).filter(Boolean);
      const action = {
        ...(form.queue ? { queue: form.queue } : {}),
        ...(form.priority ? { priority: form.priority } : {}),
        ...(by.length ? { group: { by, windowMinutes: Number(form.windowMinutes) } } : {}),
      };
      await api('POST', '/playbooks', { name: form.name, conditions, action });
      setForm(blank);
      await list.reload();
    });
  };
  const set = (name: keyof typeof form) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const bodyOf = (p: Playbook, enabled: boolean) => ({ name: p.name, enabled, order: p.order, conditions: p.conditions, action: p.action });
  return (
    <Section title="Playbooks">
      <Problem error={list.error ?? act.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Playbooks in evaluation order</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Enabled</th>
              <th scope="col">Conditions</th>
              <th scope="col">Action</th>
              {admin && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((p) => (
              <tr key={p.playbookId}>
                <td>{p.name}</td>
                <td>{p.enabled ? 'yes' : 'no'}</td>
                <td>
                  <code>{JSON.stringify(p.conditions)}</code>
                </td>
                <td>
                  <code>{JSON.stringify(p.action)}</code>
                </td>
                {admin && (
                  <td class="actions">
                    <button type="button" onClick={() => act.run(async () => setDry({ playbookId: p.playbookId, ...(await api<{ matches: Alert[]; evaluated: number }>('POST', `/playbooks/${p.playbookId}/test?limit=25`)) }))}>
                      Dry run {p.name}
                    </button>
                    <button type="button" onClick={() => act.run(async () => (await api('PUT', `/playbooks/${p.playbookId}`, bodyOf(p, !p.enabled)), list.reload()))}>
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
      {admin && (
        <form class="inline" onSubmit={create} aria-label="New playbook">
          <Field label="Name" name="name" error={act.error}>
            {(id, d) => <input id={id} aria-describedby={d} value={form.name} required onInput={set('name')} />}
          </Field>
          <Field label="Sources" name="conditions.sources" error={act.error}>
            {(id, d) => <input id={id} aria-describedby={d} value={form.sources} placeholder="siem, edr" onInput={set('sources')} />}
          </Field>
          <Field label="Severity at least" name="conditions.severityAtLeast" error={act.error}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={form.severityAtLeast} onChange={set('severityAtLeast')}>
                <option value="">any</option>
                {SEVERITIES.map((s) => (
                  <option value={s}>{s}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Queue" name="action.queue" error={act.error}>
            {(id, d) => <input id={id} aria-describedby={d} value={form.queue} onInput={set('queue')} />}
          </Field>
          <Field label="Priority" name="action.priority" error={act.error}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={form.priority} onChange={set('priority')}>
                <option value="">from the severity</option>
                {['critical', 'high', 'moderate', 'low'].map((p) => (
                  <option value={p}>{p}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Group by" name="action.group.by" error={act.error} hint="ciId, source, type or attributes.<name>: one case per group">
            {(id, d) => <input id={id} aria-describedby={d} value={form.groupBy} placeholder="ciId" onInput={set('groupBy')} />}
          </Field>
          {form.groupBy && (
            <Field label="Window (minutes)" name="action.group.windowMinutes" error={act.error}>
              {(id, d) => <input id={id} aria-describedby={d} type="number" min={1} max={10080} value={form.windowMinutes} onInput={set('windowMinutes')} />}
            </Field>
          )}
          <button type="submit" disabled={act.busy}>
            Create playbook
          </button>
        </form>
      )}
    </Section>
  );
}

interface Integration {
  integrationId: string;
  name: string;
  kind: string;
  createdAt: string;
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
  return (
    <Section title="Queues">
      <Problem error={list.error} />
      <ul>
        {list.data?.items.map((q) => (
          <li key={q.queueId}>
            <QueueMembers queue={q} onSaved={list.reload} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** A queue and its members; admins and managers change them (each queue its own form and its own refusal). */
function QueueMembers({ queue: q, onSaved }: { queue: Queue; onSaved: () => Promise<void> }) {
  const [members, setMembers] = useState(q.members.join(', '));
  const act = useAction();
  if (!can('queues:write')) {
    return (
      <>
        <strong>{q.queueId}</strong>: {q.members.length ? q.members.join(', ') : 'no members'}
      </>
    );
  }
  return (
    <form
      class="inline"
      aria-label={`Members of ${q.queueId}`}
      onSubmit={(e) => {
        e.preventDefault();
        void act.run(async () => (await api('PUT', `/queues/${q.queueId}`, { members: members.split(/[\s,]+/).filter(Boolean) }), onSaved()));
      }}
    >
      <Field label={`Members of ${q.queueId}`} name="members" error={act.error}>
        {(id, d) => <input id={id} aria-describedby={d} value={members} onInput={(e) => setMembers((e.currentTarget as HTMLInputElement).value)} />}
      </Field>
      <button type="submit" disabled={act.busy}>
        Save {q.queueId}
      </button>
      <Problem error={act.error} />
    </form>
  );
}
