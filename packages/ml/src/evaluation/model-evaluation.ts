/**
 * One model's figures on one evaluation set, each with its bootstrap 95 % interval: F1 of the positive label,
 * accuracy and the confusion matrix for a classifier; MAE, RMSE and R² for a regressor.
 */
import type { EvaluatedMetrics } from '@mlapi/schemas';
import { bootstrap, defaultBootstrap, type BootstrapOptions } from './bootstrap.ts';

/** A classifier's predicted labels against the true ones. */
export function evaluateClassifier(
  actual: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
  positive: string,
  opts: BootstrapOptions = defaultBootstrap,
): EvaluatedMetrics {
  const n = actual.length;
  const truePos = actual.map((a) => a === positive);
  const predPos = predicted.map((p) => p === positive);
  const correct = actual.map((a, i) => a === predicted[i]);
  const f1 = (w: Uint32Array) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predPos[i] && truePos[i]) tp += w[i]!;
      else if (predPos[i]) fp += w[i]!;
      else if (truePos[i]) fn += w[i]!;
    }
    return tp === 0 ? (fp + fn === 0 ? null : 0) : (2 * tp) / (2 * tp + fp + fn);
  };
  const accuracy = (w: Uint32Array) => {
    let right = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += w[i]!;
      if (correct[i]) right += w[i]!;
    }
    return total === 0 ? null : right / total;
  };
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  actual.forEach((a, i) => {
    const row = index.get(a);
    const col = index.get(predicted[i]!);
    if (row !== undefined && col !== undefined) matrix[row]![col]! += 1;
  });
  return { n, ...bootstrap(n, { f1, accuracy }, opts), confusion: { labels: [...labels], matrix } };
}

/** A regressor's predictions against the true values. */
export function evaluateRegressor(
  actual: readonly number[],
  predicted: readonly number[],
  opts: BootstrapOptions = defaultBootstrap,
): EvaluatedMetrics {
  const n = actual.length;
  const sums = (w: Uint32Array) => {
    let count = 0;
    let abs = 0;
    let sq = 0;
    let sy = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const k = w[i]!;
      if (k === 0) continue;
      const err = actual[i]! - predicted[i]!;
      count += k;
      abs += k * Math.abs(err);
      sq += k * err * err;
      sy += k * actual[i]!;
      syy += k * actual[i]! * actual[i]!;
    }
    return { count, abs, sq, sy, syy };
  };
  return {
    n,
    ...bootstrap(
      n,
      {
        mae: (w) => {
          const s = sums(w);
          return s.count === 0 ? null : s.abs / s.count;
        },
        rmse: (w) => {
          const s = sums(w);
          return s.count === 0 ? null : Math.sqrt(s.sq / s.count);
        },
        r2: (w) => {
          const s = sums(w);
          const total = s.syy - (s.sy * s.sy) / s.count;
          return s.count < 2 || total <= 0 ? null : 1 - s.sq / total;
        },
      },
      opts,
    ),
  };
}
