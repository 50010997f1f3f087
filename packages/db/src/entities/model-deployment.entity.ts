import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { ModelVersion } from './model-version.entity.ts';
import { User } from './user.entity.ts';

/** How a version came to be live. */
export type ModelDeploymentActionName = 'first' | 'configured' | 'promote' | 'rollback' | 'reload';

/** A span during which a version was the live one of its service; `liveUntil` null while it still is. */
export const ModelDeployment = defineEntity({
  name: 'ModelDeployment',
  tableName: 'model_deployments',
  properties: {
    id: p.integer().primary().autoincrement(),
    serviceVersion: p.enum([...serviceVersions]),
    modelVersion: () => p.manyToOne(ModelVersion).deleteRule('cascade'),
    // A string column, not an enum (see ModelVersion.state).
    action: p.string().length(16).$type<ModelDeploymentActionName>(),
    actor: () => p.manyToOne(User).nullable().deleteRule('set null'),
    actorUsername: p.string().length(254).nullable(),
    liveFrom: p.datetime(),
    liveUntil: p.datetime().nullable(),
  },
  // The service's history, newest first.
  indexes: [{ properties: ['serviceVersion', 'id'] }],
});

export type IModelDeployment = InferEntity<typeof ModelDeployment>;
