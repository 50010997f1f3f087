import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';

/**
 * Feedback on a classifier summed per 15-minute bucket (of the prediction) × service × model version: how often
 * `predicted` was given where `actual` was true. Written with the feedback; a corrected label moves its count.
 */
export const ConfusionRollup = defineEntity({
  name: 'ConfusionRollup',
  tableName: 'confusion_rollups',
  properties: {
    bucket: p.integer().primary(),
    serviceVersion: p.enum([...serviceVersions]).primary(),
    modelVersion: p.string().length(63).primary(),
    predicted: p.string().length(127).primary(),
    actual: p.string().length(127).primary(),
    count: p.integer(),
  },
});

/**
 * Feedback on a regressor summed per 15-minute bucket (of the prediction) × service × model version, with
 * err = predicted − actual: n, Σerr, Σ|err|, Σerr², Σy and Σy² — MAE, RMSE and R² follow exactly.
 */
export const RegressionRollup = defineEntity({
  name: 'RegressionRollup',
  tableName: 'regression_rollups',
  properties: {
    bucket: p.integer().primary(),
    serviceVersion: p.enum([...serviceVersions]).primary(),
    modelVersion: p.string().length(63).primary(),
    n: p.integer(),
    sumError: p.double(),
    sumAbsError: p.double(),
    sumSqError: p.double(),
    sumActual: p.double(),
    sumSqActual: p.double(),
  },
});
