/** The served models, one per API version. Adding a model: one file in models/ plus a line here. */
import {
  serviceVersions,
  type ServiceVersion,
  type V1Input,
  type V1Output,
  type V2Input,
  type V2Output,
} from '@mlapi/schemas';
import type { Model } from './model.ts';
import { createBostonModel } from './models/boston-model.ts';
import { createSpamModel } from './models/spam-model.ts';

export interface ModelRegistry {
  v1: Model<V1Input, V1Output>;
  v2: Model<V2Input, V2Output>;
}

export const models: ModelRegistry = {
  v1: createSpamModel(),
  v2: createBostonModel(),
} satisfies Record<ServiceVersion, unknown>;

export function getModel<S extends ServiceVersion>(service: S): ModelRegistry[S] {
  return models[service];
}

/** Loads every registered model; rejects if any fails (the others still finish loading). */
export async function warmUp(): Promise<void> {
  const results = await Promise.allSettled(serviceVersions.map((s) => models[s].load()));
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${serviceVersions[i]}: ${String(r.reason)}`] : [],
  );
  if (failed.length > 0) throw new Error(`model warm-up failed — ${failed.join('; ')}`);
}
