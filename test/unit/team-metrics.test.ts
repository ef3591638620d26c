/** The Team page's metrics as people read them, and how their charts are drawn (web/src/team-metrics.ts, web/src/chart-axes.ts). */
import { clipLabel, stackedValues, tickText, yRange } from '../../web/src/chart-axes.js';
import { chartsOf, dayLabel, durationsText, durationUnit, headlines, lastDays, percentText, slaText, spanText } from '../../web/src/team-metrics.js';
import type { MetricsSummary } from '../../web/src/api.js';

const day = (date: string, over: Partial<MetricsSummary['byDay'][number]> = {}): MetricsSummary['byDay'][number] => ({
  date,
  casesCreated: 0,
  casesResolved: 0,
  casesClosed: 0,
  alertsRaised: 0,
  alertsConverted: 0,
  mttaMeanSeconds: null,
  mttrMeanSeconds: null,
  slaAchieved: 0,
  slaBreached: 0,
  slaPercent: null,
  ...over,
});

/** Three days: nothing on the first, four cases opened and one resolved on the second, one opened and two resolved on the third. */
const summary: MetricsSummary = {
  from: '2026-04-29',
  to: '2026-05-01',
  totals: { casesCreated: 5, casesResolved: 3, casesClosed: 1, alertsRaised: 3, alertsConverted: 2 },
  byDay: [
    day('2026-04-29'),
    day('2026-04-30', { casesCreated: 4, casesResolved: 1, mttaMeanSeconds: 300, mttrMeanSeconds: 5400, slaAchieved: 1, slaBreached: 1, slaPercent: 50 }),
    day('2026-05-01', { casesCreated: 1, casesResolved: 2, casesClosed: 1, mttrMeanSeconds: 7200, slaAchieved: 2, slaPercent: 100 }),
  ],
  mtta: { count: 2, meanSeconds: 300, p50Seconds: 240 },
  mttr: { count: 3, meanSeconds: 6600, p50Seconds: 7000 },
  sla: { response: { achieved: 2, breached: 1, percent: 66.667 }, resolution: { achieved: 1, breached: 0, percent: 100 } },
  backlog: [
    { queue: '', priority: 'low', stage: 'new', count: 1 },
    { queue: 'tier1', priority: 'critical', stage: 'in_progress', count: 1 },
    { queue: 'tier1', priority: 'critical', stage: 'new', count: 2 },
    { queue: 'tier1', priority: 'low', stage: 'awaiting_info', count: 3 },
  ],
  conversion: [
    { source: 'nagios', raised: 2, converted: 1, rate: 0.5 },
    { source: 'siem', raised: 1, converted: 1, rate: 1 },
  ],
};

/** A period with nothing counted: the API's zeros and nulls. */
const empty: MetricsSummary = {
  from: '2026-05-01',
  to: '2026-05-01',
  totals: { casesCreated: 0, casesResolved: 0, casesClosed: 0, alertsRaised: 0, alertsConverted: 0 },
  byDay: [day('2026-05-01')],
  mtta: { count: 0, meanSeconds: null, p50Seconds: null },
  mttr: { count: 0, meanSeconds: null, p50Seconds: null },
  sla: { response: { achieved: 0, breached: 0, percent: null }, resolution: { achieved: 0, breached: 0, percent: null } },
  backlog: [],
  conversion: [],
};

it('takes the last days in UTC, today included, whatever the hour', () => {
  expect(lastDays(7, Date.parse('2026-03-02T23:30:00Z'))).toEqual({ from: '2026-02-24', to: '2026-03-02' });
  expect(lastDays(1, Date.parse('2026-03-02T00:00:00Z'))).toEqual({ from: '2026-03-02', to: '2026-03-02' });
  expect(lastDays(90, Date.parse('2026-12-31T12:00:00Z'))).toEqual({ from: '2026-10-03', to: '2026-12-31' });
});

