import { models as builtInModels, type ModelRegistry } from '@mlapi/ml';
import type { ServiceVersion } from '@mlapi/schemas';
import { isAbsolute, resolve } from 'node:path';
import { repoRoot } from '@mlapi/db';

/** Where each service's model comes from: a directory with model.onnx + manifest.json, or the built-in model. */
export type ModelDirectories = Partial<Record<ServiceVersion, string>>;

/** A configured directory, relative paths taken from the repository root like DATA_DIR. */
export function resolveModelDir(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(repoRoot, dir);
}

/**
 * The model to serve as `service`: the built-in one, or the ONNX model in `dir` — loaded and checked against its
 * manifest (a mismatch throws a ModelManifestError naming it). onnxruntime is imported only here, so a server
 * that serves no ONNX model never loads it.
 */
export async function loadServiceModel<S extends ServiceVersion>(
  service: S,
  dir: string | undefined,
  workerThreads: number,
): Promise<ModelRegistry[S]> {
  if (!dir) return builtInModels[service];
  const { loadOnnxModel } = await import('@mlapi/onnx');
  const model = await loadOnnxModel(resolveModelDir(dir), { expectService: service, workerThreads });
  // The manifest's schemas are the runtime contract (REST, OpenAPI, validation); the static type of the service is
  // the built-in model's, which is what the SDK's types describe.
  return model as unknown as ModelRegistry[S];
}

/** Every service's model, from the configured directories; an ONNX model on `workerThreads` threads. */
export async function loadConfiguredModels(dirs: ModelDirectories, workerThreads: number): Promise<ModelRegistry> {
  const [v1, v2] = await Promise.all([
    loadServiceModel('v1', dirs.v1, workerThreads),
    loadServiceModel('v2', dirs.v2, workerThreads),
  ]);
  return { v1, v2 };
}
