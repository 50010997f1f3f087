import type { ModelPromotionOutput, ServiceVersion } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { followCandidate, stopRollout } from './model-rollout.ts';
import { findVersion, loadChecked } from './model-store.ts';
import { disposeModel } from './served-models.ts';
import { inTurn } from './service-turns.ts';

/** The admin who asked. */
type Actor = { id: number; username: string };

/** Live versions this replica could not load (so the follower does not retry them on every read). */
const failedHere = new WeakMap<AppDeps, Set<number>>();

/** Serves the registry's live version of `service` if this replica serves another one (in the caller's turn). */
async function followLiveVersion(deps: AppDeps, service: ServiceVersion): Promise<void> {
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
}

/**
 * Makes this replica serve what the registry says for `service`: its live version, and the candidate of its running
 * rollout. How every replica follows a promote, rollback or rollout made on any of them, and how a start-up serves
 * what the registry says. A live version that cannot be loaded is marked failed and the current model keeps serving.
 */
export function followLive(deps: AppDeps, service: ServiceVersion): Promise<void> {
  return inTurn(deps, service, async () => {
    await followLiveVersion(deps, service);
    await followCandidate(deps, service);
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
    const target = await findVersion(deps, service, version);
    const before = deps.models.current(service).version;
    if (target.state === 'live' && deps.models.versionId(service) === target.id)
      return { service, previous: before, live: target.version, changed: false, rollout_ended: null };
    const model = await loadChecked(deps, service, target);
    // A running rollout ends with the promote (its candidate live, or stopped if another version is promoted).
    const running = await deps.data.modelRollouts.running(service);
    await registry.promote(target.id, { action: 'promote', actor, at: deps.now() });
    await deps.models.swap(service, model, deps.now(), target.id);
    await deps.models.setCandidate(service, null);
    deps.logger.info({ service, from: before, to: target.version }, 'model version promoted');
    return {
      service,
      previous: before,
      live: target.version,
      changed: true,
      rollout_ended: running?.candidateVersion ?? null,
    };
  });
}

/**
 * Stops the running rollout, if there is one: its candidate returns to `registered` and the live version answers
 * everyone. Otherwise makes the version live before the current one live again; the current one returns to
 * `registered`.
 */
export function rollbackVersion(deps: AppDeps, service: ServiceVersion, actor: Actor): Promise<ModelPromotionOutput> {
  return inTurn(deps, service, async () => {
    const live = deps.models.current(service).version;
    const stopped = await stopRollout(deps, service, actor);
    if (stopped) return { service, previous: live, live, changed: true, rollout_ended: stopped.candidateVersion };
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
      return { service, previous: before, live: done.version, changed: true, rollout_ended: null };
    }
    await deps.models.swap(service, model, deps.now(), target.id);
    deps.logger.info({ service, from: before, to: target.version }, 'model version rolled back');
    return { service, previous: before, live: target.version, changed: true, rollout_ended: null };
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
