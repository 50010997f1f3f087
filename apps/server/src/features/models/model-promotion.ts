import { ModelFilesCorruptError, type ModelVersionRecord } from '@mlapi/db';
import type { ModelPromotionOutput, ServiceVersion } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { contractChanges } from './model-contract.ts';
import { loadVersion } from './model-store.ts';
import { disposeModel } from './served-models.ts';

/** The admin who asked. */
type Actor = { id: number; username: string };

/** One change of what a service serves at a time on this replica (promote, rollback, following another replica). */
const turns = new WeakMap<AppDeps, Map<ServiceVersion, Promise<unknown>>>();
export function inTurn<T>(deps: AppDeps, service: ServiceVersion, work: () => Promise<T>): Promise<T> {
  let queue = turns.get(deps);
  if (!queue) turns.set(deps, (queue = new Map<ServiceVersion, Promise<unknown>>()));
  const run = (queue.get(service) ?? Promise.resolve()).catch(() => undefined).then(work);
  queue.set(service, run);
  return run;
}

/** Live versions this replica could not load (so the follower does not retry them on every read). */
const failedHere = new WeakMap<AppDeps, Set<number>>();

/**
 * Loads a registered version and checks it keeps the API's contract, ready to swap in. Stored bytes that do not
 * match their SHA-256, or a model that does not load, mark the version `failed` (with the reason) and throw.
 */
async function loadChecked(deps: AppDeps, service: ServiceVersion, version: ModelVersionRecord) {
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

/**
 * Makes this replica serve the registry's live version of `service` if it serves another one: how every replica
 * follows a promote or rollback made on any of them, and how a start-up serves what the registry says is live.
 * A live version that cannot be loaded is marked failed and the current model keeps serving.
 */
export function followLive(deps: AppDeps, service: ServiceVersion): Promise<void> {
  return inTurn(deps, service, async () => {
    const live = await deps.data.modelRegistry.live(service);
    if (!live || live.id === deps.models.versionId(service)) return;
    // Tried here once already and failed: not again on every read (a promote of it still tries).
    let failed = failedHere.get(deps);
    if (!failed) failedHere.set(deps, (failed = new Set<number>()));
    if (failed.has(live.id)) return;
    failed.add(live.id);
    try {
      const model = await loadChecked(deps, service, live);
      await deps.models.swap(service, model, deps.now(), live.id);
      failed.delete(live.id);
      deps.logger.info({ service, version: live.version }, 'now serving the live version of the model registry');
    } catch (err) {
      deps.logger.error(
        { err, service, version: live.version },
        'the live version could not be served; the current model keeps serving',
      );
    }
  });
}

/** Makes `version` of `service` live: loaded and checked here first, then recorded, then swapped in. */
export function promoteVersion(
  deps: AppDeps,
  service: ServiceVersion,
  version: string,
  actor: Actor,
): Promise<ModelPromotionOutput> {
  return inTurn(deps, service, async () => {
    const registry = deps.data.modelRegistry;
    const target = await registry.version(service, version);
    if (!target)
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: `${service} has no version ${version}; GET /admin/models/${service}/versions lists them`,
      });
    const before = deps.models.current(service).version;
    if (target.state === 'live' && deps.models.versionId(service) === target.id)
      return { service, previous: before, live: target.version, changed: false };
    const model = await loadChecked(deps, service, target);
    await registry.promote(target.id, { action: 'promote', actor, at: deps.now() });
    await deps.models.swap(service, model, deps.now(), target.id);
    deps.logger.info({ service, from: before, to: target.version }, 'model version promoted');
    return { service, previous: before, live: target.version, changed: true };
  });
}

/** Makes the version live before the current one live again; the current one returns to `registered`. */
export function rollbackVersion(deps: AppDeps, service: ServiceVersion, actor: Actor): Promise<ModelPromotionOutput> {
  return inTurn(deps, service, async () => {
    const registry = deps.data.modelRegistry;
    const target = await registry.previousLive(service);
    if (!target) throw conflict(`${service} has no earlier live version to roll back to`);
    const model = await loadChecked(deps, service, target);
    const before = deps.models.current(service).version;
    const done = await registry.rollback(service, { actor, at: deps.now() });
    if (done?.id !== target.id) {
      // Another replica changed the service meanwhile: serve whatever is live now (after this turn).
      await disposeModel(model);
      void followLive(deps, service);
      if (!done) throw conflict(`${service} has no earlier live version to roll back to`);
      return { service, previous: before, live: done.version, changed: true };
    }
    await deps.models.swap(service, model, deps.now(), target.id);
    deps.logger.info({ service, from: before, to: target.version }, 'model version rolled back');
    return { service, previous: before, live: target.version, changed: true };
  });
}

/**
 * Follows the registry from now on: when a service's live version changes on any replica (or by hand), the
 * database's notification (model_deployments' trigger, through the change feed) makes this replica load and swap
 * in the new live version; after a gap in the feed every service is read again. On SQLite the one process changes
 * its registry itself and nothing else notifies. Returns the unsubscribe function.
 */
export function followRegistry(deps: AppDeps, services: readonly ServiceVersion[]): () => void {
  const follow = (service: ServiceVersion) =>
    void followLive(deps, service).catch((err: unknown) =>
      deps.logger.warn({ err, service }, 'model registry not read; following the next change'),
    );
  return deps.db.changes.subscribe((change) => {
    if (change.kind === 'all') services.forEach(follow);
    else if (change.kind === 'model') services.filter((s) => s === change.service).forEach(follow);
  });
}
