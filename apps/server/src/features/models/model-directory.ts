import { builtInArtifacts, createBuiltInModel, type Model, type ModelRegistry } from '@mlapi/ml';
import type { ServiceVersion } from '@mlapi/schemas';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadServiceModel, resolveModelDir } from './model-loader.ts';
import type { LoadedFromFiles } from './served-model-dto.ts';

/** A model directory as the registry stores it: its kind, its files and its card. */
export interface ModelDirectory {
  source: 'builtin' | 'onnx';
  files: { path: string; bytes: Uint8Array }[];
  card: Record<string, unknown> | null;
}

/** The files a model directory needs to be served as ONNX. */
const onnxFiles = ['manifest.json', 'model.onnx'];

const readFiles = (dir: string, paths: readonly string[]) =>
  Promise.all(paths.map(async (path) => ({ path, bytes: new Uint8Array(await readFile(join(dir, path))) })));

const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
const object = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null);

/** Reads a model directory's files: an ONNX model's two, or the built-in model's artifacts and its card. */
async function readDirectory(service: ServiceVersion, source: ModelDirectory['source'], dir: string) {
  if (source === 'onnx') {
    const files = await readFiles(dir, onnxFiles);
    return { source, files, card: json(files[0]!.bytes) };
  }
  const builtIn = builtInArtifacts[service];
  const files = await readFiles(dir, builtIn.files);
  return { source, files, card: object(json(files.find((f) => f.path === builtIn.card)!.bytes).card) };
}

/** The directory a served model was loaded from (the committed artifacts for a built-in), as the registry stores it. */
export function servedDirectory(service: ServiceVersion, model: Model<unknown, unknown>): Promise<ModelDirectory> {
  const { source, directory } = model as LoadedFromFiles;
  if (source === 'onnx' && directory) return readDirectory(service, 'onnx', directory);
  return readDirectory(service, 'builtin', fileURLToPath(builtInArtifacts[service].dir));
}

/**
 * A directory readable by the server, loaded as the model it holds: ONNX when it has a manifest.json (checked as
 * MODEL_DIR_Vn is), else the built-in model's artifact files, of the version its card gives. Throws an Error whose
 * message names what is wrong.
 */
export async function loadDirectory<S extends ServiceVersion>(
  service: S,
  given: string,
  workerThreads: number,
): Promise<ModelDirectory & { model: ModelRegistry[S] }> {
  const dir = resolveModelDir(given);
  if (!existsSync(dir)) throw new Error(`${dir}: no such directory readable by the server`);
  if (existsSync(join(dir, 'manifest.json'))) {
    const model = await loadServiceModel(service, dir, workerThreads);
    await model.load();
    return { ...(await readDirectory(service, 'onnx', dir)), model };
  }
  const missing = builtInArtifacts[service].files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length)
    throw new Error(
      `${dir}: neither manifest.json (an ONNX model) nor the built-in ${service} files (${missing.join(', ')})`,
    );
  const read = await readDirectory(service, 'builtin', dir);
  const version = read.card?.version;
  if (typeof version !== 'string' || !version) throw new Error(`${dir}: the model card gives no version`);
  const model = createBuiltInModel(service, dir, version);
  await model.load();
  return { ...read, model };
}
