/**
 * The latency histogram the call rollups keep: fixed, log-spaced bins, the same in every row, so histograms of any
 * rows add up bin by bin. Bin 0 holds durations under {@link minMs}; bin i (1 ≤ i < {@link binCount} − 1) holds
 * [minMs·γ^(i−1), minMs·γ^i); the last bin everything from minMs·γ^(binCount−2) ≈ 63 s up.
 *
 * A percentile read from it is the bin's harmonic midpoint 2·lo·hi/(lo+hi), at most (γ−1)/(γ+1) ≈ 9.1 % from any
 * value in the bin, so within 10 % of the exact nearest-rank percentile for durations from 0.01 ms to 63 s (the
 * estimate is also capped by the exact maximum each row keeps).
 */

const minMs = 0.01;
const growth = 1.2;
export const binCount = 88;

/** The column of bin i: `h0` … `h87`. */
export const binColumns: readonly string[] = Array.from({ length: binCount }, (_, i) => `h${i}`);

/** The bin a duration (ms) falls in. */
export function binOf(durationMs: number): number {
  if (!(durationMs >= minMs)) return 0;
  return Math.min(binCount - 1, 1 + Math.floor(Math.log(durationMs / minMs) / Math.log(growth)));
}

/**
 * The same as {@link binOf}, as SQL over a duration column (`least` is PostgreSQL's two-argument minimum, `min`
 * SQLite's): the rebuild computes bins in the database and must agree with the writer bin for bin.
 */
export function binSql(column: string, least: 'least' | 'min'): string {
  return `case when ${column} < ${minMs} then 0 else ${least}(${binCount - 1}, 1 + cast(floor(ln(${column} / ${minMs}) / ln(${growth})) as integer)) end`;
}

/** The value a percentile in bin i reads as. */
function binValue(bin: number): number {
  if (bin === 0) return minMs;
  const lo = minMs * growth ** (bin - 1);
  const hi = lo * growth;
  return (2 * lo * hi) / (lo + hi);
}

/**
 * The nearest-rank percentile p (0–100] of the durations counted in `bins`: the value at 1-based rank ⌈p/100·n⌉
 * in ascending order, read as its bin's midpoint, never above `max`. Null when the histogram is empty.
 */
export function percentile(bins: readonly number[], p: number, max: number): number | null {
  const n = bins.reduce((s, c) => s + c, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let bin = 0; bin < bins.length; bin++) {
    seen += bins[bin]!;
    if (seen >= rank) return bin === binCount - 1 ? max : Math.min(binValue(bin), max);
  }
  return max;
}
