/**
 * Alerts (SPEC §8 "For use in an outage"): the list with its filters, counts,
 * sort and a text filter within what is loaded, live refresh; many alerts
 * selected at once for *Create Case* (one case, or a case each) and *Attach
 * to case*, each alert's outcome shown. An alert in a case opens its case.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ALERT_STATES } from '../../../lib/domain/alert.js';
import { MAX_ALERTS_PER_ATTACH } from '../../../lib/domain/case-alerts.js';
import { SEVERITIES } from '../../../lib/domain/priority.js';
import { api, query, type Page } from '../api.js';
import type { Alert, AlertResult, Case } from '../../../lib/contract/types.js';
import { Combobox, type Option } from '../combobox.js';
import { caseOptions, forgetPicked } from '../pickers.js';
import { can } from '../session.js';
import { Field, Link, More, Problem, useAction, usePaged, when, words } from '../ui.js';

const LIVE_SECONDS = 5;
const SORTS = { newest: 'newest first', severity: 'most severe first' } as const;

/** Where an alert in a list leads: its case when it has one (seed 002), with the way back to the alert; otherwise the alert. */
export const alertHref = (a: Pick<Alert, 'alertId' | 'caseId'>) => (a.caseId ? `/cases/${a.caseId}/from/${a.alertId}` : `/alerts/${a.alertId}`);

const matchesText = (a: Alert, text: string) =>
  !text || [a.description, a.source, a.ciId, a.caseNumber, a.type].some((v) => v?.toLowerCase().includes(text.toLowerCase()));

