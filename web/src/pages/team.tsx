/**
 * Team (SPEC §8), for managers: a queue's waiting work (queued and offered
 * cases, how long each has waited, those over the queue's target wait) and
 * its agents' presence and load, read again every few seconds while the page
 * is visible. A manager sets an agent's presence and capacity here. Below,
 * the team's metrics and their charts (metrics-charts.tsx).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { PRESENCES, MAX_CAPACITY } from '../../../lib/domain/assignment.js';
import { api, apiAll, query, type Agent, type Page, type Presence, type WorkItem } from '../api.js';
import { capacityText, durationText, waitText } from '../inbox-text.js';
import { presenceLabel } from '../presence.js';
import { session } from '../session.js';
import type { Case, Queue } from '../../../lib/contract/types.js';
import { Field, Link, Problem, Section, useAction, useLoad, usePoll, when, words } from '../ui.js';
import { TeamMetrics } from '../metrics-charts.js';
import { Countdown } from './inbox.js';

const POLL_MS = 5000;
const SHOWN = 100;

type CaseLabel = { number: string; shortDescription: string };

export function TeamPage() {
  const queues = useLoad(() => apiAll<Queue>('/queues'), []);
  const [queueId, setQueueId] = useState('');
  const list = queues.data?.items ?? [];
  // The first queue that hands out work, else the first queue.
  const shown = queueId || (list.find((q) => q.assignment !== 'manual') ?? list[0])?.queueId || '';
  const queue = list.find((q) => q.queueId === shown);
  return (
    <div>
      <h1>Team</h1>
      <Section title="Queues and agents">
        <Problem error={queues.error} />
        {queues.data && list.length === 0 && <p>No queues yet: create one under Configuration.</p>}
        {list.length > 0 && (
          <form class="filters" aria-label="Pick a queue" onSubmit={(e) => e.preventDefault()}>
            <Field label="Queue" name="queue">
              {(id) => (
                <select id={id} value={shown} onChange={(e) => setQueueId((e.currentTarget as HTMLSelectElement).value)}>
                  {list.map((q) => (
                    <option key={q.queueId} value={q.queueId}>
                      {q.queueId} ({q.assignment})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </form>
        )}
        {queue && <QueueTeam key={queue.queueId} queue={queue} />}
      </Section>
      <TeamMetrics queues={list} />
    </div>
  );
}

function assignmentText(q: Queue): string {
  if (q.assignment === 'manual') return 'Manual: nothing is offered; cases are assigned by hand.';
  const how = q.strategy === 'round_robin' ? 'round robin' : 'most free capacity first';
  const target = q.targetWaitSeconds ? `; target wait ${durationText(q.targetWaitSeconds)}` : '';
  return q.assignment === 'auto' ? `Assigned at once, ${how}${target}.` : `Offered, ${how}; an offer lasts ${durationText(q.offerTimeoutSeconds)}${target}.`;
}

function QueueTeam({ queue }: { queue: Queue }) {
  // Case numbers and short descriptions, read once per case: the work items carry only the case's id.
  const labels = useRef(new Map<string, CaseLabel>());
  const work = useLoad(async () => {
    const [queued, offered] = await Promise.all(
      (['queued', 'offered'] as const).map((state) => api<Page<WorkItem>>('GET', `/queues/${encodeURIComponent(queue.queueId)}/work-items${query({ state, limit: SHOWN })}`)),
    );
    const items = [...offered.items, ...queued.items];
    const missing = [...new Set(items.map((i) => i.caseId))].filter((id) => !labels.current.has(id));
    await Promise.all(
      missing.map((id) =>
        api<Case>('GET', `/cases/${id}`)
          .then((c) => labels.current.set(id, { number: c.number, shortDescription: c.shortDescription }))
          .catch(() => undefined),
      ),
    );
    return { queued: queued.items, offered: offered.items, more: queued.nextCursor !== null || offered.nextCursor !== null };
  }, [queue.queueId]);
  const agents = useLoad(() => apiAll<Agent>(`/users${query({ queue: queue.queueId })}`), [queue.queueId]);
  usePoll(() => Promise.all([work.reload(), agents.reload()]), POLL_MS, [queue.queueId]);
  const caseCell = (item: WorkItem) => {
    const label = labels.current.get(item.caseId);
    return <Link to={`/cases/${item.caseId}`}>{label ? `${label.number} ${label.shortDescription}` : 'Open the case'}</Link>;
  };
  const rows = work.data ? [...work.data.offered, ...work.data.queued] : [];
  return (
    <>
      <p class="muted">{assignmentText(queue)}</p>
      <h3>Waiting work</h3>
      <Problem error={work.error} />
      {work.data && rows.length === 0 && <p>No cases waiting in {queue.queueId}.</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="cards" role="table">
            <caption class="visually-hidden">Cases waiting in {queue.queueId}: offered, then queued, highest priority first</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Case</th>
                <th scope="col" role="columnheader">Priority</th>
                <th scope="col" role="columnheader">State</th>
                <th scope="col" role="columnheader">Waiting</th>
                <th scope="col" role="columnheader">Offered to</th>
                <th scope="col" role="columnheader">Offers</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {rows.map((item) => (
                <tr role="row" key={item.workItemId} class={item.exceededTargetWait ? 'over-target' : undefined}>
                  <td role="cell" data-label="Case">
                    {caseCell(item)}
                  </td>
                  <td role="cell" data-label="Priority">
                    {item.priority}
                  </td>
                  <td role="cell" data-label="State">
                    {words(item.state)}
                  </td>
                  <td role="cell" data-label="Waiting">
                    {waitText(item.waitSeconds)}
                    {item.exceededTargetWait && <span class="badge over">over target</span>}
                  </td>
                  <td role="cell" data-label="Offered to">
                    {item.state === 'offered' && item.offeredTo ? (
                      <>
                        {item.offeredTo} {item.expiresAt && <Countdown expiresAt={item.expiresAt} />}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td role="cell" data-label="Offers">
                    {item.offerCount}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {work.data?.more && <p class="muted">Showing the first {SHOWN} queued and {SHOWN} offered.</p>}
      <h3>Agents</h3>
      <Problem error={agents.error} />
      {agents.data && agents.data.items.length === 0 && <p>{queue.queueId} has no members: add them under Configuration.</p>}
      {(agents.data?.items.length ?? 0) > 0 && (
        <div class="table-wrap">
          <table class="cards" role="table">
            <caption class="visually-hidden">Members of {queue.queueId}: presence and load</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Agent</th>
                <th scope="col" role="columnheader">Presence</th>
                <th scope="col" role="columnheader">Load</th>
                <th scope="col" role="columnheader">Last assigned</th>
                <th scope="col" role="columnheader">Change</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {agents.data?.items.map((a) => (
                <tr role="row" key={a.sub}>
                  <td role="cell" data-label="Agent">
                    {a.sub}
                    {a.sub === session()?.sub && <small class="muted"> (you)</small>}
                  </td>
                  <td role="cell" data-label="Presence">
                    <span class={`badge presence-${a.presence}`}>{presenceLabel(a.presence)}</span>
                  </td>
                  <td role="cell" data-label="Load">
                    {capacityText(a.inUse, a.capacity)}
                  </td>
                  <td role="cell" data-label="Last assigned">
                    {a.lastAssignedAt ? when(a.lastAssignedAt) : 'never'}
                  </td>
                  <td role="cell" data-label="Change">
                    <AgentForm agent={a} onSaved={agents.reload} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A manager sets an agent's presence and capacity (`PUT /users/{sub}`). */
