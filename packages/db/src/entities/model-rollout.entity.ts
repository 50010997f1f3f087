import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { ModelVersion } from './model-version.entity.ts';
import { User } from './user.entity.ts';

/** How a candidate is tried beside the live version. */
export type RolloutModeName = 'canary' | 'shadow';

/**
 * How a rollout ended: the candidate made live or stopped by an admin, replaced by a promote of another version, or
 * by its guard: stopped on worse figures, or made live when every guard held.
 */
export type RolloutOutcomeName = 'promoted' | 'rolled_back' | 'cancelled' | 'auto_rolled_back' | 'auto_promoted';

/**
 * A candidate version tried beside the live one (the baseline): in a canary, `percent` of users (sticky per user)
 * are answered by the candidate; in a shadow, it predicts every call too, off the reply path, answering none. At most one rollout of a service is running (`endedAt` null); ended ones are kept,
 * with how and why they ended.
 */
export const ModelRollout = defineEntity({
  name: 'ModelRollout',
  tableName: 'model_rollouts',
  properties: {
    id: p.integer().primary().autoincrement(),
    serviceVersion: p.enum([...serviceVersions]),
    candidate: () => p.manyToOne(ModelVersion).deleteRule('cascade'),
    baseline: () => p.manyToOne(ModelVersion).deleteRule('cascade'),
    // String columns, not enums (see ModelVersion.state).
    mode: p.string().length(16).$type<RolloutModeName>(),
    /** The share of users the candidate answers (canary), 1–99. */
    percent: p.integer().nullable(),
    guard: p.json<Record<string, unknown>>(),
    autoPromote: p.boolean().default(false),
    startedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    startedByUsername: p.string().length(254).nullable(),
    startedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    outcome: p.string().length(16).$type<RolloutOutcomeName>().nullable(),
    endedByUsername: p.string().length(254).nullable(),
    /** The guard's verdict that ended it: the figures compared and the reasons. */
    decision: p.json<Record<string, unknown>>().nullable(),
  },
  // The service's rollouts, newest first (the running one among them).
  indexes: [{ properties: ['serviceVersion', 'id'] }],
});

export type IModelRollout = InferEntity<typeof ModelRollout>;
