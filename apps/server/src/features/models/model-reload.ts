import type { ModelReloadOutput, ServiceVersion } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { contractChanges } from './model-contract.ts';
import { loadServiceModel } from './model-loader.ts';
import { describeServed } from './served-model-dto.ts';
import { recordServedVersion, type ServingChange } from './model-versions.ts';
import { disposeModel } from './served-models.ts';
import { inTurn } from './service-turns.ts';

/**
 * Loads the model in the service's configured directory beside the one serving, checks it keeps the API's
 * contract, records it in the model registry (registered if new, made live), then swaps it in: new calls go to the
 * new model at once, calls in flight finish on the old one, which is then released. Anything wrong leaves the old
 * model serving and answers 409 naming the problem. One change of a service's model at a time (inTurn).
 */
export function reloadModel(
  deps: AppDeps,
  service: ServiceVersion,
  actor: ServingChange['actor'],
): Promise<ModelReloadOutput> {
  return inTurn(deps, service, () => reloadNow(deps, service, actor));
}

async function reloadNow(
  deps: AppDeps,
  service: ServiceVersion,
  actor: ServingChange['actor'],
): Promise<ModelReloadOutput> {
  const variable = service === 'v1' ? 'MODEL_DIR_V1' : 'MODEL_DIR_V2';
  const dir = deps.env[variable];
  if (!dir)
    throw conflict(
      `${service} serves the built-in model; set ${variable} to a directory with model.onnx and manifest.json to serve (and reload) your own`,
    );

  const before = describeServed(deps.models, service);
  let next;
  try {
    next = await loadServiceModel(service, dir, deps.env.ONNX_WORKER_THREADS);
  } catch (err) {
    throw conflict(
      `${service} was not reloaded and still serves ${before.name} ${before.version}: ${(err as Error).message}`,
    );
  }
  const changes = contractChanges(deps.models.current(service), next);
  if (changes.length > 0) {
    await disposeModel(next);
    throw conflict(
      `${service} was not reloaded and still serves ${before.name} ${before.version}: the new model changes the ${changes.join(', ')} ` +
        'of the API; a hot reload may change weights and version only — restart the server to change the API',
    );
  }
  // Recorded first: every replica serves the registry's live version, so one the registry cannot hold is not served.
  let recorded;
  try {
    recorded = await recordServedVersion(deps, service, next, { action: 'reload', actor });
  } catch (err) {
    await disposeModel(next);
    throw err;
  }
  if (!recorded) {
    await disposeModel(next);
    throw conflict(
      `${service} was not reloaded and still serves ${before.name} ${before.version}: the model registry holds version ${next.version} with other files; give the changed model a new version`,
    );
  }
  await deps.models.swap(service, next, deps.now(), recorded.id);
  // A reload made it live: a running rollout ended with it.
  if (recorded.state === 'live') await deps.models.setCandidate(service, null);
  const after = describeServed(deps.models, service);
  deps.logger.info({ service, from: before.version, to: after.version, sha256: after.sha256 }, 'model reloaded');
  const changed = before.name !== after.name || before.version !== after.version || before.sha256 !== after.sha256;
  return { service, previous: before, current: after, changed };
}
