/**
 * Metrics as model cards record them. They are computed by src/metrics, with the API's rules; a card holds numbers
 * only, so a metric that is undefined there (null, e.g. precision when nothing was predicted positive) is left out
 * of the card: a missing key reads "not defined for this evaluation".
 */

/** Rounds a metric for model cards (keeps cards readable and diff-friendly). */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The defined metrics, rounded, in the order given; null ones are left out. */
export function cardMetrics(metrics: Record<string, number | null>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) if (value !== null) out[name] = round(value);
  return out;
}

/** A metric for the training log: four decimals, or "undefined". */
export const formatMetric = (value: number | null, digits = 4): string =>
  value === null ? 'undefined' : value.toFixed(digits);
