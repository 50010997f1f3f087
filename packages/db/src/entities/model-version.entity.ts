import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { User } from './user.entity.ts';

/**
 * A version's state: registered, live (answering), retired (was live, kept to roll back to), failed, or the
 * candidate of a running rollout: canary (answering a share of users) or shadow (predicting every call unanswered).
 */
export type ModelVersionStateName = 'registered' | 'live' | 'retired' | 'failed' | 'canary' | 'shadow';

/** A file of a version's directory: its path there, and the stored bytes it is (model_files). */
export interface ModelVersionFile {
  path: string;
  sha256: string;
  size: number;
}

/**
 * A model registered for a service: its files (by content), its card, and its state. At most one version of a
 * service is live; which one was live when is in model_deployments.
 */
export const ModelVersion = defineEntity({
  name: 'ModelVersion',
  tableName: 'model_versions',
  properties: {
    id: p.integer().primary().autoincrement(),
    serviceVersion: p.enum([...serviceVersions]),
    /** The model's own version (its card or manifest), unique within the service. */
    version: p.string().length(64),
    name: p.string().length(128),
    source: p.enum(['builtin', 'onnx']),
    files: p.json<ModelVersionFile[]>(),
    /** SHA-256 over the sorted list of (path, file SHA-256): the version's content, whatever its name. */
    sha256: p.string().length(64).index(),
    card: p.json<Record<string, unknown>>().nullable(),
    /** A retrained version: the evaluation gate's report (candidate against the live version). */
    evaluation: p.json<Record<string, unknown>>().nullable(),
    // A string column, not an enum: MikroORM's SQLite introspection reads back only two items of a longer enum.
    state: p.string().length(16).$type<ModelVersionStateName>().default('registered'),
    /** Why the version is `failed` (files not matching their SHA-256, a model that does not load). */
    failure: p.text().nullable(),
    registeredBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    registeredByUsername: p.string().length(254).nullable(),
    registeredAt: p.datetime(),
  },
  uniques: [{ properties: ['serviceVersion', 'version'] }],
});

export type IModelVersion = InferEntity<typeof ModelVersion>;
