/** Cases: the list with its filters (stage, queue, assignee, mine, proactive, SLA) and each case's SLA chips (SPEC §8). */
import { useState } from 'preact/hooks';
import { STAGES } from '../../../lib/domain/stage-transitions.js';
import { api, query, apiAll, type Page } from '../api.js';
import { session } from '../session.js';
import type { CaseListItem, Queue } from '../../../lib/contract/types.js';
import { SlaChips } from '../sla-chips.js';
import { Field, Link, Pager, Problem, useLoad, when, words } from '../ui.js';

/** The SLA filter's choices: what each asks of the list (the window is read when chosen). */
const SLA_CHOICES = {
  '': { label: 'any', query: () => ({}) },
  breached: { label: 'breached', query: () => ({ slaBreached: true }) },
  hour: { label: 'breaching within 1 h', query: () => ({ slaBreached: false, slaDueBefore: new Date(Date.now() + 3600_000).toISOString() }) },
  clock: { label: 'on the clock, not breached', query: () => ({ slaBreached: false }) },
} as const;
type SlaChoice = keyof typeof SLA_CHOICES;

export function CasesPage() {
  const [filters, setFilters] = useState({ stage: '', queue: '', assignee: '', mine: false, proactive: '', sla: '' as SlaChoice });
  // The window of the SLA filter, fixed when it is chosen so that the pages of one list agree.
  const [slaQuery, setSlaQuery] = useState<Record<string, string | boolean>>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const queues = useLoad(() => apiAll<Queue>('/queues'), []);
  const assignee = filters.mine ? session()?.sub : filters.assignee;
  const page = useLoad(
    () => api<Page<CaseListItem>>('GET', `/cases${query({ stage: filters.stage, queue: filters.queue, assignee, proactive: filters.proactive, ...slaQuery, limit: 25, cursor })}`),
    [filters.stage, filters.queue, assignee, filters.proactive, slaQuery, cursor],
  );
  const set = (name: keyof typeof filters) => (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    setCursors([]);
    if (name === 'sla') setSlaQuery(SLA_CHOICES[el.value as SlaChoice].query());
    setFilters({ ...filters, [name]: el.type === 'checkbox' ? el.checked : el.value });
  };
  const byBreach = filters.sla !== '';
  return (
    <div>
      <h1>Cases</h1>
      <form class="filters" role="search" aria-label="Filter cases" onSubmit={(e) => e.preventDefault()}>
        <Field label="Stage" name="stage">
          {(id) => (
            <select id={id} value={filters.stage} onChange={set('stage')}>
              <option value="">any</option>
              {STAGES.map((s) => (
                <option value={s}>{words(s)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Queue" name="queue">
          {(id) => (
            <select id={id} value={filters.queue} onChange={set('queue')}>
              <option value="">any</option>
              {queues.data?.items.map((q) => (
                <option value={q.queueId}>{q.queueId}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Assignee" name="assignee">
          {(id) => <input id={id} value={filters.assignee} disabled={filters.mine} onChange={set('assignee')} />}
        </Field>
        <label class="check">
          <input type="checkbox" checked={filters.mine} onChange={set('mine')} /> Mine
        </label>
        <Field label="Proactive" name="proactive">
          {(id) => (
            <select id={id} value={filters.proactive} onChange={set('proactive')}>
              <option value="">any</option>
              <option value="true">proactive</option>
              <option value="false">not proactive</option>
            </select>
          )}
        </Field>
        <Field label="SLA" name="sla">
          {(id) => (
            <select id={id} value={filters.sla} onChange={set('sla')}>
              {Object.entries(SLA_CHOICES).map(([value, choice]) => (
                <option value={value}>{choice.label}</option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <Problem error={page.error} />
      {(page.data?.items.length ?? 0) > 0 && (
        <div class="table-wrap">
          <table class="cards" role="table">
            <caption class="visually-hidden">{byBreach ? 'Cases, earliest SLA breach first' : 'Cases, newest first'}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Number</th>
                <th scope="col" role="columnheader">Short description</th>
                <th scope="col" role="columnheader">Priority</th>
                <th scope="col" role="columnheader">Stage</th>
                <th scope="col" role="columnheader">Queue</th>
                <th scope="col" role="columnheader">Assignee</th>
                <th scope="col" role="columnheader">Account</th>
                <th scope="col" role="columnheader">SLAs</th>
                <th scope="col" role="columnheader">Alerts</th>
                <th scope="col" role="columnheader">Created</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {page.data?.items.map((c) => (
                <tr role="row" key={c.caseId}>
                  <td role="cell" data-label="Number">
                    <Link to={`/cases/${c.caseId}`}>{c.number}</Link>
                    {c.proactive && <span class="badge">proactive</span>}
                    {c.majorCase !== 'none' && <span class="badge">major {c.majorCase}</span>}
                  </td>
                  <td role="cell" data-label="Short description">{c.shortDescription}</td>
                  <td role="cell" data-label="Priority">{c.priority}</td>
                  <td role="cell" data-label="Stage">{words(c.stage)}</td>
                  <td role="cell" data-label="Queue">{c.queue ?? '—'}</td>
                  <td role="cell" data-label="Assignee">{c.assignee ?? '—'}</td>
                  <td role="cell" data-label="Account">{c.accountId ?? '—'}</td>
                  <td role="cell" data-label="SLAs">
                    <SlaChips slas={c.slas} />
                  </td>
                  <td role="cell" data-label="Alerts">{c.alertCount}</td>
                  <td role="cell" data-label="Created">{when(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.data && page.data.items.length === 0 && <p>No cases match.</p>}
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={page.data?.nextCursor} />
    </div>
  );
}