export function AlertsPage() {
  const [filters, setFilters] = useState({ state: 'open', severity: '', source: '' });
  const [live, setLive] = useState(true);
  const [sort, setSort] = useState<keyof typeof SORTS>('newest');
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<Done>();
  // After a bulk action the keyboard focus goes to what it did.
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => outcome.current?.focus(), [done]);
  const list = usePaged((cursor) => api<Page<Alert>>('GET', `/alerts${query({ ...filters, limit: 50, cursor })}`), [filters.state, filters.severity, filters.source]);
  // Live refresh keeps the first page fresh; once more pages are loaded (or alerts are selected) the list holds still.
  const still = selected.size > 0 || list.items.length > 50;
  useEffect(() => {
    if (!live || still) return;
    const timer = setInterval(() => void list.reload(), LIVE_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [live, still, list.reload]);
  const set = (name: keyof typeof filters) => (e: Event) => {
    setSelected(new Set());
    setFilters({ ...filters, [name]: (e.currentTarget as HTMLInputElement).value });
  };
  const shown = useMemo(() => {
    const kept = list.items.filter((a) => matchesText(a, text));
    return sort === 'severity' ? [...kept].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)) : kept;
  }, [list.items, text, sort]);
  const chosen = list.items.filter((a) => selected.has(a.alertId));
  const toggle = (alertId: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(alertId);
    else next.delete(alertId);
    setSelected(next);
  };
  const allShown = shown.length > 0 && shown.every((a) => selected.has(a.alertId));
  const mayAct = can('alerts:convert') || can('cases:attach');
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
        <Field label="Search the loaded alerts" name="text">
          {(id) => <input id={id} type="search" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} placeholder="description, CI, case…" />}
        </Field>
        <Field label="Sort" name="sort">
          {(id) => (
            <select id={id} value={sort} onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as keyof typeof SORTS)}>
              {Object.entries(SORTS).map(([value, label]) => (
                <option value={value}>{label}</option>
              ))}
            </select>
          )}
        </Field>
        <label class="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive((e.currentTarget as HTMLInputElement).checked)} /> Live refresh
        </label>
      </form>
      <p class="count" aria-live="polite">
        {list.loaded ? `${shown.length} of ${list.items.length} loaded alerts shown${list.hasMore ? ' (more to load)' : ''}` : 'Loading…'}
        {selected.size > 0 && `, ${selected.size} selected`}
      </p>
      {mayAct && shown.length > 0 && (
        <label class="check">
          <input
            type="checkbox"
            checked={allShown}
            onChange={(e) => setSelected((e.currentTarget as HTMLInputElement).checked ? new Set([...selected, ...shown.map((a) => a.alertId)]) : new Set())}
          />{' '}
          Select every alert shown
        </label>
      )}
      <Problem error={list.error} />
      {mayAct && chosen.length > 0 && (
        <BulkActions
          alerts={chosen}
          onDone={(outcome) => {
            setDone(outcome);
            setSelected(new Set());
            void list.reload();
          }}
        />
      )}
      {done && (
        <div role="status" class="notice" tabIndex={-1} ref={outcome}>
          <p>{done.summary}</p>
          <Outcomes results={done.results} alerts={done.alerts} />
        </div>
      )}
      {shown.length > 0 && (
        <div class="table-wrap">
          <table class="cards" role="table">
            <caption class="visually-hidden">Alerts, {SORTS[sort]}</caption>
            <thead role="rowgroup">
              <tr role="row">
                {mayAct && (
                  <th scope="col" role="columnheader">
                    <span class="visually-hidden">Selected</span>
                  </th>
                )}
                <th scope="col" role="columnheader">Severity</th>
                <th scope="col" role="columnheader">Description</th>
                <th scope="col" role="columnheader">Source</th>
                <th scope="col" role="columnheader">CI</th>
                <th scope="col" role="columnheader">State</th>
                <th scope="col" role="columnheader">Occurrences</th>
                <th scope="col" role="columnheader">Case</th>
                <th scope="col" role="columnheader">Last occurred</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {shown.map((a) => (
                <tr role="row" key={a.alertId}>
                  {mayAct && (
                    <td role="cell">
                      <input type="checkbox" aria-label={`Select ${a.description}`} checked={selected.has(a.alertId)} onChange={(e) => toggle(a.alertId, (e.currentTarget as HTMLInputElement).checked)} />
                    </td>
                  )}
                  <td role="cell" data-label="Severity">
                    <span class={`badge sev-${a.severity}`}>{a.severity}</span>
                  </td>
                  <td role="cell" data-label="Description">
                    <Link to={alertHref(a)}>{a.description}</Link>
                  </td>
                  <td role="cell" data-label="Source">{a.source}</td>
                  <td role="cell" data-label="CI">{a.ciId ?? '—'}</td>
                  <td role="cell" data-label="State">{words(a.state)}</td>
                  <td role="cell" data-label="Occurrences">{a.occurrences}</td>
                  <td role="cell" data-label="Case">{a.caseId ? <Link to={`/cases/${a.caseId}`}>{a.caseNumber}</Link> : '—'}</td>
                  <td role="cell" data-label="Last occurred">{when(a.lastOccurredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.loaded && shown.length === 0 && <p>No alerts match.</p>}
      <More list={list} label="Load more alerts" />
    </div>
  );
}

/** What the bulk actions did to each alert, by its description. */
function Outcomes({ results, alerts }: { results: AlertResult[]; alerts: Alert[] }) {
  const described = new Map(alerts.map((a) => [a.alertId, a.description]));
  return (
    <ul aria-label="Outcome for each alert">
      {results.map((r) => (
        <li key={r.alertId}>
          {described.get(r.alertId) ?? r.alertId}: {words(r.outcome)}
          {r.caseId && r.caseNumber && (
            <>
              {' '}
              — <Link to={`/cases/${r.caseId}`}>{r.caseNumber}</Link>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** What a bulk action did: a sentence, and each alert's outcome. */
interface Done {
  summary: string;
  results: AlertResult[];
  alerts: Alert[];
}

function BulkActions({ alerts, onDone }: { alerts: Alert[]; onDone: (done: Done) => void }) {
  const [shortDescription, setShortDescription] = useState('');
  const [target, setTarget] = useState<Option>();
  const act = useAction();
  const tooMany = alerts.length > MAX_ALERTS_PER_ATTACH;
  const finish = (results: AlertResult[], summary: string) => {
    // The cases and alerts a picker offers have changed.
    forgetPicked();
    onDone({ results, alerts, summary });
  };
  const convert = (mode: 'one_case' | 'case_per_alert') =>
    act.run(async () => {
      const body = { alertIds: alerts.map((a) => a.alertId), mode, ...(shortDescription.trim() ? { shortDescription: shortDescription.trim() } : {}) };
      const { results } = await api<{ results: AlertResult[] }>('POST', '/alerts/convert', body);
      const cases = new Set(results.filter((r) => r.outcome === 'converted').map((r) => r.caseNumber));
      finish(results, `Created ${cases.size === 1 ? 'one case' : `${cases.size} cases`} from ${results.filter((r) => r.outcome === 'converted').length} alerts.`);
    });
  const attach = (e: Event) => {
    e.preventDefault();
    if (!target) return;
    void act.run(async () => {
      const kase = await api<Case>('GET', `/cases/${target.id}`);
      const { results } = await api<{ results: AlertResult[] }>('POST', `/cases/${kase.caseId}/alerts`, { alertIds: alerts.map((a) => a.alertId) });
      finish(
        results.map((r) => (r.outcome === 'attached' ? { ...r, caseId: kase.caseId, caseNumber: kase.number } : r)),
        `Attached ${results.filter((r) => r.outcome === 'attached').length} alerts to case ${kase.number}.`,
      );
    });
  };
  return (
    <section aria-label="Selected alerts" class="bulk">
      <h2>
        {alerts.length} alert{alerts.length === 1 ? '' : 's'} selected
      </h2>
      {tooMany && <p class="problem">At most {MAX_ALERTS_PER_ATTACH} alerts at once: select fewer.</p>}
      {can('alerts:convert') && (
        <div class="inline">
          <Field label="Short description (blank: each case takes its alert's)" name="shortDescription" error={act.error}>
            {(id, d) => <input id={id} aria-describedby={d} value={shortDescription} maxLength={160} onInput={(e) => setShortDescription((e.currentTarget as HTMLInputElement).value)} />}
          </Field>
          <button type="button" class="primary" disabled={act.busy || tooMany} onClick={() => void convert('one_case')}>
            Create Case: one case
          </button>
          <button type="button" disabled={act.busy || tooMany} onClick={() => void convert('case_per_alert')}>
            Create Case: a case each
          </button>
        </div>
      )}
      {can('cases:attach') && (
        <form class="inline" aria-label="Attach the selected alerts to a case" onSubmit={attach}>
          <Field label="Case" name="case" error={act.error} hint="Type its number or words of its short description">
            {(id, d) => <Combobox id={id} describedBy={d} listLabel="Cases" search={caseOptions} onPick={setTarget} placeholder="CS0001001 or words" />}
          </Field>
          <button type="submit" disabled={act.busy || tooMany || !target}>
            Attach to case
          </button>
        </form>
      )}
      <Problem error={act.error} />
    </section>
  );
}
