/** What the v1 spam model is trained from and how: the corpus's messages and the training options. */
import type { TextFeatureConfig } from '../text/featurizer.ts';
import type { LogisticRegressionOptions } from './logistic-regression.ts';

export interface SpamMail {
  group: string;
  text: string;
}

export interface SpamTrainOptions {
  seed: number;
  testFraction: number;
  features: TextFeatureConfig;
  optimizer: Omit<LogisticRegressionOptions, 'seed'>;
  /** Also train on short snippets of each training mail (subject alone, first body sentence). */
  shortSnippets: boolean;
  /** Texts with fewer word tokens are shrunk toward the prior log-odds (0 = never). */
  evidenceTokens: number;
  /** Also run the "-1 groups → -2 groups" evaluation (needs both kinds of group). */
  crossGroupEvaluation: boolean;
  trainedAt: string;
  sourceVersion: string;
  /** The version the model card gives (default: the shipped model's). */
  version?: string;
  log: (message: string) => void;
  /** Messages featurised so far (stage 'featurising'), then epochs run of the fit (stage 'training'). */
  progress?: (done: number, total: number, stage: 'featurising' | 'training') => void;
}

export const defaultSpamTrainOptions: Omit<SpamTrainOptions, 'trainedAt' | 'sourceVersion' | 'log'> = {
  seed: 20_240_601,
  testFraction: 0.2,
  features: {
    hashBits: 18,
    maxChars: 20_000,
    maxTokenLength: 40,
    wordBigrams: true,
    charNgrams: [3, 5],
    charNgramMaxChars: 10_000,
    charWeight: 1,
  },
  optimizer: { epochs: 5, learningRate: 1, l2: 1e-6, averagedRuns: 5 },
  shortSnippets: true,
  evidenceTokens: 20,
  crossGroupEvaluation: true,
};
