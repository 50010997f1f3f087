import { type ModelRegistry } from '@mlapi/ml';
import { serviceVersions, type ServiceVersion } from '@mlapi/schemas';
import { inCanary } from './canary-share.ts';

/** A model in service, with the calls running on it. */
interface Generation<M> {
  model: M;
  inFlight: number;
  /** Resolves once `inFlight` reaches 0 after the generation was replaced. */
  drained?: () => void;
  loadedAt: Date;
  /** The model registry's id of the version, once known. */
  versionId?: number;
}

/**
 * A rollout's candidate on this replica: the model, and how it is tried — a canary answering `percent` of users, or a
 * shadow predicting every call beside the live model (features/models/shadow-runner.ts).
 */
export interface CandidateModel<M = unknown> {
  model: M;
  versionId: number;
  rolloutId: number;
  mode: 'canary' | 'shadow';
  /** The canary's share of users (0 for a shadow). */
  percent: number;
}

type Disposable = { dispose?(): Promise<void> };

/** Runs `work` on a generation's model, counting it in flight so a replacement waits for it. */
async function runOn<M, R>(generation: Generation<M>, work: (model: M) => Promise<R>): Promise<R> {
  generation.inFlight++;
  try {
    return await work(generation.model);
  } finally {
    generation.inFlight--;
    if (generation.inFlight === 0) generation.drained?.();
  }
}

/** Waits for a replaced generation's calls, then disposes of its model. */
async function retire(generation: Generation<unknown>): Promise<void> {
  if (generation.inFlight > 0) await new Promise<void>((done) => (generation.drained = done));
  await disposeModel(generation.model);
}

/** Releases a model's resources (an ONNX session); a built-in model holds none. */
export async function disposeModel(model: unknown): Promise<void> {
  await (model as Disposable | undefined)?.dispose?.();
}

/**
 * The model each service answers with, swappable at run time. A call takes the model current when it starts and
 * keeps it to the end (`use`); `swap` makes the new one current at once, waits for the calls still running on the
 * old one, then disposes of it. Nothing is dropped and no call sees two models.
 */
export class ServedModels {
  readonly #generations: { [S in ServiceVersion]: Generation<ModelRegistry[S]> };
  readonly #candidates: Partial<Record<ServiceVersion, Generation<unknown> & CandidateModel>> = {};

  constructor(initial: ModelRegistry, now: Date = new Date()) {
    this.#generations = {
      v1: { model: initial.v1, inFlight: 0, loadedAt: now },
      v2: { model: initial.v2, inFlight: 0, loadedAt: now },
    };
  }

  /** The model current right now (for reading its name, version, load state). */
  current<S extends ServiceVersion>(service: S): ModelRegistry[S] {
    return this.#generations[service].model;
  }

  loadedAt(service: ServiceVersion): Date {
    return this.#generations[service].loadedAt;
  }

  /** The model registry's id of the version serving now (undefined before it is recorded). */
  versionId(service: ServiceVersion): number | undefined {
    return this.#generations[service].versionId;
  }

  /** Records which registered version the current model is. */
  setVersionId(service: ServiceVersion, id: number): void {
    this.#generations[service].versionId = id;
  }

  /**
   * Runs `work` on the model that answers `userId`: the current one, or a running canary's candidate for the users
   * in its share. A swap meanwhile waits for it before the model it runs on is disposed of.
   */
  use<S extends ServiceVersion, R>(
    service: S,
    work: (model: ModelRegistry[S]) => Promise<R>,
    userId?: number,
  ): Promise<R> {
    const c = this.#candidates[service];
    if (c?.mode === 'canary' && userId !== undefined && inCanary(c.rolloutId, userId, c.percent))
      return runOn(c as Generation<ModelRegistry[S]>, work);
    return runOn(this.#generations[service] as Generation<ModelRegistry[S]>, work);
  }

  /**
   * Runs `work` on the service's shadow candidate, kept from disposal meanwhile (as `use` keeps a model); undefined
   * (and `work` not run) when no shadow rollout runs here.
   */
  useShadow<S extends ServiceVersion, R>(
    service: S,
    work: (model: ModelRegistry[S], candidate: Readonly<CandidateModel>) => Promise<R>,
  ): Promise<R> | undefined {
    const c = this.#candidates[service];
    if (c?.mode !== 'shadow') return undefined;
    return runOn(c as Generation<ModelRegistry[S]>, (model) => work(model, c));
  }

  /** The candidate of the rollout this replica runs for `service`, if any. */
  candidate(service: ServiceVersion): Readonly<CandidateModel> | undefined {
    return this.#candidates[service];
  }

  /**
   * Starts trying a rollout's candidate (replacing another candidate), or stops (null). Resolves once the calls on
   * the candidate replaced have finished and it was disposed of.
   */
  async setCandidate(service: ServiceVersion, next: CandidateModel | null, now: Date = new Date()): Promise<void> {
    const previous = this.#candidates[service];
    if (next) this.#candidates[service] = { ...next, inFlight: 0, loadedAt: now };
    else delete this.#candidates[service];
    if (previous) await retire(previous);
  }

  /** Makes `next` current; resolves once the calls on the previous model have finished and it was disposed of. */
  async swap<S extends ServiceVersion>(
    service: S,
    next: ModelRegistry[S],
    now: Date = new Date(),
    versionId?: number,
  ): Promise<ModelRegistry[S]> {
    const previous = this.#generations[service] as Generation<ModelRegistry[S]>;
    (this.#generations as Record<ServiceVersion, Generation<unknown>>)[service] = {
      model: next,
      inFlight: 0,
      loadedAt: now,
      ...(versionId === undefined ? {} : { versionId }),
    };
    await retire(previous);
    return previous.model;
  }

  /** Loads every model; rejects naming each one that fails (the others still finish loading). */
  async warmUp(): Promise<void> {
    const results = await Promise.allSettled(serviceVersions.map((s) => this.current(s).load()));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${serviceVersions[i]}: ${String(r.reason)}`] : [],
    );
    if (failed.length > 0) throw new Error(`model warm-up failed — ${failed.join('; ')}`);
  }

  allLoaded(): Record<ServiceVersion, boolean> {
    return { v1: this.current('v1').isLoaded(), v2: this.current('v2').isLoaded() };
  }

  /** Disposes of every model (at shutdown). */
  async dispose(): Promise<void> {
    await Promise.all(
      serviceVersions.map(async (s) => {
        await disposeModel(this.current(s));
        await disposeModel(this.#candidates[s]?.model);
      }),
    );
  }
}
