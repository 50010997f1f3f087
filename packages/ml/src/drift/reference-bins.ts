/**
 * The training distribution a model card carries for drift monitoring, and the bin arithmetic the server repeats at
 * predict time. A feature's bins are cut by `edges` (ascending): bin i holds the values x with
 * edges[i − 1] <= x < edges[i], so there are edges.length + 1 bins and the first and last are open-ended.
 */

/** Bins of one numeric quantity over the training rows: the share of rows in each, and their mean. */
export interface ReferenceBins {
  edges: number[];
  shares: number[];
  mean: number;
}

/** Shares of each predicted label over the training rows (a classifier's predictions). */
export interface ReferenceLabels {
  labels: string[];
  shares: number[];
}

/** Text inputs (v1): what the training texts looked like beyond their length bins. */
interface ReferenceText {
  /** Word tokens not in the training vocabulary, over all word tokens of the training texts. */
  oov_rate: number;
  /** Mean word tokens per training text. */
  mean_tokens: number;
  /** Share of spam among the training texts (their true labels). */
  spam_share: number;
}

export interface DriftReference {
  /** The rows (texts) the bins were computed from. */
  rows: number;
  /** Per input quantity (v2: each feature; v1: `tokens`, the text length in word tokens). */
  features: Record<string, ReferenceBins>;
  /** The model's own predictions on the training rows: bins of a value, or shares of labels. */
  prediction: ReferenceBins | ReferenceLabels;
  text?: ReferenceText;
}

/** Most bins a feature gets. */
const defaultBinCount = 10;

/** The bin of `x`: how many edges are <= x (binary search). */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round = (x: number, digits = 6) => Number(x.toPrecision(digits));

/**
 * Bins of `values` (at least one): a feature with at most `bins` distinct values gets one bin per value (edges at
 * each value after the smallest); otherwise edges at the deciles (for bins = 10), merged where they coincide (a
 * feature that is mostly one value, e.g. zn = 0, gets fewer, wider bins) and none at the minimum (an empty bin).
 */
export function quantileBins(values: readonly number[], bins = defaultBinCount): ReferenceBins {
  if (values.length === 0) throw new Error('quantileBins: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const distinct = [...new Set(sorted)];
  const edges =
    distinct.length <= bins
      ? distinct.slice(1)
      : [
          ...new Set(Array.from({ length: bins - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / bins)]!)),
        ].filter((e) => e > sorted[0]!);
  const counts = Array<number>(edges.length + 1).fill(0);
  for (const v of sorted) counts[binOf(edges, v)]!++;
  return {
    edges,
    shares: counts.map((c) => round(c / sorted.length)),
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
  };
}

/** Shares of each label among `predicted`, in the order of `labels`. */
export function labelShares(labels: readonly string[], predicted: readonly string[]): ReferenceLabels {
  const counts = labels.map((label) => predicted.filter((p) => p === label).length);
  return { labels: [...labels], shares: counts.map((c) => round(c / Math.max(1, predicted.length))) };
}