function AgentForm({ agent, onSaved }: { agent: Agent; onSaved: () => Promise<void> }) {
  const [presence, setPresence] = useState<Presence>(agent.presence);
  const [capacity, setCapacity] = useState(String(agent.capacity));
  const [saved, setSaved] = useState<string>();
  const act = useAction();
  // What the agent has now, when nothing was changed here (they set their presence themselves, an offer timed out).
  const [base, setBase] = useState({ presence: agent.presence, capacity: agent.capacity });
  useEffect(() => {
    const untouched = presence === base.presence && capacity === String(base.capacity);
    setBase({ presence: agent.presence, capacity: agent.capacity });
    if (untouched) {
      setPresence(agent.presence);
      setCapacity(String(agent.capacity));
    }
  }, [agent.presence, agent.capacity]);
  return (
    <form
      class="inline agent-form"
      aria-label={`Presence and capacity of ${agent.sub}`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(undefined);
        void act.run(async () => {
          const body: { presence?: Presence; capacity?: number } = {};
          if (presence !== agent.presence) body.presence = presence;
          if (Number(capacity) !== agent.capacity) body.capacity = Number(capacity);
          if (Object.keys(body).length === 0) return;
          await api<Agent>('PUT', `/users/${encodeURIComponent(agent.sub)}`, body);
          setSaved(`Saved ${agent.sub}.`);
          await onSaved();
        });
      }}
    >
      <Field label={`Presence of ${agent.sub}`} name="presence" error={act.error}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={presence} onChange={(e) => setPresence((e.currentTarget as HTMLSelectElement).value as Presence)}>
            {PRESENCES.map((p) => (
              <option key={p} value={p}>
                {presenceLabel(p)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={`Capacity of ${agent.sub}`} name="capacity" error={act.error}>
        {(id, d) => (
          <input id={id} aria-describedby={d} type="number" min={0} max={MAX_CAPACITY} step={1} required value={capacity} onInput={(e) => setCapacity((e.currentTarget as HTMLInputElement).value)} />
        )}
      </Field>
      <button type="submit" disabled={act.busy}>
        Save {agent.sub}
      </button>
      <span class="saved" role="status">
        {saved}
      </span>
      <Problem error={act.error} />
    </form>
  );
}
