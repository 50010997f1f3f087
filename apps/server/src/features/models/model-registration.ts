import { DuplicateKeyError } from '@mlapi/db';
import type { ModelVersionDto, ServiceVersion } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { contractChanges } from './model-contract.ts';
import { loadDirectory } from './model-directory.ts';
import { versionDto } from './model-versions.ts';
import { disposeModel } from './served-models.ts';

/**
 * Registers the model in a directory readable by the server as a new version of `service`: loaded and checked
 * as a reload is (files that do not load, or a change to the API's input, reply or feedback fields → 409 naming
 * it), its files stored in the database by content, its card, who and when recorded. It is not live until promoted.
 */
export async function registerDirectory(
  deps: AppDeps,
  service: ServiceVersion,
  dir: string,
  actor: { id: number; username: string },
): Promise<ModelVersionDto> {
  let loaded;
  try {
    loaded = await loadDirectory(service, dir);
  } catch (err) {
    throw conflict(`${service}: not registered: ${(err as Error).message}`);
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
