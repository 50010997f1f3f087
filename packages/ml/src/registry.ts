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
import { defaultArtifactDir } from './runtime/artifacts.ts';
import { BOSTON_ARTIFACT_FILE, createBostonModel } from './models/boston-model.ts';
import { createSpamModel, SPAM_ARTIFACT_FILE, SPAM_WEIGHTS_FILE } from './models/spam-model.ts';

export interface ModelRegistry {
  v1: Model<V1Input, V1Output>;
  v2: Model<V2Input, V2Output>;
}

export const models: ModelRegistry = {
  v1: createSpamModel(),
  v2: createBostonModel(),
} satisfies Record<ServiceVersion, unknown>;

/** Where each built-in model's files are (the committed artifacts): what the model registry stores of it. */
export const builtInArtifacts: Record<ServiceVersion, { dir: URL; files: readonly string[]; card: string }> = {
  v1: { dir: defaultArtifactDir, files: [SPAM_ARTIFACT_FILE, SPAM_WEIGHTS_FILE], card: SPAM_ARTIFACT_FILE },
  v2: { dir: defaultArtifactDir, files: [BOSTON_ARTIFACT_FILE], card: BOSTON_ARTIFACT_FILE },
};

/** A built-in model of `service` over the artifacts in `dir`, of the version its card there gives. */
export function createBuiltInModel<S extends ServiceVersion>(
  service: S,
  dir: string,
  version: string,
): ModelRegistry[S] {
  const model =
    service === 'v1'
      ? createSpamModel({ artifactDir: dir, version })
      : createBostonModel({ artifactDir: dir, version });
  return model as ModelRegistry[S];
}

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
