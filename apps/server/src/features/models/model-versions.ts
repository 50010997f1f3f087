import { DuplicateKeyError, modelContentSha256, type ModelVersionRecord } from '@mlapi/db';
import type { Model } from '@mlapi/ml';
import {
  serviceVersions,
  type EvaluationReport,
  type ModelVersionDto,
  type ModelVersionsOutput,
  type ServiceVersion,
} from '@mlapi/schemas';
import { createHash } from 'node:crypto';
import type { AppDeps } from '../../core/deps.ts';
import { followLive } from './model-promotion.ts';
import { rolloutDto } from './model-rollout.ts';
import { servedDirectory } from './model-directory.ts';

/** Who changed what the service serves, for the registry's history. */
export interface ServingChange {
  /** 'first' becomes 'configured' when another version was live. */
  action: 'first' | 'configured' | 'reload';
  actor: { id: number; username: string } | null;
}

/**
 * Records `model`, which `service` serves (or is about to), in the model registry: registered as a version if the
 * registry does not have it yet (its files stored by content). It is made the live one after a reload, or at
 * start-up when it is new to the registry (the shipped built-in models at a database's first start, a changed built-in, a new MODEL_DIR_Vn
 * directory) or nothing is live; otherwise the registry's live version stays live (a promote outlives a restart).
 * Two replicas doing it at once record it once. Null, with a warning logged, when the registry already holds that
 * version with other files (a model changed without a new version): the registry is left as it is.
 */
export async function recordServedVersion(
  deps: AppDeps,
  service: ServiceVersion,
  model: Model<unknown, unknown>,
  change: ServingChange,
): Promise<ModelVersionRecord | null> {
  const registry = deps.data.modelRegistry;
  const { source, files, card } = await servedDirectory(service, model);
  const sha256 = modelContentSha256(
    files.map((f) => ({ path: f.path, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
  );
  let version = await registry.version(service, model.version);
  const registeredNow = !version;
  if (!version) {
    const registered = {
      service,
      version: model.version,
      name: model.name,
      source,
      card,
      files,
      registeredBy: change.actor,
      registeredAt: deps.now(),
    };
    version = await registry.register(registered).catch(async (err: unknown) => {
      // Another replica registered it meanwhile.
      if (err instanceof DuplicateKeyError) return registry.version(service, model.version);
      throw err;
    });
  }
  if (!version || version.sha256 !== sha256) {
    deps.logger.warn(
      { service, version: model.version, sha256, registered: version?.sha256 },
      `${service} serves ${model.name} ${model.version}, which the model registry holds with other files: give a changed model a new version`,
    );
    return null;
  }
  if (version.state === 'live') return version;
  const live = await registry.live(service);
  // At start-up, files the registry knew while it has a live version: that one serves.
  if (!registeredNow && change.action !== 'reload' && live) return version;
  const action = change.action === 'first' && live ? 'configured' : change.action;
  return registry.promote(version.id, { action, actor: change.actor, at: deps.now() });
}

/**
 * At start-up: what each service serves is recorded in the registry (the shipped built-in models at a database's
 * first start; a MODEL_DIR_Vn directory whenever it is new). A registry that cannot record it is logged, never a
 * failed start: the models serve all the same.
 */
export async function recordServedModels(deps: AppDeps, dirs: Partial<Record<ServiceVersion, string>>): Promise<void> {
  for (const service of serviceVersions) {
    const action = dirs[service] ? 'configured' : 'first';
    const served = deps.models.current(service);
    const recorded = await recordServedVersion(deps, service, served, { action, actor: null }).catch((err: unknown) => {
      deps.logger.warn({ err, service }, `${service}: the model served could not be recorded in the model registry`);
      return null;
    });
    if (recorded?.state === 'live') deps.models.setVersionId(service, recorded.id);
    // A version promoted before this start (on any replica) serves instead of the files on disk.
    await followLive(deps, service).catch((err: unknown) =>
      deps.logger.warn({ err, service }, `${service}: the model registry's live version could not be read`),
    );
  }
}

/** A registered version as the API shows it. */
export function versionDto(v: ModelVersionRecord): ModelVersionDto {
  return {
    version: v.version,
    name: v.name,
    source: v.source,
    state: v.state,
    failure: v.failure,
    sha256: v.sha256,
    files: v.files.map((f) => ({ ...f })),
    card: v.card,
    registered_by: v.registeredByUsername,
    registered_at: v.registeredAt.toISOString(),
    evaluation: (v.evaluation as EvaluationReport | null) ?? null,
  };
}

/** The service's versions and which was live when, as the API answers. */
export async function listVersions(deps: AppDeps, service: ServiceVersion): Promise<ModelVersionsOutput> {
  const registry = deps.data.modelRegistry;
  const [versions, history, rollouts] = await Promise.all([
    registry.versions(service),
    registry.history(service),
    deps.data.modelRollouts.list(service),
  ]);
  const running = rollouts.find((r) => r.endedAt === null);
  return {
    service,
    live: versions.find((v) => v.state === 'live')?.version ?? null,
    rollout: running ? rolloutDto(running) : null,
    rollouts: rollouts.map(rolloutDto),
    items: versions.map(versionDto),
    history: history.map((d) => ({
      version: d.version,
      action: d.action,
      by: d.actorUsername,
      live_from: d.liveFrom.toISOString(),
      live_until: d.liveUntil?.toISOString() ?? null,
    })),
  };
}
