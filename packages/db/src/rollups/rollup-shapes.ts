import { binColumns } from './latency-histogram.ts';
import type { RollupShape } from './upsert-sums.ts';

/** The rollup tables' columns, as the writers, the rebuild and the reads name them. */

export const callRollups = {
  table: 'call_rollups',
  keys: ['bucket', 'service_version', 'model_version', 'success'],
  sums: ['calls', 'duration_sum', ...binColumns],
  maxima: ['duration_max'],
} as const satisfies RollupShape;

/** Shadow predictions summed as call_rollups sums calls (`calls` counts shadow predictions). */
export const shadowRollups = { ...callRollups, table: 'shadow_rollups' } as const satisfies RollupShape;

export const userRollups = {
  table: 'user_rollups',
  keys: ['owner_id', 'bucket', 'service_version'],
  sums: ['calls', 'failures'],
} as const satisfies RollupShape;

/** user_rollups per UTC day (`day` = bucket ÷ bucketsPerDay, rounded down). */
export const userDayRollups = {
  table: 'user_day_rollups',
  keys: ['owner_id', 'day', 'service_version'],
  sums: ['calls', 'failures'],
} as const satisfies RollupShape;

export const confusionRollups = {
  table: 'confusion_rollups',
  keys: ['bucket', 'service_version', 'model_version', 'predicted', 'actual'],
  sums: ['count'],
} as const satisfies RollupShape;

export const regressionRollups = {
  table: 'regression_rollups',
  keys: ['bucket', 'service_version', 'model_version'],
  sums: ['n', 'sum_error', 'sum_abs_error', 'sum_sq_error', 'sum_actual', 'sum_sq_actual'],
} as const satisfies RollupShape;

/** Served inputs and predictions per reference bin (drift-deltas.ts), written with the calls. */
export const driftRollups = {
  table: 'drift_rollups',
  keys: ['bucket', 'service_version', 'model_version', 'feature', 'bin'],
  sums: ['count', 'value_sum'],
} as const satisfies RollupShape;
