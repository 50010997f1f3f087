import { ModelFilesCorruptError, type ModelVersionRecord } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import { createBuiltInModel, type ModelRegistry } from '@mlapi/ml';
import type { ServiceVersion } from '@mlapi/schemas';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { contractChanges } from './model-contract.ts';
import { loadServiceModel } from './model-loader.ts';
import { disposeModel } from './served-models.ts';

/** Where this replica keeps registered versions' files: DATA_DIR/models/<content SHA-256>/. */
function cacheDir(deps: AppDeps, sha256: string): string {
  return join(deps.dataDir, 'models', sha256);
}

/**
 * A registered version's files on this replica's disk, fetched from the database (each file checked against its
 * SHA-256) the first time. Written to a fresh directory renamed into place, so a directory under its SHA-256 is
 * always complete, whichever replica or restart wrote it.
 */
async function localCopy(deps: AppDeps, version: ModelVersionRecord): Promise<string> {
  const dir = cacheDir(deps, version.sha256);
  if (existsSync(dir)) return dir;
  const files = await deps.data.modelRegistry.files(version.id);
  const partial = `${dir}.partial-${randomBytes(6).toString('hex')}`;
  await mkdir(partial, { recursive: true });
  try {
    // A registered path is a file name of the model's directory; nothing may land outside it.
    for (const file of files) await writeFile(join(partial, basename(file.path)), file.bytes);
    await rename(partial, dir).catch((err: NodeJS.ErrnoException) => {
      if (!existsSync(dir)) throw err; // another writer got there first: its copy is the same bytes
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return dir;
}

/** A registered version of `service`, loaded from its stored files and ready to serve. */
async function loadVersion<S extends ServiceVersion>(
  deps: AppDeps,
  service: S,
  version: ModelVersionRecord,
): Promise<ModelRegistry[S]> {
  const dir = await localCopy(deps, version);
  const model =
    version.source === 'onnx'
      ? await loadServiceModel(service, dir, deps.env.ONNX_WORKER_THREADS)
      : createBuiltInModel(service, dir, version.version);
  await model.load();
  return model;
}

/**
 * Loads a registered version and checks it keeps the API's contract, ready to swap in. Stored bytes that do not
 * match their SHA-256, or a model that does not load, mark the version `failed` (with the reason) and throw.
 */
export async function loadChecked<S extends ServiceVersion>(
  deps: AppDeps,
  service: S,
  version: ModelVersionRecord,
): Promise<ModelRegistry[S]> {
  let model;
  try {
    model = await loadVersion(deps, service, version);
  } catch (err) {
    const reason = err instanceof ModelFilesCorruptError ? err.message : `does not load: ${(err as Error).message}`;
    await deps.data.modelRegistry.markFailed(version.id, reason);
    throw conflict(`${service} ${version.version} was marked failed: ${reason}`);
  }
  const changes = contractChanges(deps.models.current(service), model);
  if (changes.length > 0) {
    await disposeModel(model);
    throw conflict(
      `${service} ${version.version} changes the ${changes.join(', ')} of the API; a version may change weights only — restart the server with it to change the API`,
    );
  }
  return model;
}

/** The registered version of `service` named `version`; a 404 naming it (and where the list is) if there is none. */
export async function findVersion(
  deps: AppDeps,
  service: ServiceVersion,
  version: string,
): Promise<ModelVersionRecord> {
  const found = await deps.data.modelRegistry.version(service, version);
  if (!found)
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `${service} has no version ${version}; GET /admin/models/${service}/versions lists them`,
    });
  return found;
}
