/**
 * Trains the v1 spam model from Spam Assassin messages and evaluates it:
 * - stratified 80/20 hold-out split (seeded) → headline metrics; the shipped weights are
 *   the ones fitted on the 80 % part, so the 20 % stays a true hold-out;
 * - "-1 groups → -2 groups": train on easy-ham-1, hard-ham-1, spam-1 and test on
 *   easy-ham-2, spam-2 (later mail, a harder test of generalisation).
 *
 * Short texts (v1.1): the corpus has almost no short messages, so training also sees two
 * snippets of every training mail — its subject alone and the first sentence of its body —
 * labelled as the mail; and at prediction time texts with fewer than `evidenceTokens` word
 * tokens are shrunk toward the prior log-odds (`spamLogit`).
 */
import { v1Labels } from '@mlapi/schemas';
import { classificationFromCounts, labelCounts, type ClassificationMetrics } from '../metrics/classification.ts';
import type { ModelCard } from '../model.ts';
import { spamLogit } from '../models/spam-model.ts';
import { sigmoid } from '../runtime/sigmoid.ts';
import { TextFeaturizer, type SparseVector, type TextFeatureConfig } from '../text/featurizer.ts';
import { parseMail, type ParsedMail } from '../text/mail-parser.ts';
import { trainLogisticRegression } from './logistic-regression.ts';
import { cardMetrics, formatMetric } from './card-metrics.ts';
import { range } from './prng.ts';
import { stratifiedSplit } from './split.ts';
import { buildSpamCard } from './spam-card.ts';
import { spamReference, type SpamReference } from './spam-reference.ts';
import type { SpamMail, SpamTrainOptions } from './spam-train-options.ts';

export { defaultSpamTrainOptions, type SpamMail, type SpamTrainOptions } from './spam-train-options.ts';

export interface TrainedSpamModel {
  card: ModelCard;
  features: TextFeatureConfig;
  weights: Float32Array;
  bias: number;
  priorLogOdds: number;
  evidenceTokens: number;
  threshold: number;
  /** The training texts' vocabulary, for drift (its reference is in the card). */
  vocabulary: Pick<SpamReference, 'vocabulary' | 'minTexts'>;
}

export const isSpamGroup = (group: string): boolean => group.startsWith('spam');

/** Fitted weights, rounded to float32 exactly as shipped, so evaluations match the artifact. */
interface ShippedWeights {
  weights: Float32Array;
  bias: number;
  priorLogOdds: number;
  evidenceTokens: number;
}

/** First sentence of a body (whitespace collapsed; at most 200 characters). */
function firstSentence(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  const m = /^(.{10,200}?[.!?])(?:\s|$)/.exec(text);
  return m ? (m[1] as string) : text.slice(0, 120);
}

/** Short texts cut from a mail, as a user might type them: its subject alone and its first sentence. */
function shortSnippets(mail: ParsedMail): ParsedMail[] {
  const out: ParsedMail[] = [];
  if (mail.subject.trim()) out.push({ subject: mail.subject, body: '', markers: [] });
  const sentence = firstSentence(mail.body);
  if (sentence) out.push({ subject: '', body: sentence, markers: [] });
  return out;
}

function fit(
  X: SparseVector[],
  y: number[],
  idx: number[],
  f: TextFeaturizer,
  parsed: ParsedMail[],
  opts: SpamTrainOptions,
  label: string,
): ShippedWeights {
  const examples = idx.map((i) => X[i] as SparseVector);
  const labels = idx.map((i) => y[i] ?? 0);
  const positives = labels.reduce((s, v) => s + v, 0);
  const priorLogOdds = Math.log(positives / (labels.length - positives));
  if (opts.shortSnippets) {
    for (const i of idx) {
      for (const snippet of shortSnippets(parsed[i] as ParsedMail)) {
        examples.push(f.features(snippet));
        labels.push(y[i] ?? 0);
      }
    }
  }
  const model = trainLogisticRegression(
    examples,
    labels,
    f.dim,
    { ...opts.optimizer, seed: opts.seed },
    (run, epoch, loss) => {
      const { averagedRuns: runs, epochs } = opts.optimizer;
      if (label === 'train split') opts.progress?.((run - 1) * epochs + epoch, runs * epochs, 'training');
      opts.log(`  [${label}] run ${run}/${runs} epoch ${epoch}: loss ${loss.toExponential(3)}`);
    },
  );
  return {
    weights: Float32Array.from(model.weights),
    bias: model.bias,
    priorLogOdds,
    evidenceTokens: opts.evidenceTokens,
  };
}

