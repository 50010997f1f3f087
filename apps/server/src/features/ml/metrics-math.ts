/** Sums over predictions with feedback, as the database aggregates them. */
export interface RegressionSums {
  n: number;
  sumAbsError: number;
  sumSqError: number;
  sumActual: number;
  sumSqActual: number;
}

/** MAE, RMSE and R² from sums; what cannot be computed is null with the reason, never NaN. */
export function regressionFromSums(s: RegressionSums) {
  const undefinedMetrics: Record<string, string> = {};
  if (s.n === 0) {
    for (const m of ['mae', 'rmse', 'r2']) undefinedMetrics[m] = 'no predictions with feedback';
    return { count: 0, mae: null, rmse: null, r2: null, undefined_metrics: undefinedMetrics };
  }
  const sst = s.sumSqActual - (s.sumActual * s.sumActual) / s.n;
  let r2: number | null = null;
  if (s.n < 2) undefinedMetrics.r2 = 'needs at least 2 predictions with feedback';
  else if (sst <= 1e-12 * Math.max(1, s.sumSqActual)) undefinedMetrics.r2 = 'all actual values are equal (zero variance)';
  else r2 = 1 - s.sumSqError / sst;
  return { count: s.n, mae: s.sumAbsError / s.n, rmse: Math.sqrt(s.sumSqError / s.n), r2, undefined_metrics: undefinedMetrics };
}

export interface LabelCount {
  predicted: string;
  actual: string;
  count: number;
}

/** Accuracy, precision, recall, F1 (for the positive label) and the confusion matrix (rows actual, columns predicted). */
export function classificationFromCounts(counts: LabelCount[], labels: readonly string[], positive: string) {
  const all = [...new Set([...labels, ...counts.flatMap((c) => [c.actual, c.predicted])])];
  const matrix = all.map(() => all.map(() => 0));
  let n = 0;
  let correct = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const c of counts) {
    matrix[all.indexOf(c.actual)]![all.indexOf(c.predicted)]! += c.count;
    n += c.count;
    if (c.actual === c.predicted) correct += c.count;
    if (c.predicted === positive && c.actual === positive) tp += c.count;
    if (c.predicted === positive && c.actual !== positive) fp += c.count;
    if (c.predicted !== positive && c.actual === positive) fn += c.count;
  }
  const undefinedMetrics: Record<string, string> = {};
  const ratio = (num: number, den: number, name: string, why: string) => {
    if (den === 0) {
      undefinedMetrics[name] = why;
      return null;
    }
    return num / den;
  };
  const accuracy = ratio(correct, n, 'accuracy', 'no predictions with feedback');
  const precision = ratio(tp, tp + fp, 'precision', `nothing was predicted ${positive}`);
  const recall = ratio(tp, tp + fn, 'recall', `no actual ${positive} in the feedback`);
  let f1: number | null = null;
  if (precision === null || recall === null) undefinedMetrics.f1 = 'precision or recall is undefined';
  else f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    count: n,
    positive_label: positive,
    accuracy,
    precision,
    recall,
    f1,
    confusion_matrix: { labels: all, matrix },
    undefined_metrics: undefinedMetrics,
  };
}
