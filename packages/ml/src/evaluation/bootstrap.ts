/** Percentile bootstrap intervals, seeded so a report can be reproduced. */
import { mulberry32 } from '../training/prng.ts';

/** A figure on the whole sample and its 95 % percentile bootstrap interval (null where it is undefined). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

export const defaultBootstrap: BootstrapOptions = { resamples: 1000, seed: 20_261_207 };

const percentile = (sorted: readonly number[], q: number): number | null => {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i]!;
};

/**
 * Each statistic on the `n` items, and over `resamples` resamples of n items drawn with replacement: the 2.5th and
 * 97.5th percentiles of the defined values. `statistics` get a count of how many times each item was drawn (the
 * whole sample: all ones), so they tally in one pass without copying items.
 */
export function bootstrap<K extends string>(
  n: number,
  statistics: Record<K, (weights: Uint32Array) => number | null>,
  opts: BootstrapOptions = defaultBootstrap,
): Record<K, Estimate> {
  const keys = Object.keys(statistics) as K[];
  const all = new Uint32Array(n).fill(1);
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const rng = mulberry32(opts.seed);
  const weights = new Uint32Array(n);
  for (let r = 0; r < (n === 0 ? 0 : opts.resamples); r++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) weights[Math.floor(rng() * n)]! += 1;
    for (const k of keys) {
      const v = statistics[k](weights);
      if (v !== null && Number.isFinite(v)) samples[k].push(v);
    }
  }
  return Object.fromEntries(
    keys.map((k) => {
      const sorted = samples[k].sort((a, b) => a - b);
      const value = n === 0 ? null : statistics[k](all);
      return [k, { value, low: percentile(sorted, 0.025), high: percentile(sorted, 0.975) }];
    }),
  ) as Record<K, Estimate>;
}