/** P(spam) exactly as the runtime model computes it (featurizer.score on the parsed mail, then spamLogit). */
function probability(model: ShippedWeights, f: TextFeaturizer, mail: ParsedMail): number {
  const score = f.score(mail, model.weights);
  return sigmoid(spamLogit(score, f.tokenCount, model));
}

const labelOf = (spam: boolean) => (spam ? 'spam' : 'ham');

/** Metrics of the messages `idx` with 'spam' as the positive label, by the rules the API's model metrics follow. */
function evaluate(
  model: ShippedWeights,
  f: TextFeaturizer,
  parsed: ParsedMail[],
  y: number[],
  idx: number[],
): ClassificationMetrics {
  const predicted = idx.map((i) => labelOf(probability(model, f, parsed[i] as ParsedMail) >= 0.5));
  return classificationFromCounts(
    labelCounts(
      idx.map((i) => labelOf(y[i] === 1)),
      predicted,
    ),
    v1Labels,
    'spam',
  );
}

/** True/false positives and negatives (spam is positive), read off the confusion matrix. */
function confusion({ confusion_matrix: { labels, matrix } }: ClassificationMetrics) {
  const cell = (actual: string, predicted: string) => matrix[labels.indexOf(actual)]?.[labels.indexOf(predicted)] ?? 0;
  return { tp: cell('spam', 'spam'), fp: cell('ham', 'spam'), fn: cell('spam', 'ham'), tn: cell('ham', 'ham') };
}

const pick = (m: ClassificationMetrics) => ({
  ...cardMetrics({ f1: m.f1, precision: m.precision, recall: m.recall, accuracy: m.accuracy }),
  ...confusion(m),
});

/** Identical bodies (after parsing) appear under several ids; report metrics without them too. */
function bodyKey(text: string): string {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? text.slice(m.index) : text;
}

/** The corpus parsed and featurised once: labels, parsed mails and their feature vectors. */
interface Featurised {
  y: number[];
  featurizer: TextFeaturizer;
  parsed: ParsedMail[];
  X: SparseVector[];
}

function featurise(mails: readonly SpamMail[], opts: SpamTrainOptions, t0: number): Featurised {
  const y = mails.map((m) => (isSpamGroup(m.group) ? 1 : 0));
  if (!y.includes(0) || !y.includes(1)) throw new Error('need both spam and ham messages to train');
  const featurizer = new TextFeaturizer(opts.features);
  opts.log(`featurising ${mails.length} messages…`);
  const parsed: ParsedMail[] = [];
  const X: SparseVector[] = [];
  mails.forEach((m, i) => {
    parsed.push(parseMail(m.text));
    X.push(featurizer.features(parsed[i]!));
    if (i % 250 === 0 || i === mails.length - 1) opts.progress?.(i + 1, mails.length, 'featurising');
  });
  opts.log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { y, featurizer, parsed, X };
}

/** The model fitted on the training part of the hold-out split, and its hold-out evaluations. */
interface HoldoutResult {
  split: ReturnType<typeof stratifiedSplit>;
  model: ShippedWeights;
  holdout: ClassificationMetrics;
  /** Hold-out messages whose body does not also occur in the training part. */
  unseen: number[];
  holdoutUnseen: ClassificationMetrics;
  snippets: ClassificationMetrics;
  snippetCount: number;
}

function trainOnHoldoutSplit(mails: readonly SpamMail[], data: Featurised, opts: SpamTrainOptions): HoldoutResult {
  const { y, featurizer, parsed, X } = data;
  const split = stratifiedSplit(y, opts.testFraction, opts.seed);
  opts.log(`hold-out split: ${split.train.length} train / ${split.test.length} test`);
  const model = fit(X, y, split.train, featurizer, parsed, opts, 'train split');
  const holdout = evaluate(model, featurizer, parsed, y, split.test);
  const trainBodies = new Set(split.train.map((i) => bodyKey(mails[i]?.text ?? '')));
  const unseen = split.test.filter((i) => !trainBodies.has(bodyKey(mails[i]?.text ?? '')));
  const holdoutUnseen = evaluate(model, featurizer, parsed, y, unseen);
  const { fp, fn } = confusion(holdout);
  opts.log(
    `hold-out spam F1 ${formatMetric(holdout.f1)} (fp ${fp}, fn ${fn}); unseen bodies only: ${formatMetric(holdoutUnseen.f1)}`,
  );
  // Short inputs: the subject alone and the first body sentence of each hold-out mail, labelled as the mail.
  const snippetParsed = split.test.flatMap((i) => shortSnippets(parsed[i] as ParsedMail));
  const snippetLabels = split.test.flatMap((i) => shortSnippets(parsed[i] as ParsedMail).map(() => y[i] ?? 0));
  const snippets = evaluate(model, featurizer, snippetParsed, snippetLabels, range(snippetParsed.length));
  opts.log(
    `hold-out short snippets (${snippetParsed.length}): spam F1 ${formatMetric(snippets.f1)}, accuracy ${formatMetric(snippets.accuracy)}`,
  );
  return { split, model, holdout, unseen, holdoutUnseen, snippets, snippetCount: snippetParsed.length };
}

