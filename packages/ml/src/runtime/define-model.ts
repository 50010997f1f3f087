/**
 * Builds a Model from a small definition: how to load the artifact and how to predict
 * with it. Takes care of load-once semantics, lazy loading, validation and batching, so a
 * new model only supplies its own parts.
 */
import type { ServiceVersion } from '@mlapi/schemas';
import type { z } from 'zod';
import type { Model, ModelCard, ModelTask } from '../model.ts';

interface LoadedArtifact<R> {
  runtime: R;
  card: ModelCard;
}

export interface ModelDefinition<I, O, R> {
  name: string;
  version: string;
  service: ServiceVersion;
  inputSchema: z.ZodType<I>;
  outputSchema: z.ZodType<O>;
  task: ModelTask;
  targetSchema: z.ZodType<string | number>;
  labels?: readonly string[];
  positiveLabel?: string;
  loadArtifact(): Promise<LoadedArtifact<R>>;
  predict(runtime: R, input: I): O;
  predictedValue: (output: O) => number | string;
  /** See Model.driftValues. */
  driftValues?: (runtime: R, input: I, output: O) => Record<string, number>;
}

export function defineModel<I, O, R>(def: ModelDefinition<I, O, R>): Model<I, O> {
  let loaded: LoadedArtifact<R> | undefined;
  let loading: Promise<void> | undefined;

  const load = (): Promise<void> => {
    if (!loading) {
      loading = def
        .loadArtifact()
        .then((artifact) => {
          const { name, version, service } = artifact.card;
          if (name !== def.name || version !== def.version || service !== def.service) {
            throw new Error(
              `artifact is ${service}/${name}@${version}, expected ${def.service}/${def.name}@${def.version}`,
            );
          }
          loaded = artifact;
        })
        .catch((err: unknown) => {
          loading = undefined; // allow a retry
          throw err;
        });
    }
    return loading;
  };

  const ready = async (): Promise<LoadedArtifact<R>> => {
    if (!loaded) await load();
    if (!loaded) throw new Error(`model ${def.name} failed to load`);
    return loaded;
  };

  const loadedRuntime = (): R => {
    if (!loaded) throw new Error(`model ${def.name} is not loaded`);
    return loaded.runtime;
  };

  return {
    name: def.name,
    version: def.version,
    service: def.service,
    inputSchema: def.inputSchema,
    outputSchema: def.outputSchema,
    task: def.task,
    targetSchema: def.targetSchema,
    ...(def.labels ? { labels: def.labels } : {}),
    ...(def.positiveLabel ? { positiveLabel: def.positiveLabel } : {}),
    load,
    isLoaded: () => loaded !== undefined,
    async predict(input) {
      const { runtime } = await ready();
      return def.predict(runtime, def.inputSchema.parse(input));
    },
    async predictBatch(inputs) {
      const { runtime } = await ready();
      return inputs.map((input) => def.predict(runtime, def.inputSchema.parse(input)));
    },
    async card() {
      return structuredClone((await ready()).card);
    },
    predictedValue: def.predictedValue,
    ...(def.driftValues
      ? { driftValues: (input: I, output: O) => def.driftValues!(loadedRuntime(), input, output) }
      : {}),
  };
}
