/** Evaluation metrics used in model cards. */

export interface BinaryMetrics {
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Binary classification metrics with `positive` as the positive class. */
export function binaryMetrics<T>(actual: readonly T[], predicted: readonly T[], positive: T): BinaryMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  actual.forEach((a, i) => {
    const p = predicted[i];
    if (p === positive) {
      if (a === positive) tp++;
      else fp++;
    } else if (a === positive) fn++;
    else tn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { f1, precision, recall, accuracy: (tp + tn) / Math.max(1, actual.length), tp, fp, fn, tn };
}

export interface RegressionMetrics {
  r2: number;
  mae: number;
  rmse: number;
}

export function regressionMetrics(actual: readonly number[], predicted: readonly number[]): RegressionMetrics {
  const n = actual.length;
  const mean = actual.reduce((s, v) => s + v, 0) / n;
  let ssRes = 0;
  let ssTot = 0;
  let absErr = 0;
  actual.forEach((a, i) => {
    const err = a - (predicted[i] ?? Number.NaN);
    ssRes += err * err;
    ssTot += (a - mean) ** 2;
    absErr += Math.abs(err);
  });
  return { r2: 1 - ssRes / ssTot, mae: absErr / n, rmse: Math.sqrt(ssRes / n) };
}

/** Rounds a metric for model cards (keeps cards readable and diff-friendly). */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