type EvaluationExtra = NonNullable<ModelCard['evaluation']['extra']>;

/** The card's metrics and extra evaluations from the hold-out results. */
function holdoutMetrics(r: HoldoutResult): { extra: EvaluationExtra; metrics: ModelCard['metrics'] } {
  const extra: EvaluationExtra = {
    holdout_unseen_bodies: {
      description: `hold-out messages whose body does not also occur in the training part (${r.unseen.length} of ${r.split.test.length})`,
      metrics: pick(r.holdoutUnseen),
    },
    holdout_short_snippets: {
      description: `subject alone and first body sentence of each hold-out message, labelled as the message (${r.snippetCount} texts)`,
      metrics: pick(r.snippets),
    },
  };
  const metrics = cardMetrics({
    f1_spam: r.holdout.f1,
    precision_spam: r.holdout.precision,
    recall_spam: r.holdout.recall,
    accuracy: r.holdout.accuracy,
    f1_spam_unseen_bodies: r.holdoutUnseen.f1,
    f1_spam_short_snippets: r.snippets.f1,
    accuracy_short_snippets: r.snippets.accuracy,
  });
  return { extra, metrics };
}

/**
 * Optional cross-group evaluation: trains on the "-1" groups and tests on the "-2" groups, adding the result to
 * `extra` and `metrics` (skipped when disabled or when the "-1" groups lack a label or there are no "-2" groups).
 */
function addCrossGroupEvaluation(
  mails: readonly SpamMail[],
  data: Featurised,
  opts: SpamTrainOptions,
  extra: EvaluationExtra,
  metrics: ModelCard['metrics'],
): void {
  const { y, featurizer, parsed, X } = data;
  const older = mails.flatMap((m, i) => (m.group.endsWith('-1') ? [i] : []));
  const newer = mails.flatMap((m, i) => (m.group.endsWith('-2') ? [i] : []));
  if (!(opts.crossGroupEvaluation && new Set(older.map((i) => y[i])).size === 2 && newer.length > 0)) return;
  opts.log(`cross-group: train on ${older.length} "-1" messages, test on ${newer.length} "-2" messages`);
  const cross = evaluate(fit(X, y, older, featurizer, parsed, opts, '-1 groups'), featurizer, parsed, y, newer);
  const crossCounts = confusion(cross);
  opts.log(`  "-1 → -2" spam F1 ${formatMetric(cross.f1)} (fp ${crossCounts.fp}, fn ${crossCounts.fn})`);
  extra.groups_1_to_2 = {
    description: 'trained on easy-ham-1, hard-ham-1, spam-1; tested on easy-ham-2, spam-2',
    metrics: pick(cross),
  };
  Object.assign(metrics, cardMetrics({ f1_spam_groups_1_to_2: cross.f1 }));
}

export function trainSpamModel(mails: readonly SpamMail[], opts: SpamTrainOptions): TrainedSpamModel {
  const t0 = performance.now();
  const data = featurise(mails, opts, t0);
  const holdout = trainOnHoldoutSplit(mails, data, opts);
  const { model } = holdout;

  const groups: Record<string, number> = {};
  for (const m of mails) groups[m.group] = (groups[m.group] ?? 0) + 1;
  const { extra, metrics } = holdoutMetrics(holdout);
  addCrossGroupEvaluation(mails, data, opts, extra, metrics);
  const { reference, vocabulary, minTexts } = spamReference(
    data.parsed,
    data.y,
    holdout.split,
    holdout.split.train.map((i) => labelOf(probability(model, data.featurizer, data.parsed[i] as ParsedMail) >= 0.5)),
    opts.features,
  );

  const card = buildSpamCard(opts, {
    rows: mails.length,
    groups,
    trainRows: holdout.split.train.length,
    testRows: holdout.split.test.length,
    sharedBodies: holdout.split.test.length - holdout.unseen.length,
    priorLogOdds: model.priorLogOdds,
    extra,
    metrics,
    reference,
  });
  opts.log(`spam model trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    card,
    features: opts.features,
    weights: model.weights,
    bias: model.bias,
    priorLogOdds: model.priorLogOdds,
    evidenceTokens: model.evidenceTokens,
    threshold: 0.5,
    vocabulary: { vocabulary, minTexts },
  };
}
