/**
 * How a chart's axes and bars read (web/src/chart-canvas.ts draws them with
 * uPlot): tick labels, the y span, category names cut to the room they have,
 * and stacked bars as running sums. Pure; loaded with the charts, never with
 * the console's first script (nothing else may import it: esbuild would move
 * it into a chunk every page loads).
 */
import type { ChartSeries, YAxis } from './team-metrics.js';

/** A y axis tick: "12", "50%", "30 min", "1.5 h". */
export function tickText(y: YAxis, value: number): string {
  const n = Number(value.toFixed(2));
  if (y.kind === 'percent') return `${n}%`;
  if (y.kind === 'duration') return `${n} ${y.unit.name}`;
  return String(n);
}

/**
 * The y axis's span for values up to `max`: a share always 0–100 (and a little room above, so that a point at 100% is
 * drawn whole), else from 0 to a little above the highest (1 when all are 0).
 */
export function yRange(y: YAxis, max: number | null): [number, number] {
  if (y.kind === 'percent') return [0, 105];
  const top = max !== null && Number.isFinite(max) && max > 0 ? max : 0;
  if (top === 0) return [0, 1];
  return [0, y.kind === 'count' ? Math.ceil(top * 1.15) : Number((top * 1.15).toFixed(2))];
}

/** A category's name cut to `chars` characters with an ellipsis, as an axis has room for it (the tables give it whole). */
export const clipLabel = (label: string, chars: number) => (label.length <= chars ? label : `${label.slice(0, Math.max(1, chars - 1))}…`);

/** Stacked bars drawn as their running sums, the tallest first so that each shorter one is drawn over it. */
export function stackedValues(series: readonly ChartSeries[]): (number | null)[][] {
  const sums: number[][] = [];
  series.forEach((s, i) => sums.push(s.values.map((v, j) => (v ?? 0) + (i > 0 ? sums[i - 1][j] : 0))));
  return sums.reverse();
}

