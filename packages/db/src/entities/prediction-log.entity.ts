import { defineEntity, p } from '@mikro-orm/core';
import { predictionFields } from './prediction-fields.ts';

/**
 * One model prediction (the original template's MLModelLog, made general): what went in, what came out, and —
 * once feedback arrives — the true value. Numeric models use the *_value columns, classifiers the *_label ones.
 */
export const PredictionLog = defineEntity({
  name: 'PredictionLog',
  tableName: 'prediction_logs',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** The call it belongs to; no foreign key: the log tables are partitioned and pruned on their own. */
    serviceCallId: p.bigint('number').index(),
    ...predictionFields(),
    feedbackTime: p.datetime().nullable(),
    isTrainData: p.boolean().default(false),
    /** Indexed alone too: the rollup rebuild and pruning read predictions by time range. */
    createdAt: p
      .datetime()
      .primary()
      .onCreate(() => new Date())
      .index(),
  },
  // No index on (service version, model version, time): no read filters the raw predictions by them (the quality
  // and drift rollups answer those), and each prediction's insert paid for it.
});
