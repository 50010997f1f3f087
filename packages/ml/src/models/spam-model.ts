/**
 * v1 — spam classifier: logistic regression over hashed word and character n-grams of
 * the Subject and decoded body. Artifact: artifacts/v1-spam.json + v1-spam.weights.bin.
 *
 * Short texts: the feature groups are L2-normalised, so a three-word message gets a vector
 * as long as a full mail's and the model would be as sure about it. Below
 * `evidence_tokens` word tokens the logit is therefore pulled toward the training prior
 * log-odds in proportion to the missing evidence (see `spamLogit`).
 */
import { v1InputSchema, v1Labels, v1OutputSchema, v1TargetSchema, type V1Input, type V1Output } from '@mlapi/schemas';
import { z } from 'zod';
import type { Model, ModelCard } from '../model.ts';
import { readJsonArtifact, readWeights, defaultArtifactDir, type WeightFileRef } from '../runtime/artifacts.ts';
import { defineModel } from '../runtime/define-model.ts';
import { sigmoid } from '../runtime/sigmoid.ts';
import { TextFeaturizer, type TextFeatureConfig } from '../text/featurizer.ts';
import { parseMail } from '../text/mail-parser.ts';
import { countWords, Vocabulary } from '../text/vocabulary.ts';

export const SPAM_MODEL_NAME = 'spam-logreg';
export const SPAM_MODEL_VERSION = '1.2.0';
export const SPAM_ARTIFACT_FILE = 'v1-spam.json';
export const SPAM_WEIGHTS_FILE = 'v1-spam.weights.bin';
export const SPAM_ARTIFACT_FORMAT = 'spam-logreg/2';

/** The JSON document of the v1 artifact (written by training, read here). */
export interface SpamArtifact {
  format: typeof SPAM_ARTIFACT_FORMAT;
  card: ModelCard;
  features: TextFeatureConfig;
  bias: number;
  /** log(P(spam) / P(ham)) of the training labels: the logit of a text with no evidence. */
  prior_log_odds: number;
  /** Texts with fewer word tokens than this are shrunk toward the prior. */
  evidence_tokens: number;
  threshold: number;
  weights: WeightFileRef;
  /** The training texts' word tokens, for drift's out-of-vocabulary rate (text/vocabulary.ts); absent before 1.2.0. */
  vocabulary?: SpamVocabularyRef;
}

/** A vocabulary bitset as the artifact stores it. */
interface SpamVocabularyRef {
  bits: number;
  /** A word is in the vocabulary when it occurred in at least this many training texts. */
  min_texts: number;
  bitset_base64: string;
}

/**
 * The model's logit for a text of `tokens` word tokens whose feature score is `score`:
 * λ·(score + bias) + (1 − λ)·prior, λ = min(1, tokens / evidenceTokens). Texts of at least
 * `evidenceTokens` tokens get the plain logistic-regression logit.
 */
export function spamLogit(
  score: number,
  tokens: number,
  p: { bias: number; priorLogOdds: number; evidenceTokens: number },
): number {
  const z = score + p.bias;
  if (tokens >= p.evidenceTokens) return z;
  const lambda = tokens / p.evidenceTokens;
  return lambda * z + (1 - lambda) * p.priorLogOdds;
}

const artifactSchema = z.object({
  format: z.literal(SPAM_ARTIFACT_FORMAT),
  card: z.custom<ModelCard>((v) => typeof v === 'object' && v !== null),
  features: z.object({
    hashBits: z.number().int().min(8).max(24),
    maxChars: z.number().int().positive(),
    maxTokenLength: z.number().int().positive(),
    wordBigrams: z.boolean(),
    charNgrams: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
    charNgramMaxChars: z.number().int().min(0),
    charWeight: z.number().min(0),
  }),
  bias: z.number(),
  prior_log_odds: z.number(),
  evidence_tokens: z.number().min(0),
  threshold: z.number().min(0).max(1),
  weights: z.object({ file: z.string(), dtype: z.literal('float32le'), length: z.number().int(), sha256: z.string() }),
  vocabulary: z
    .object({ bits: z.number().int().min(8).max(24), min_texts: z.number().int().min(1), bitset_base64: z.string() })
    .optional(),
});

interface SpamRuntime {
  featurizer: TextFeaturizer;
  weights: Float32Array;
  bias: number;
  priorLogOdds: number;
  evidenceTokens: number;
  threshold: number;
  vocabulary: Vocabulary | null;
  /** Each answer's drift values, counted while predicting it (the mail is parsed once). */
  driftOf: WeakMap<V1Output, Record<string, number>>;
}

/**
 * The model over the artifacts in `artifactDir` (default: the committed ones). `version` is the version its card in
 * that directory gives (what the model registry records); the committed artifacts' version by default.
 */
export function createSpamModel(
  options: { artifactDir?: URL | string; version?: string } = {},
): Model<V1Input, V1Output> {
  const dir = options.artifactDir ?? defaultArtifactDir;
  return defineModel({
    name: SPAM_MODEL_NAME,
    version: options.version ?? SPAM_MODEL_VERSION,
    service: 'v1',
    inputSchema: v1InputSchema,
    outputSchema: v1OutputSchema,
    task: 'classification',
    targetSchema: v1TargetSchema,
    labels: v1Labels,
    positiveLabel: 'spam',
    async loadArtifact() {
      const artifact = artifactSchema.parse(await readJsonArtifact(dir, SPAM_ARTIFACT_FILE));
      const featurizer = new TextFeaturizer(artifact.features);
      if (artifact.weights.length !== featurizer.dim) {
        throw new Error(`${SPAM_ARTIFACT_FILE}: ${artifact.weights.length} weights for ${featurizer.dim} features`);
      }
      const weights = await readWeights(dir, artifact.weights);
      const runtime: SpamRuntime = {
        featurizer,
        weights,
        bias: artifact.bias,
        priorLogOdds: artifact.prior_log_odds,
        evidenceTokens: artifact.evidence_tokens,
        threshold: artifact.threshold,
        vocabulary: artifact.vocabulary
          ? Vocabulary.fromBase64(artifact.vocabulary.bits, artifact.vocabulary.bitset_base64)
          : null,
        driftOf: new WeakMap(),
      };
      return { runtime, card: artifact.card };
    },
    predict(runtime, input): V1Output {
      const mail = parseMail(input.text);
      const score = runtime.featurizer.score(mail, runtime.weights);
      const probability = sigmoid(spamLogit(score, runtime.featurizer.tokenCount, runtime));
      const output: V1Output = { category: probability >= runtime.threshold ? 'spam' : 'ham', probability };
      runtime.driftOf.set(output, countWords(mail, runtime.featurizer.config, runtime.vocabulary));
      return output;
    },
    predictedValue: (output) => output.category,
    driftValues(runtime, input, output) {
      return (
        runtime.driftOf.get(output) ?? countWords(parseMail(input.text), runtime.featurizer.config, runtime.vocabulary)
      );
    },
  });
}
