/** Alerts: the list with its filters and live refresh (SPEC §8). */
import { useEffect, useState } from 'preact/hooks';
import { ALERT_STATES } from '../../../lib/domain/alert.js';
import { SEVERITIES } from '../../../lib/domain/priority.js';
import { api, query, type Page } from '../api.js';
import type { Alert } from '../../../lib/contract/types.js';
import { Field, Link, Pager, Problem, useLoad, when, words } from '../ui.js';

const LIVE_SECONDS = 5;

export function AlertsPage() {
  const [filters, setFilters] = useState({ state: 'open', severity: '', source: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const [live, setLive] = useState(true);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(() => api<Page<Alert>>('GET', `/alerts${query({ ...filters, limit: 25, cursor })}`), [filters.state, filters.severity, filters.source, cursor]);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void page.reload(), LIVE_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [live, page.reload]);
  const set = (name: keyof typeof filters) => (e: Event) => {
    setCursors([]);
    setFilters({ ...filters, [name]: (e.currentTarget as HTMLInputElement).value });
  };
  return (
    <div>
      <h1>Alerts</h1>
      <form class="filters" role="search" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <Field label="State" name="state">
          {(id) => (
            <select id={id} value={filters.state} onChange={set('state')}>
              <option value="">any</option>
              {ALERT_STATES.map((s) => (
                <option value={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Severity" name="severity">
          {(id) => (
            <select id={id} value={filters.severity} onChange={set('severity')}>
              <option value="">any</option>
              {SEVERITIES.map((s) => (
                <option value={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Source" name="source">
          {(id) => <input id={id} value={filters.source} onChange={set('source')} placeholder="e.g. prometheus" />}
        </Field>
        <label class="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive((e.currentTarget as HTMLInputElement).checked)} /> Live refresh
        </label>
      </form>
      <Problem error={page.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Alerts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Description</th>
              <th scope="col">Source</th>
              <th scope="col">CI</th>
              <th scope="col">State</th>
              <th scope="col">Occurrences</th>
              <th scope="col">Case</th>
              <th scope="col">Last occurred</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.items.map((a) => (
              <tr key={a.alertId}>
                <td>
                  <span class={`badge sev-${a.severity}`}>{a.severity}</span>
                </td>
                <td>
                  <Link to={`/alerts/${a.alertId}`}>{a.description}</Link>
                </td>
                <td>{a.source}</td>
                <td>{a.ciId ?? '—'}</td>
                <td>{words(a.state)}</td>
                <td>{a.occurrences}</td>
                <td>{a.caseId ? <Link to={`/cases/${a.caseId}`}>{a.caseNumber}</Link> : '—'}</td>
                <td>{when(a.lastOccurredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.data && page.data.items.length === 0 && <p>No alerts match.</p>}
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={page.data?.nextCursor} />
    </div>
  );
}
