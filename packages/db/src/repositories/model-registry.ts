import { createHash } from 'node:crypto';
import { ModelDeployment, type IModelDeployment } from '../entities/model-deployment.entity.ts';
import { ModelFile } from '../entities/model-file.entity.ts';
import { ModelVersion, type IModelVersion } from '../entities/model-version.entity.ts';
import type { Em } from '../orm.ts';
import type {
  ModelDeploymentRecord,
  ModelFileRecord,
  ModelVersionRecord,
  NewModelVersion,
  ServiceName,
} from '../records.ts';
import type { RepositoryContext } from './context.ts';
import { lockedVersions, switchLive, type LiveChange } from './model-serving-changes.ts';

/** Stored bytes of a version that do not match the SHA-256 they were registered with. */
export class ModelFilesCorruptError extends Error {
  override readonly name = 'ModelFilesCorruptError';
  constructor(
    readonly versionId: number,
    readonly path: string,
  ) {
    super(`${path}: the stored bytes do not match their SHA-256`);
  }
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * A version's content as one SHA-256: over its files' paths and SHA-256s, sorted by path. Two directories holding
 * the same files have the same one, whatever the version they claim.
 */
export function modelContentSha256(files: readonly Pick<ModelFileRecord, 'path' | 'sha256'>[]): string {
  const lines = files.map((f) => `${f.path}\t${f.sha256}\n`).sort();
  return sha256(lines.join(''));
}

const versionRecord = (v: IModelVersion): ModelVersionRecord =>
  Object.freeze({
    id: v.id,
    service: v.serviceVersion,
    version: v.version,
    name: v.name,
    source: v.source,
    files: v.files,
    sha256: v.sha256,
    card: v.card ?? null,
    evaluation: v.evaluation ?? null,
    state: v.state,
    failure: v.failure ?? null,
    registeredById: v.registeredBy ? Number(v.registeredBy.id) : null,
    registeredByUsername: v.registeredByUsername ?? null,
    registeredAt: v.registeredAt,
  });

const deploymentRecord = (d: IModelDeployment, version: string): ModelDeploymentRecord =>
  Object.freeze({
    id: d.id,
    service: d.serviceVersion,
    versionId: Number(d.modelVersion.id),
    version,
    action: d.action,
    actorUsername: d.actorUsername ?? null,
    liveFrom: d.liveFrom,
    liveUntil: d.liveUntil ?? null,
  });

/** The latest version live before the current one and still `retired` (not since rolled back from). */
async function rollbackTarget(em: Em, service: ServiceName): Promise<IModelVersion | null> {
  const spans = await em.find(
    ModelDeployment,
    { serviceVersion: service },
    { orderBy: { id: 'desc' }, populate: ['modelVersion'], refresh: true },
  );
  const current = spans.find((d) => d.liveUntil == null)?.modelVersion;
  const earlier = spans.find(
    (d) => d.liveUntil != null && d.modelVersion.state === 'retired' && d.modelVersion.id !== current?.id,
  );
  return earlier?.modelVersion ?? null;
}

/**
 * The model registry: versions of each service with their files stored in the database by content (so every replica
 * loads exactly the registered bytes), their states, and which version was live when.
 */
export function modelRegistryRepository({ db }: RepositoryContext) {
  return {
    /**
     * Registers a version: its files' bytes stored once each (a file another version holds is not stored again),
     * the version `registered`. A version the service already has is a DuplicateKeyError.
     */
    async register(input: NewModelVersion): Promise<ModelVersionRecord> {
      const files = input.files
        .map((f) => ({ path: f.path, sha256: sha256(f.bytes), size: f.bytes.byteLength, bytes: f.bytes }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      return db.fork().transactional(async (tx) => {
        for (const f of files) {
          await tx
            .createQueryBuilder(ModelFile)
            .insert({ sha256: f.sha256, size: f.size, bytes: Buffer.from(f.bytes), createdAt: input.registeredAt })
            .onConflict('sha256')
            .ignore()
            .execute();
        }
        const listed = files.map(({ path, sha256, size }) => ({ path, sha256, size }));
        const version = tx.create(ModelVersion, {
          serviceVersion: input.service,
          version: input.version,
          name: input.name,
          source: input.source,
          files: listed,
          sha256: modelContentSha256(listed),
          card: input.card,
          evaluation: input.evaluation ?? null,
          registeredBy: input.registeredBy?.id ?? null,
          registeredByUsername: input.registeredBy?.username ?? null,
          registeredAt: input.registeredAt,
        });
        await tx.flush();
        return versionRecord(version);
      });
    },

    /** The service's versions, newest first. */
    async versions(service: ServiceName): Promise<ModelVersionRecord[]> {
      const rows = await db.fork().find(ModelVersion, { serviceVersion: service }, { orderBy: { id: 'desc' } });
      return rows.map(versionRecord);
    },

    async version(service: ServiceName, version: string): Promise<ModelVersionRecord | null> {
      const row = await db.fork().findOne(ModelVersion, { serviceVersion: service, version });
      return row ? versionRecord(row) : null;
    },

    /** The service's live version, or null before the first. */
    async live(service: ServiceName): Promise<ModelVersionRecord | null> {
      const row = await db.fork().findOne(ModelVersion, { serviceVersion: service, state: 'live' });
      return row ? versionRecord(row) : null;
    },

    /** Which version was live when, newest first. */
    async history(service: ServiceName): Promise<ModelDeploymentRecord[]> {
      const rows = await db
        .fork()
        .find(ModelDeployment, { serviceVersion: service }, { orderBy: { id: 'desc' }, populate: ['modelVersion'] });
      return rows.map((d) => deploymentRecord(d, d.modelVersion.version));
    },

    /** A version's files with their bytes, each checked against its SHA-256 (a ModelFilesCorruptError if not). */
    async files(versionId: number): Promise<{ path: string; bytes: Uint8Array }[]> {
      const em = db.fork();
      const version = await em.findOneOrFail(ModelVersion, { id: versionId });
      const stored = await em.find(ModelFile, { sha256: { $in: version.files.map((f) => f.sha256) } });
      const bySha = new Map(stored.map((f) => [f.sha256, f.bytes]));
      return version.files.map((f) => {
        const bytes = bySha.get(f.sha256);
        if (!bytes || bytes.byteLength !== f.size || sha256(bytes) !== f.sha256)
          throw new ModelFilesCorruptError(versionId, f.path);
        return { path: f.path, bytes: new Uint8Array(bytes) };
      });
    },

    /**
     * Makes a version live (a live one stays as it is); the one live before stays available as `retired` (what a
     * rollback returns to).
     */
    async promote(versionId: number, change: LiveChange): Promise<ModelVersionRecord> {
      return db.fork().transactional(async (tx) => {
        const { serviceVersion } = await tx.findOneOrFail(ModelVersion, { id: versionId });
        const next = await switchLive(tx, serviceVersion, versionId, 'retired', change);
        await tx.flush();
        return versionRecord(next!);
      });
    },

    /** The version a rollback would make live again (the latest one live before the current one), or null. */
    async previousLive(service: ServiceName): Promise<ModelVersionRecord | null> {
      const earlier = await rollbackTarget(db.fork(), service);
      return earlier ? versionRecord(earlier) : null;
    },

    /**
     * Makes the version live before the current one live again; the current one returns to `registered` (it may be
     * promoted again). Null (nothing changed) when no earlier version is left to return to.
     */
    async rollback(service: ServiceName, change: Omit<LiveChange, 'action'>): Promise<ModelVersionRecord | null> {
      return db.fork().transactional(async (tx) => {
        // Under the lock switchLive takes, so two rollbacks at once step back one version each.
        await lockedVersions(tx, service);
        const earlier = await rollbackTarget(tx, service);
        if (!earlier) return null;
        const next = await switchLive(tx, service, earlier.id, 'registered', { ...change, action: 'rollback' });
        await tx.flush();
        return versionRecord(next!);
      });
    },

    /** Marks a version `failed` with the reason (a live one stays live: failing to load it elsewhere is no rollback). */
    async markFailed(versionId: number, reason: string): Promise<void> {
      const em = db.fork();
      const version = await em.findOneOrFail(ModelVersion, { id: versionId });
      // A live version stays live, and a rollout's candidate stays in it until the rollout ends.
      if (!['live', 'canary', 'shadow'].includes(version.state)) version.state = 'failed';
      version.failure = reason.slice(0, 2000);
      await em.flush();
    },
  };
}
