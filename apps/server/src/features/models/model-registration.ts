import { DuplicateKeyError } from '@mlapi/db';
import type { EvaluationReport, ModelRegisterInput, ModelVersionDto, ServiceVersion } from '@mlapi/schemas';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { contractChanges } from './model-contract.ts';
import { loadDirectory } from './model-directory.ts';
import { versionDto } from './model-versions.ts';
import { disposeModel } from './served-models.ts';

type Actor = { id: number; username: string };

/**
 * Registers the model in a directory readable by the server as a new version of `service`: loaded and checked
 * as a reload is (files that do not load, or a change to the API's input, reply or feedback fields → 409 naming
 * it), its files stored in the database by content, its card, who and when recorded. It is not live until promoted.
 * `shownAs` names the directory in refusals (an upload's staging folder is no name its sender knows).
 */
export async function registerDirectory(
  deps: AppDeps,
  service: ServiceVersion,
  dir: string,
  actor: Actor,
  shownAs = dir,
  evaluation: EvaluationReport | null = null,
): Promise<ModelVersionDto> {
  let loaded;
  try {
    loaded = await loadDirectory(service, dir, deps.env.ONNX_WORKER_THREADS);
  } catch (err) {
    throw conflict(`${service}: not registered: ${(err as Error).message.replaceAll(dir, shownAs)}`);
  }
  const { model, ...directory } = loaded;
  try {
    const changes = contractChanges(deps.models.current(service), model);
    if (changes.length > 0)
      throw conflict(
        `${service}: not registered: ${model.name} ${model.version} changes the ${changes.join(', ')} of the API; a version may change weights only`,
      );
    const record = await deps.data.modelRegistry
      .register({
        service,
        version: model.version,
        name: model.name,
        ...directory,
        evaluation,
        registeredBy: actor,
        registeredAt: deps.now(),
      })
      .catch((err: unknown) => {
        if (err instanceof DuplicateKeyError)
          throw conflict(`${service} already has a version ${model.version}; give the new model a version of its own`);
        throw err;
      });
    return versionDto(record);
  } finally {
    await disposeModel(model);
  }
}

/**
 * Registers an uploaded model directory: its files are written to a staging folder under DATA_DIR (removed
 * afterwards, whatever happens) and registered from there as a directory is.
 */
export async function registerUpload(
  deps: AppDeps,
  service: ServiceVersion,
  files: NonNullable<ModelRegisterInput['files']>,
  actor: Actor,
): Promise<ModelVersionDto> {
  const staging = join(deps.dataDir, 'uploads', randomUUID());
  await mkdir(staging, { recursive: true });
  try {
    // Names are plain file names (the schema refuses folders and dot files): they stay inside the staging folder.
    for (const file of files) await writeFile(join(staging, file.path), Buffer.from(file.content_base64, 'base64'));
    return await registerDirectory(deps, service, staging, actor, 'the upload');
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
