/**
 * The Team page's metrics (SPEC §8) as people read them: the days a period
 * covers (UTC, as the API counts them), durations and shares in words, the
 * headline figures, and each chart's series, the summary a screen reader
 * hears for it and the table of its numbers. Pure: metrics-charts.tsx shows
 * them, chart-canvas.ts draws the charts with uPlot.
 */
import { PRIORITIES } from '../../lib/domain/priority.js';
import type { MetricsSummary } from './api.js';

/** The periods offered, in days ending today (UTC). */
export const PERIODS = [7, 30, 90] as const;

const DAY_MS = 86_400_000;

/** The inclusive UTC days of the last `days` days, today (at `now`, ms since the epoch) the last. */
export function lastDays(days: number, now: number): { from: string; to: string } {
  const to = new Date(now).toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A day as an axis shows it: "3 May" (the tables give the date in full). */
export const dayLabel = (date: string) => `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** About how long, as people say it: "45 s", "12 min", "2 h 5 min", "3 days 4 h"; "none" when nothing was counted. */
export function spanText(seconds: number | null): string {
  if (seconds === null) return 'none';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const [h, m] = [Math.floor(minutes / 60), minutes % 60];
  if (h < 24) return `${h} h${m ? ` ${m} min` : ''}`;
  const [d, dh] = [Math.floor(h / 24), h % 24];
  return `${plural(d, 'day')}${dh ? ` ${dh} h` : ''}`;
}

/** A share 0–100 as "87.5%", "none" when there was nothing to share. */
export const percentText = (percent: number | null) => (percent === null ? 'none' : `${Number(percent.toFixed(1))}%`);

/** A rate 0–1 as a percentage. */
const ratePercent = (rate: number | null) => (rate === null ? null : Number((rate * 100).toFixed(1)));

type Sla = MetricsSummary['sla']['response'];
type Durations = MetricsSummary['mtta'];

/** An SLA kind's compliance: "90% met (9 of 10)", or that none ended. */
export const slaText = (sla: Sla) => (sla.percent === null ? 'none ended' : `${percentText(sla.percent)} met (${sla.achieved} of ${sla.achieved + sla.breached})`);

/** MTTA or MTTR: "mean 12 min, median about 15 min, of 4 cases", or "none". */
export const durationsText = (d: Durations) =>
  d.count === 0 || d.meanSeconds === null ? 'none' : `mean ${spanText(d.meanSeconds)}, median about ${spanText(d.p50Seconds)}, of ${plural(d.count, 'case')}`;

/** The headline figures, term and value. */
export function headlines(s: MetricsSummary): { term: string; value: string }[] {
  return [
    { term: 'Opened', value: String(s.totals.casesCreated) },
    { term: 'Resolved', value: String(s.totals.casesResolved) },
    { term: 'Closed', value: String(s.totals.casesClosed) },
    { term: 'Time to assign (MTTA)', value: durationsText(s.mtta) },
    { term: 'Time to resolve (MTTR)', value: durationsText(s.mttr) },
    { term: 'Response SLAs', value: slaText(s.sla.response) },
    { term: 'Resolution SLAs', value: slaText(s.sla.resolution) },
  ];
}

/** The colour a series is drawn in: its CSS custom property `--chart-<tone>` (styles.css), the legend's swatch too. */
export type Tone = 'opened' | 'resolved' | 'mtta' | 'mttr' | 'sla' | 'conversion' | (typeof PRIORITIES)[number];

export interface ChartSeries {
  label: string;
  tone: Tone;
  /** One value per label; null where there is nothing to draw (a day with no MTTA). */
  values: (number | null)[];
}

/** A duration axis's unit: the largest in which the longest value still reads well. */
export interface DurationUnit {
  name: 'min' | 'h' | 'days';
  seconds: number;
}

export type YAxis = { kind: 'count' } | { kind: 'percent' } | { kind: 'duration'; unit: DurationUnit };

export interface ChartSpec {
  id: string;
  title: string;
  /** What the chart shows, in a sentence with its main numbers: the canvas's accessible name. */
  summary: string;
  /** The x axis: a day or a category per point. */
  labels: string[];
  /** `grouped`: bars side by side; `stacked`: bars on each other (their sums drawn, see chart-axes.ts). */
  draw: 'grouped' | 'stacked' | 'bars' | 'lines';
  series: ChartSeries[];
  y: YAxis;
  /** Said instead of the chart when there is nothing to draw (no queue has open cases, no alert was raised). */
  empty?: string;
  /** Said under the chart: what it counts differently. */
  note?: string;
  /** The chart's numbers. */
  table: { caption: string; head: string[]; rows: string[][] };
}

/** The unit of a duration axis whose longest value is `maxSeconds`. */
export function durationUnit(maxSeconds: number): DurationUnit {
  if (maxSeconds <= 2 * 3600) return { name: 'min', seconds: 60 };
  if (maxSeconds <= 72 * 3600) return { name: 'h', seconds: 3600 };
  return { name: 'days', seconds: 86_400 };
}

const count = (n: number) => String(n);
const range = (s: MetricsSummary) => (s.from === s.to ? `on ${s.from}` : `from ${s.from} to ${s.to}`);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The day with the most of `values` (the first such), if any is above 0. */
function peak(days: readonly string[], values: readonly number[]): string {
  const most = Math.max(0, ...values);
  return most > 0 ? `; most on ${days[values.indexOf(most)]} (${most})` : '';
}

/** Per day: cases opened (created) and resolved. */
function openedResolved(s: MetricsSummary): ChartSpec {
  const days = s.byDay.map((d) => d.date);
  const opened = s.byDay.map((d) => d.casesCreated);
  const resolved = s.byDay.map((d) => d.casesResolved);
  return {
    id: 'opened-resolved',
    title: 'Opened and resolved per day',
    summary: `Bar chart of cases opened and resolved per day ${range(s)}: ${sum(opened)} opened${peak(days, opened)}, ${sum(resolved)} resolved.`,
    labels: days.map(dayLabel),
    draw: 'grouped',
    series: [
      { label: 'Opened', tone: 'opened', values: opened },
      { label: 'Resolved', tone: 'resolved', values: resolved },
    ],
    y: { kind: 'count' },
    table: { caption: 'Cases opened and resolved per day', head: ['Day', 'Opened', 'Resolved'], rows: s.byDay.map((d) => [d.date, count(d.casesCreated), count(d.casesResolved)]) },
  };
}

/** Per day: the means of MTTA and MTTR. */
function meanTimes(s: MetricsSummary): ChartSpec {
  const seconds = s.byDay.flatMap((d) => [d.mttaMeanSeconds ?? 0, d.mttrMeanSeconds ?? 0]);
  const unit = durationUnit(Math.max(0, ...seconds));
  const inUnit = (v: number | null) => (v === null ? null : Number((v / unit.seconds).toFixed(2)));
  return {
    id: 'mean-times',
    title: 'Time to assign (MTTA) and to resolve (MTTR) per day',
    summary: `Line chart of the mean time to assign (MTTA) and to resolve (MTTR) per day ${range(s)}: MTTA ${durationsText(s.mtta)}; MTTR ${durationsText(s.mttr)}.`,
    labels: s.byDay.map((d) => dayLabel(d.date)),
    draw: 'lines',
    series: [
      { label: 'MTTA (mean)', tone: 'mtta', values: s.byDay.map((d) => inUnit(d.mttaMeanSeconds)) },
      { label: 'MTTR (mean)', tone: 'mttr', values: s.byDay.map((d) => inUnit(d.mttrMeanSeconds)) },
    ],
    y: { kind: 'duration', unit },
    table: {
      caption: 'Mean time to assign and to resolve per day',
      head: ['Day', 'MTTA (mean)', 'MTTR (mean)'],
      rows: s.byDay.map((d) => [d.date, spanText(d.mttaMeanSeconds), spanText(d.mttrMeanSeconds)]),
    },
  };
}

/** Per day: the share of the SLAs (both kinds) that ended met. */
function slaCompliance(s: MetricsSummary): ChartSpec {
  const achieved = sum(s.byDay.map((d) => d.slaAchieved));
  const breached = sum(s.byDay.map((d) => d.slaBreached));
  const overall = achieved + breached === 0 ? 'no SLA ended' : `${achieved} met and ${breached} breached, ${percentText((achieved / (achieved + breached)) * 100)}`;
  return {
    id: 'sla-compliance',
    title: 'SLA compliance per day',
    summary: `Line chart of the share of SLAs met per day ${range(s)}: ${overall}.`,
    labels: s.byDay.map((d) => dayLabel(d.date)),
    draw: 'lines',
    series: [{ label: 'SLAs met', tone: 'sla', values: s.byDay.map((d) => d.slaPercent) }],
    y: { kind: 'percent' },
    table: {
      caption: 'SLAs met and breached per day, response and resolution together',
      head: ['Day', 'Met', 'Breached', 'Compliance'],
      rows: s.byDay.map((d) => [d.date, count(d.slaAchieved), count(d.slaBreached), percentText(d.slaPercent)]),
    },
  };
}

const queueName = (queue: string) => queue || 'no queue';

/** Open cases now, by queue and priority (every open stage together). */
function backlog(s: MetricsSummary): ChartSpec {
  const queues = [...new Set(s.backlog.map((b) => b.queue))];
  const of = (queue: string, priority: string) => sum(s.backlog.filter((b) => b.queue === queue && b.priority === priority).map((b) => b.count));
  const totals = queues.map((q) => sum(PRIORITIES.map((p) => of(q, p))));
  const total = sum(totals);
  const most = Math.max(0, ...totals);
  return {
    id: 'backlog',
    title: 'Backlog now, by queue and priority',
    summary:
      total === 0
        ? 'No open cases.'
        : `Stacked bar chart of the open cases now by queue and priority: ${total} in ${plural(queues.length, 'queue')}; most in ${queueName(queues[totals.indexOf(most)])} (${most}).`,
    labels: queues.map(queueName),
    draw: 'stacked',
    series: PRIORITIES.map((p) => ({ label: p, tone: p, values: queues.map((q) => of(q, p)) })),
    y: { kind: 'count' },
    empty: total === 0 ? 'No open cases.' : undefined,
    table: {
      caption: 'Open cases now by queue and priority',
      head: ['Queue', ...PRIORITIES, 'Total'],
      rows: queues.map((q, i) => [queueName(q), ...PRIORITIES.map((p) => count(of(q, p))), count(totals[i])]),
    },
  };
}

/** Of the alerts raised in the period, the share made into a case or attached to one, by source. */
function conversion(s: MetricsSummary): ChartSpec {
  const raised = sum(s.conversion.map((c) => c.raised));
  return {
    id: 'conversion',
    title: 'Alerts converted, by source',
    summary:
      raised === 0
        ? 'No alerts raised.'
        : `Bar chart of the share of alerts made into or attached to a case, by source, ${range(s)}: ${s.conversion.map((c) => `${c.source} ${percentText(ratePercent(c.rate))} (${c.converted} of ${c.raised})`).join(', ')}.`,
    labels: s.conversion.map((c) => c.source),
    draw: 'bars',
    series: [{ label: 'Converted', tone: 'conversion', values: s.conversion.map((c) => ratePercent(c.rate)) }],
    y: { kind: 'percent' },
    empty: raised === 0 ? 'No alerts raised.' : undefined,
    note: 'Alerts are counted by the day they were raised and by source alone: the queue and priority picked leave them be.',
    table: {
      caption: 'Alerts raised and converted by source',
      head: ['Source', 'Raised', 'Converted', 'Rate'],
      rows: s.conversion.map((c) => [c.source, count(c.raised), count(c.converted), percentText(ratePercent(c.rate))]),
    },
  };
}

/** Every chart of the Team page, in the order shown. */
export const chartsOf = (s: MetricsSummary): ChartSpec[] => [openedResolved(s), meanTimes(s), slaCompliance(s), backlog(s), conversion(s)];
