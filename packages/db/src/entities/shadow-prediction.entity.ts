import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';

/**
 * A shadow rollout's candidate predicting the input of a live prediction, off the reply path: what it answered (or
 * how it failed) and how long it took. Feedback on the live prediction scores this row too, under the candidate's
 * version. No foreign key: like the logs it is range-partitioned by month on PostgreSQL and pruned on its own.
 */
export const ShadowPrediction = defineEntity({
  name: 'ShadowPrediction',
  tableName: 'shadow_predictions',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** The live prediction (prediction_logs.id) whose input it predicted. */
    predictionId: p.bigint('number').index(),
    serviceVersion: p.enum([...serviceVersions]),
    modelVersion: p.string().length(63),
    success: p.boolean(),
    error: p.text().nullable(),
    /** The candidate's run for the call, in ms (a batch call's run counts for each of its predictions). */
    duration: p.double(),
    output: p.json<Record<string, unknown>>().nullable(),
    predictedValue: p.double().nullable(),
    predictedLabel: p.string().length(127).nullable(),
    trueValue: p.double().nullable(),
    trueLabel: p.string().length(127).nullable(),
    feedbackTime: p.datetime().nullable(),
    /** Indexed alone: the rollup rebuild and pruning read shadow predictions by time range. */
    createdAt: p.datetime().primary().index(),
  },
});
