/** Writes trained models to an artifact directory in the format the runtime models read. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { v2FeatureNames } from '@mlapi/schemas';
import {
  BOSTON_ARTIFACT_FILE,
  BOSTON_ARTIFACT_FORMAT,
  BOSTON_TARGET_SCALE,
  type BostonArtifact,
} from '../models/boston-model.ts';
import {
  SPAM_ARTIFACT_FILE,
  SPAM_ARTIFACT_FORMAT,
  SPAM_WEIGHTS_FILE,
  type SpamArtifact,
} from '../models/spam-model.ts';
import { encodeFloat32, sha256 } from '../runtime/artifacts.ts';
import { prettyJson } from './json-format.ts';
import type { TrainedBostonModel } from './train-boston.ts';
import type { TrainedSpamModel } from './train-spam.ts';

/** Returns the paths written. */
export async function writeSpamArtifact(dir: string, trained: TrainedSpamModel): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const bytes = encodeFloat32(trained.weights);
  const artifact: SpamArtifact = {
    format: SPAM_ARTIFACT_FORMAT,
    card: trained.card,
    features: trained.features,
    bias: trained.bias,
    prior_log_odds: trained.priorLogOdds,
    evidence_tokens: trained.evidenceTokens,
    threshold: trained.threshold,
    weights: { file: SPAM_WEIGHTS_FILE, dtype: 'float32le', length: trained.weights.length, sha256: sha256(bytes) },
    vocabulary: {
      bits: trained.vocabulary.vocabulary.bits,
      min_texts: trained.vocabulary.minTexts,
      bitset_base64: trained.vocabulary.vocabulary.toBase64(),
    },
  };
  const jsonPath = join(dir, SPAM_ARTIFACT_FILE);
  const binPath = join(dir, SPAM_WEIGHTS_FILE);
  await writeFile(binPath, bytes);
  await writeFile(jsonPath, `${prettyJson(artifact)}\n`);
  return [jsonPath, binPath];
}

export async function writeBostonArtifact(dir: string, trained: TrainedBostonModel): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const artifact: BostonArtifact = {
    format: BOSTON_ARTIFACT_FORMAT,
    card: trained.card,
    features: [...v2FeatureNames],
    target_scale: BOSTON_TARGET_SCALE,
    ensemble: trained.ensemble,
  };
  const path = join(dir, BOSTON_ARTIFACT_FILE);
  await writeFile(path, `${prettyJson(artifact)}\n`);
  return [path];
}
