import { defineEntity, p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';

/**
 * What the served inputs and predictions looked like, per 15-minute bucket × service × model version × quantity ×
 * bin, written in the transaction that writes the calls: `count` predictions fell in the bin (bins are the model
 * card's reference bins, assigned by the server at predict time), `value_sum` adds up the quantity's values.
 * A quantity without bins (v1's `oov_tokens`) has one row per bucket, bin 0. `feature` names an input feature,
 * a derived quantity (v1 `tokens`, `oov_tokens`) or `prediction`. Drift is read from here, never from the raw rows.
 */
export const DriftRollup = defineEntity({
  name: 'DriftRollup',
  tableName: 'drift_rollups',
  properties: {
    bucket: p.integer().primary(),
    serviceVersion: p.enum([...serviceVersions]).primary(),
    modelVersion: p.string().length(63).primary(),
    feature: p.string().length(63).primary(),
    bin: p.integer().primary(),
    count: p.integer(),
    valueSum: p.double(),
  },
});