it('says durations, shares and SLA compliance in words, and "none" where nothing was counted', () => {
  expect([0, 45, 59.6, 89, 720, 3599, 3600, 7500, 86_400, 97_200, 190_800].map(spanText)).toEqual([
    '0 s',
    '45 s',
    '1 min',
    '1 min',
    '12 min',
    '1 h',
    '1 h',
    '2 h 5 min',
    '1 day',
    '1 day 3 h',
    '2 days 5 h',
  ]);
  expect(spanText(null)).toBe('none');
  expect([66.667, 100, 0, null].map(percentText)).toEqual(['66.7%', '100%', '0%', 'none']);
  expect(slaText(summary.sla.response)).toBe('66.7% met (2 of 3)');
  expect(slaText(empty.sla.response)).toBe('none ended');
  expect(durationsText(summary.mttr)).toBe('mean 1 h 50 min, median about 1 h 57 min, of 3 cases');
  expect(durationsText(empty.mtta)).toBe('none');
  expect(dayLabel('2026-05-01')).toBe('1 May');
  expect(dayLabel('2026-12-24')).toBe('24 Dec');
});

it('heads the section with the totals, MTTA, MTTR and each kind of SLA', () => {
  expect(headlines(summary)).toEqual([
    { term: 'Opened', value: '5' },
    { term: 'Resolved', value: '3' },
    { term: 'Closed', value: '1' },
    { term: 'Time to assign (MTTA)', value: 'mean 5 min, median about 4 min, of 2 cases' },
    { term: 'Time to resolve (MTTR)', value: 'mean 1 h 50 min, median about 1 h 57 min, of 3 cases' },
    { term: 'Response SLAs', value: '66.7% met (2 of 3)' },
    { term: 'Resolution SLAs', value: '100% met (1 of 1)' },
  ]);
  expect(headlines(empty).map((h) => h.value)).toEqual(['0', '0', '0', 'none', 'none', 'none ended', 'none ended']);
});

it('charts opened vs resolved per day, with a table of the same numbers and a summary for screen readers', () => {
  const [opened] = chartsOf(summary);
  expect(opened.labels).toEqual(['29 Apr', '30 Apr', '1 May']);
  expect(opened.series).toEqual([
    { label: 'Opened', tone: 'opened', values: [0, 4, 1] },
    { label: 'Resolved', tone: 'resolved', values: [0, 1, 2] },
  ]);
  expect(opened.table).toEqual({
    caption: 'Cases opened and resolved per day',
    head: ['Day', 'Opened', 'Resolved'],
    rows: [
      ['2026-04-29', '0', '0'],
      ['2026-04-30', '4', '1'],
      ['2026-05-01', '1', '2'],
    ],
  });
  expect(opened.summary).toBe('Bar chart of cases opened and resolved per day from 2026-04-29 to 2026-05-01: 5 opened; most on 2026-04-30 (4), 3 resolved.');
});

it('charts MTTA and MTTR per day in the unit the longest reads best in, leaving days without one empty', () => {
  const times = chartsOf(summary)[1];
  // The longest mean is 2 h: in minutes.
  expect(times.y).toEqual({ kind: 'duration', unit: { name: 'min', seconds: 60 } });
  expect(times.series.map((s) => s.values)).toEqual([
    [null, 5, null],
    [null, 90, 120],
  ]);
  expect(times.table.rows).toEqual([
    ['2026-04-29', 'none', 'none'],
    ['2026-04-30', '5 min', '1 h 30 min'],
    ['2026-05-01', 'none', '2 h'],
  ]);
  expect([7200, 7201, 72 * 3600, 72 * 3600 + 1].map((s) => durationUnit(s).name)).toEqual(['min', 'h', 'h', 'days']);
});

