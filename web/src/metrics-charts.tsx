/**
 * The Team page's metrics (SPEC §8): `GET /metrics/summary` for a period, a
 * queue and a priority, as headline figures and charts: opened vs resolved,
 * MTTA and MTTR, SLA compliance per day, the backlog by queue × priority and
 * conversion by source. Each canvas is an image named by a sentence with its
 * main numbers, and each chart's numbers are a table under it. The charts
 * are drawn by uPlot (chart-canvas.ts), loaded when the section first shows:
 * the console's first script stays without it.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { PRIORITIES } from '../../lib/domain/priority.js';
import type { Priority, QueryOf, Queue } from '../../lib/contract/types.js';
import { api, query, type MetricsSummary } from './api.js';
import { chartsOf, headlines, lastDays, PERIODS, type ChartSpec } from './team-metrics.js';
import { Field, Problem, Section, usePoll, useLoad } from './ui.js';

/** The counters change as the stream counts: read again while the page is open. */
const POLL_MS = 60_000;

type DrawChart = typeof import('./chart-canvas.js').drawChart;
let drawing: Promise<DrawChart> | undefined;
/** The drawing module, fetched once (a separate file of the build, web/build.ts); tried again after a failure. */
function loadDrawing(): Promise<DrawChart> {
  drawing ??= import('./chart-canvas.js').then(
    (m) => m.drawChart,
    () => {
      drawing = undefined;
      // An old page whose charts' file the newest deployment replaced, or a dropped connection.
      throw new Error('The charts could not be loaded: reload the page to see them. Their numbers are in the tables under each.');
    },
  );
  return drawing;
}

export function TeamMetrics({ queues }: { queues: readonly Queue[] }) {
  const [period, setPeriod] = useState<number>(30);
  const [queue, setQueue] = useState('');
  const [priority, setPriority] = useState<Priority | ''>('');
  // The figures with the filters they were read for: until the next answer arrives, the page says what it shows.
  const summary = useLoad(async () => {
    // The days are counted again at each read: a page left open past midnight (UTC) moves on a day.
    const params: QueryOf<'GET /metrics/summary'> = { ...lastDays(period, Date.now()), queue: queue || undefined, priority: priority || undefined };
    return { queue, priority, summary: await api<MetricsSummary>('GET', `/metrics/summary${query(params)}`) };
  }, [period, queue, priority]);
  usePoll(summary.reload, POLL_MS, [period, queue, priority]);
  const shown = summary.data;
  const s = shown?.summary;
  const charts = useMemo(() => (s ? chartsOf(s) : []), [s]);
  const draw = useLoad(loadDrawing, []);
  const select = (set: (v: string) => void) => (e: Event) => set((e.currentTarget as HTMLSelectElement).value);
  return (
    <Section title="Team metrics">
      <form class="filters" aria-label="Team metrics filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Period" name="period">
          {(id) => (
            <select id={id} value={String(period)} onChange={select((v) => setPeriod(Number(v)))}>
              {PERIODS.map((days) => (
                <option key={days} value={String(days)}>
                  Last {days} days
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Queue" name="queue">
          {(id) => (
            <select id={id} value={queue} onChange={select(setQueue)}>
              <option value="">All queues</option>
              {queues.map((q) => (
                <option key={q.queueId} value={q.queueId}>
                  {q.queueId}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Priority" name="priority">
          {(id) => (
            <select id={id} value={priority} onChange={select((v) => setPriority(v as Priority | ''))}>
              <option value="">All priorities</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <Problem error={summary.error} />
      {!s && !summary.error && <p aria-busy="true">Loading…</p>}
      {s && shown && (
        <>
          <p class="muted">
            UTC days {s.from} to {s.to}
            {shown.queue ? `, queue ${shown.queue}` : ', every queue'}
            {shown.priority ? `, ${shown.priority} priority` : ''}.
          </p>
          <dl class="figures">
            {headlines(s).map((h) => (
              <div key={h.term}>
                <dt>{h.term}</dt>
                <dd>{h.value}</dd>
              </div>
            ))}
          </dl>
          <Problem error={draw.error} />
          <div class="charts">
            {charts.map((spec) => (
              <ChartBlock key={spec.id} spec={spec} draw={draw.data} />
            ))}
          </div>
        </>
      )}
    </Section>
  );
}

/** A chart with its title, its key, its note and its numbers. */
function ChartBlock({ spec, draw }: { spec: ChartSpec; draw: DrawChart | undefined }) {
  return (
    <div class="chart-block" id={`chart-${spec.id}`}>
      <h3>{spec.title}</h3>
      {spec.empty ? (
        <p>{spec.empty}</p>
      ) : (
        <>
          <ul class="legend" aria-hidden="true">
            {spec.series.map((series) => (
              <li key={series.label}>
                <span class={`swatch tone-${series.tone}`} />
                {series.label}
              </li>
            ))}
          </ul>
          <Chart spec={spec} draw={draw} />
        </>
      )}
      {spec.note && <p class="muted">{spec.note}</p>}
      {spec.table.rows.length > 0 && (
        <details>
          <summary>
            Numbers<span class="visually-hidden">: {spec.title}</span>
          </summary>
          <NumbersTable table={spec.table} />
        </details>
      )}
    </div>
  );
}

function NumbersTable({ table }: { table: ChartSpec['table'] }) {
  return (
    <table class="cards numbers" role="table">
      <caption class="visually-hidden">{table.caption}</caption>
      <thead role="rowgroup">
        <tr role="row">
          {table.head.map((h) => (
            <th key={h} scope="col" role="columnheader">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {table.rows.map((row) => (
          <tr role="row" key={row[0]}>
            {row.map((cell, i) => (
              <td key={i} role="cell" data-label={table.head[i]}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The chart of a spec, drawn once the drawing module is here; drawn again when the spec changes. */
function Chart({ spec, draw }: { spec: ChartSpec; draw: DrawChart | undefined }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => (draw ? draw(box.current!, spec) : undefined), [draw, spec]);
  return <div class="chart" ref={box} />;
}
