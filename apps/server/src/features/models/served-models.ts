import { type ModelRegistry } from '@mlapi/ml';
import { serviceVersions, type ServiceVersion } from '@mlapi/schemas';

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

type Disposable = { dispose?(): Promise<void> };

/** Releases a model's resources (an ONNX session); a built-in model holds none. */
export async function disposeModel(model: unknown): Promise<void> {
  await (model as Disposable).dispose?.();
}

/**
 * The model each service answers with, swappable at run time. A call takes the model current when it starts and
 * keeps it to the end (`use`); `swap` makes the new one current at once, waits for the calls still running on the
 * old one, then disposes of it. Nothing is dropped and no call sees two models.
 */
export class ServedModels {
  readonly #generations: { [S in ServiceVersion]: Generation<ModelRegistry[S]> };

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

  /** Runs `work` on the current model; a swap meanwhile waits for it before the old model is disposed of. */
  async use<S extends ServiceVersion, R>(service: S, work: (model: ModelRegistry[S]) => Promise<R>): Promise<R> {
    const generation = this.#generations[service] as Generation<ModelRegistry[S]>;
    generation.inFlight++;
    try {
      return await work(generation.model);
    } finally {
      generation.inFlight--;
      if (generation.inFlight === 0) generation.drained?.();
    }
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
    if (previous.inFlight > 0) await new Promise<void>((done) => (previous.drained = done));
    await disposeModel(previous.model);
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
    await Promise.all(serviceVersions.map(async (s) => disposeModel(this.current(s))));
  }
}
