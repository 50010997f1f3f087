import { defineEntity, p } from '@mikro-orm/core';
import { predictionFields } from './prediction-fields.ts';
import { User } from './user.entity.ts';

/**
 * A prediction with feedback: labelled data (the original template's `is_train_data` rows), copied from its
 * prediction log in the transaction that stores the feedback, and updated there when the feedback is corrected. It
 * outlives the raw logs' retention, so pruning never loses labelled data. Keyed by the prediction's id with no
 * foreign key (log tables are pruned by whole partitions, independently of this one).
 */
export const LabelledExample = defineEntity({
  name: 'LabelledExample',
  tableName: 'labelled_examples',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    predictionId: p.bigint('number').unique(),
    ...predictionFields(),
    /** Whose call it was; null once that user is deleted (their inputs are removed then too). */
    owner: () => p.manyToOne(User).nullable().deleteRule('set null').index(),
    /** When the prediction was made. */
    predictedAt: p.datetime(),
    /** When the (latest) feedback arrived. */
    feedbackTime: p.datetime(),
    isTrainData: p.boolean().default(false),
  },
  // A service's examples by time (metrics, windows) and in id order (an export's pages).
  indexes: [{ properties: ['serviceVersion', 'predictedAt'] }, { properties: ['serviceVersion', 'id'] }],
});
