/**
 * Draws a chart of the Team page (team-metrics.ts `ChartSpec`) with uPlot on
 * a canvas as wide as its container, and redraws it at the container's new
 * width. Loaded on demand (metrics-charts.tsx imports it dynamically), so
 * that only the Team page pays for uPlot: it imports nothing the console's
 * first script does. uPlot styles its elements through the CSSOM, which the
 * console's CSP allows; its stylesheet is in app.css (main.tsx imports it).
 */
import uPlot from 'uplot';
import { clipLabel, stackedValues, tickText, yRange } from './chart-axes.js';
import type { ChartSpec } from './team-metrics.js';

const HEIGHT = 220;

/** Draws `spec` into `el`; the function returned removes it. */
export function drawChart(el: HTMLElement, spec: ChartSpec): () => void {
  let width = el.clientWidth;
  const plot = new uPlot(optionsOf(spec, width), dataOf(spec), el);
  // The canvas is an image to assistive technology, named by what it shows; the table under it gives every number.
  plot.ctx.canvas.setAttribute('role', 'img');
  plot.ctx.canvas.setAttribute('aria-label', spec.summary);
  const resized = new ResizeObserver(() => {
    if (el.clientWidth === width) return;
    width = el.clientWidth;
    plot.setSize({ width, height: HEIGHT });
  });
  resized.observe(el);
  return () => {
    resized.disconnect();
    plot.destroy();
  };
}

/** The series as uPlot draws them: stacked bars as their running sums, tallest first. */
function drawnSeries(spec: ChartSpec) {
  if (spec.draw !== 'stacked') return spec.series;
  const sums = stackedValues(spec.series);
  return [...spec.series].reverse().map((series, i) => ({ ...series, values: sums[i] }));
}

const dataOf = (spec: ChartSpec): uPlot.AlignedData => [spec.labels.map((_, i) => i), ...drawnSeries(spec).map((s) => s.values)];

function optionsOf(spec: ChartSpec, width: number): uPlot.Options {
  // Colours live in styles.css (`--chart-<tone>`), which the legend's swatches use too.
  const css = getComputedStyle(document.documentElement);
  const colour = (name: string) => css.getPropertyValue(`--${name}`).trim();
  const ink = colour('ink');
  const n = spec.labels.length;
  const days = spec.draw === 'grouped' || spec.draw === 'lines';
  const bars = (opts: uPlot.Series.BarsPathBuilderOpts) => uPlot.paths.bars!(opts);
  const series: uPlot.Series[] = drawnSeries(spec).map((s, i) => {
    const tone = colour(`chart-${s.tone}`);
    if (spec.draw === 'lines') return { label: s.label, stroke: tone, width: 2, spanGaps: false, points: { show: true, size: 6, fill: tone, stroke: tone } };
    // Two bars a day, side by side: the first left of the day's tick, the second right of it.
    const paths = spec.draw === 'grouped' ? bars({ size: [0.4, 24], align: i === 0 ? -1 : 1 }) : bars({ size: [0.6, 64] });
    return { label: s.label, stroke: tone, fill: tone, width: 0, paths, points: { show: false } };
  });
  return {
    width,
    height: HEIGHT,
    // The key and the numbers are the page's own (a list and a table): nothing that only a mouse reaches.
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: () => [-0.5, n - 0.5] },
      y: { range: (_u, _min, max) => yRange(spec.y, max) },
    },
    axes: [
      {
        stroke: ink,
        grid: { show: false },
        // Whole steps only: a tick per day (or every few days), a tick per category.
        incrs: [1, 2, 3, 5, 7, 14, 30, 60, 90, 180],
        space: days ? 56 : 8,
        values: (u, splits) => {
          // About 7 px a character at the axis's 12 px font.
          const room = Math.floor(u.bbox.width / uPlot.pxRatio / Math.max(1, n) / 7);
          return splits.map((v) => (Number.isInteger(v) && spec.labels[v] !== undefined ? (days ? spec.labels[v] : clipLabel(spec.labels[v], room)) : ''));
        },
      },
      {
        stroke: ink,
        size: 60,
        incrs: spec.y.kind === 'count' ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] : undefined,
        values: (_u, splits) => splits.map((v) => tickText(spec.y, v)),
      },
    ],
    series: [{}, ...series],
  };
}
