/** How the bench sections turn measurements into figures. */

/** Two decimals: what results.json keeps. */
export const round = (n: number) => Math.round(n * 100) / 100;

/** The `p`th percentile of `values` (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