it('charts SLA compliance per day, both kinds together', () => {
  const sla = chartsOf(summary)[2];
  expect(sla.series).toEqual([{ label: 'SLAs met', tone: 'sla', values: [null, 50, 100] }]);
  expect(sla.table.rows).toEqual([
    ['2026-04-29', '0', '0', 'none'],
    ['2026-04-30', '1', '1', '50%'],
    ['2026-05-01', '2', '0', '100%'],
  ]);
  expect(sla.summary).toBe('Line chart of the share of SLAs met per day from 2026-04-29 to 2026-05-01: 3 met and 1 breached, 75%.');
});

it('charts the backlog by queue and priority, every open stage together, and conversion by source', () => {
  const [, , , backlog, conversion] = chartsOf(summary);
  expect(backlog.labels).toEqual(['no queue', 'tier1']);
  expect(backlog.series).toEqual([
    { label: 'critical', tone: 'critical', values: [0, 3] },
    { label: 'high', tone: 'high', values: [0, 0] },
    { label: 'moderate', tone: 'moderate', values: [0, 0] },
    { label: 'low', tone: 'low', values: [1, 3] },
  ]);
  expect(backlog.table).toMatchObject({
    head: ['Queue', 'critical', 'high', 'moderate', 'low', 'Total'],
    rows: [
      ['no queue', '0', '0', '0', '1', '1'],
      ['tier1', '3', '0', '0', '3', '6'],
    ],
  });
  expect(backlog.summary).toBe('Stacked bar chart of the open cases now by queue and priority: 7 in 2 queues; most in tier1 (6).');
  expect(backlog.empty).toBeUndefined();
  expect(conversion.series).toEqual([{ label: 'Converted', tone: 'conversion', values: [50, 100] }]);
  expect(conversion.table.rows).toEqual([
    ['nagios', '2', '1', '50%'],
    ['siem', '1', '1', '100%'],
  ]);
});

it('shows a period with nothing counted as zeros and "none", and says so instead of drawing an empty backlog or conversion', () => {
  const charts = chartsOf(empty);
  expect(charts.map((c) => c.empty)).toEqual([undefined, undefined, undefined, 'No open cases.', 'No alerts raised.']);
  expect(charts[0].table.rows).toEqual([['2026-05-01', '0', '0']]);
  expect(charts[0].summary).toBe('Bar chart of cases opened and resolved per day on 2026-05-01: 0 opened, 0 resolved.');
  expect(charts[1].series.map((s) => s.values)).toEqual([[null], [null]]);
  expect(charts[2].summary).toBe('Line chart of the share of SLAs met per day on 2026-05-01: no SLA ended.');
  expect(charts[3].table.rows).toEqual([]);
  expect(charts[4].table.rows).toEqual([]);
});

it('draws stacked bars as running sums, tallest first, and reads ticks and spans as the axis shows them', () => {
  const series = chartsOf(summary)[3].series;
  expect(stackedValues(series)).toEqual([
    [1, 6],
    [0, 3],
    [0, 3],
    [0, 3],
  ]);
  expect(tickText({ kind: 'count' }, 4)).toBe('4');
  expect(tickText({ kind: 'percent' }, 50)).toBe('50%');
  expect(tickText({ kind: 'duration', unit: { name: 'h', seconds: 3600 } }, 1.5)).toBe('1.5 h');
  expect(yRange({ kind: 'percent' }, 12)).toEqual([0, 105]);
  expect(yRange({ kind: 'count' }, 4)).toEqual([0, 5]);
  expect(yRange({ kind: 'count' }, 0)).toEqual([0, 1]);
  // Nothing to draw (every day's MTTA none): uPlot passes no maximum.
  expect(yRange({ kind: 'duration', unit: { name: 'min', seconds: 60 } }, null)).toEqual([0, 1]);
  expect(yRange({ kind: 'duration', unit: { name: 'min', seconds: 60 } }, -Infinity)).toEqual([0, 1]);
  expect(clipLabel('night-shift', 20)).toBe('night-shift');
  expect(clipLabel('night-shift', 6)).toBe('night…');
  expect(clipLabel('night-shift', 0)).toBe('n…');
});
