/**
 * Classification metrics (accuracy, precision, recall, F1) from counts, one set of rules for the API's model
 * metrics and the model cards: what cannot be computed is null with the reason, never NaN or a stand-in 0.
 */

/** How many predictions of `predicted` had the true label `actual`, as the database counts them. */
export interface LabelCount {
  predicted: string;
  actual: string;
  count: number;
}

export interface ClassificationMetrics {
  count: number;
  positive_label: string;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Row = actual label, column = predicted label, both in the order of `labels`. */
  confusion_matrix: { labels: string[]; matrix: number[][] };
  /** Each metric that is null, with the reason. */
  undefined_metrics: Record<string, string>;
}

/** The counts of pairs held in arrays (an evaluation in training). */
export function labelCounts(actual: readonly string[], predicted: readonly string[]): LabelCount[] {
  const counts = new Map<string, LabelCount>();
  actual.forEach((a, i) => {
    const p = predicted[i] ?? '';
    const key = JSON.stringify([p, a]);
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { predicted: p, actual: a, count: 1 });
  });
  return [...counts.values()];
}

/** Accuracy, precision, recall, F1 (for the positive label) and the confusion matrix (rows actual, columns predicted). */
export function classificationFromCounts(
  counts: LabelCount[],
  labels: readonly string[],
  positive: string,
): ClassificationMetrics {
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
