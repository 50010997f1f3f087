/**
 * Regression metrics (MAE, RMSE, R²) from sums, one set of rules for the API's model metrics and the model cards:
 * what cannot be computed is null with the reason, never NaN.
 */

/** Sums over predictions with feedback, as the database aggregates them. */
export interface RegressionSums {
  n: number;
  sumAbsError: number;
  sumSqError: number;
  sumActual: number;
  sumSqActual: number;
}

export interface RegressionMetrics {
  count: number;
  mae: number | null;
  rmse: number | null;
  r2: number | null;
  /** Each metric that is null, with the reason. */
  undefined_metrics: Record<string, string>;
}

/** The sums of pairs held in arrays (an evaluation in training), in the order given. */
export function regressionSums(actual: readonly number[], predicted: readonly number[]): RegressionSums {
  const s: RegressionSums = { n: actual.length, sumAbsError: 0, sumSqError: 0, sumActual: 0, sumSqActual: 0 };
  actual.forEach((a, i) => {
    const err = a - (predicted[i] ?? Number.NaN);
    s.sumAbsError += Math.abs(err);
    s.sumSqError += err * err;
    s.sumActual += a;
    s.sumSqActual += a * a;
  });
  return s;
}

/** MAE, RMSE and R² from sums; what cannot be computed is null with the reason, never NaN. */
export function regressionFromSums(s: RegressionSums): RegressionMetrics {
  const undefinedMetrics: Record<string, string> = {};
  if (s.n === 0) {
    for (const m of ['mae', 'rmse', 'r2']) undefinedMetrics[m] = 'no predictions with feedback';
    return { count: 0, mae: null, rmse: null, r2: null, undefined_metrics: undefinedMetrics };
  }
  const sst = s.sumSqActual - (s.sumActual * s.sumActual) / s.n;
  let r2: number | null = null;
  if (s.n < 2) undefinedMetrics.r2 = 'needs at least 2 predictions with feedback';
  else if (sst <= 1e-12 * Math.max(1, s.sumSqActual))
    undefinedMetrics.r2 = 'all actual values are equal (zero variance)';
  else r2 = 1 - s.sumSqError / sst;
  return {
    count: s.n,
    mae: s.sumAbsError / s.n,
    rmse: Math.sqrt(s.sumSqError / s.n),
    r2,
    undefined_metrics: undefinedMetrics,
  };
}
