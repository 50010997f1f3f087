/**
 * v2 — Boston house-price regressor: gradient-boosted regression trees over 12 census
 * features, predicting the corrected median value (cmedv, $1000s), served in dollars.
 * Artifact: artifacts/v2-boston.json.
 */
import {
  v2FeatureNames,
  v2InputSchema,
  v2OutputSchema,
  v2TargetSchema,
  type V2Input,
  type V2Output,
} from '@mlapi/schemas';
import { z } from 'zod';
import {
  compileEnsemble,
  predictCompiled,
  validateEnsemble,
  type CompiledEnsemble,
  type TreeEnsemble,
} from '../gbt/tree-ensemble.ts';
import type { Model, ModelCard } from '../model.ts';
import { defaultArtifactDir, readJsonArtifact } from '../runtime/artifacts.ts';
import { defineModel } from '../runtime/define-model.ts';

export const BOSTON_MODEL_NAME = 'boston-gbt';
export const BOSTON_MODEL_VERSION = '1.1.0';
export const BOSTON_ARTIFACT_FILE = 'v2-boston.json';
export const BOSTON_ARTIFACT_FORMAT = 'boston-gbt/1';
/** cmedv is in thousands of dollars. */
export const BOSTON_TARGET_SCALE = 1000;

export interface BostonArtifact {
  format: typeof BOSTON_ARTIFACT_FORMAT;
  card: ModelCard;
  features: string[];
  target_scale: number;
  ensemble: TreeEnsemble;
}

const numbers = z.array(z.number());
const artifactSchema = z.object({
  format: z.literal(BOSTON_ARTIFACT_FORMAT),
  card: z.custom<ModelCard>((v) => typeof v === 'object' && v !== null),
  features: z.array(z.string()),
  target_scale: z.number().positive(),
  ensemble: z.object({
    base: z.number(),
    trees: z.array(z.object({ feature: numbers, threshold: numbers, left: numbers, right: numbers, value: numbers })),
  }),
});

/** Feature vector in artifact order. */
function bostonFeatureVector(input: V2Input): number[] {
  return v2FeatureNames.map((name) => input[name]);
}

interface BostonRuntime {
  ensemble: CompiledEnsemble;
  scale: number;
}

/**
 * The model over the artifacts in `artifactDir` (default: the committed ones). `version` is the version its card in
 * that directory gives (what the model registry records); the committed artifacts' version by default.
 */
export function createBostonModel(
  options: { artifactDir?: URL | string; version?: string } = {},
): Model<V2Input, V2Output> {
  const dir = options.artifactDir ?? defaultArtifactDir;
  return defineModel({
    name: BOSTON_MODEL_NAME,
    version: options.version ?? BOSTON_MODEL_VERSION,
    service: 'v2',
    inputSchema: v2InputSchema,
    outputSchema: v2OutputSchema,
    task: 'regression',
    targetSchema: v2TargetSchema,
    async loadArtifact() {
      const artifact = artifactSchema.parse(await readJsonArtifact(dir, BOSTON_ARTIFACT_FILE));
      if (artifact.features.join(',') !== v2FeatureNames.join(',')) {
        throw new Error(
          `${BOSTON_ARTIFACT_FILE}: feature order ${artifact.features.join(',')} does not match the schema`,
        );
      }
      validateEnsemble(artifact.ensemble, v2FeatureNames.length);
      const runtime: BostonRuntime = { ensemble: compileEnsemble(artifact.ensemble), scale: artifact.target_scale };
      return { runtime, card: artifact.card };
    },
    predict(runtime, input): V2Output {
      const thousands = predictCompiled(runtime.ensemble, bostonFeatureVector(input));
      return { price: Math.round(thousands * runtime.scale) };
    },
    predictedValue: (output) => output.price,
  });
}
