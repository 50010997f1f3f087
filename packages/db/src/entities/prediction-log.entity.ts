import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';

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
    serviceVersion: p.enum([...serviceVersions]),
    modelName: p.string().length(127),
    modelVersion: p.string().length(63),
    input: p.json<Record<string, unknown>>(),
    output: p.json<Record<string, unknown>>(),
    predictedValue: p.double().nullable(),
    predictedLabel: p.string().length(127).nullable(),
    trueValue: p.double().nullable(),
    trueLabel: p.string().length(127).nullable(),
    feedbackTime: p.datetime().nullable(),
    isTrainData: p.boolean().default(false),
    /** Indexed alone too: the rollup rebuild and pruning read predictions by time range. */
    createdAt: p
      .datetime()
      .primary()
      .onCreate(() => new Date())
      .index(),
  },
  indexes: [{ properties: ['serviceVersion', 'modelVersion', 'createdAt'] }],
});
