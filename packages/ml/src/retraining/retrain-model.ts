/**
 * Trains a built-in model type again: on its base data set without the set's fixed held-out split, plus the
 * labelled examples flagged for training, with the shipped training recipe; writes the artifact files. Loads the
 * data packages: only the retraining child process imports this module.
 */
import { v2FeatureNames, type ServiceVersion } from '@mlapi/schemas';
import type { ModelCard } from '../model.ts';
import { BOSTON_TARGET_SCALE } from '../models/boston-model.ts';
import { parseMail } from '../text/mail-parser.ts';
import { countWords } from '../text/vocabulary.ts';
import { loadBostonRows, loadSpamMails, packageVersion, sample } from '../training/load-data.ts';
import { defaultBostonTrainOptions, trainBoston, type BostonRow } from '../training/train-boston.ts';
import { defaultSpamTrainOptions, isSpamGroup, trainSpamModel } from '../training/train-spam.ts';
import { kFold, stratifiedSplit } from '../training/split.ts';
import { writeBostonArtifact, writeSpamArtifact } from '../training/write-artifacts.ts';
import { baseDataPackages } from './base-data.ts';
import type { LabelledInput } from './retrain-spec.ts';

export interface RetrainOptions {
  version: string;
  trainedAt: string;
  modelDir: string;
  /** Work done of the total in a stage of training ('featurising' texts, then 'training'). */
  progress: (done: number, total: number, stage?: string) => void;
  log: (message: string) => void;
  /** Train on a seeded sample of this many base rows (tests); all of them by default. */
  baseLimit?: number;
}

/** What a retraining produced: the base rows it trained on and the held-out split it kept out. */
export interface Retrained {
  baseRows: number;
  holdout: LabelledInput[];
}

/** The card says what this version was trained on: which base rows, how many labelled examples. */
function noteRetraining(card: ModelCard, baseRows: number, examples: number, heldOut: string): void {
  const rows = baseRows + examples;
  card.data.rows = rows;
  card.data.notes = [
    ...(card.data.notes ?? []),
    `Retrained by mlapi on ${baseRows} rows of the base data set (${heldOut} kept out for evaluation) and ${examples} labelled examples flagged for training.`,
  ];
  card.shipped_artifact = {
    trained_on: 'the base data set without its held-out split, plus the labelled examples flagged for training',
    rows,
  };
}

async function retrainBoston(feedback: readonly LabelledInput[], opts: RetrainOptions): Promise<Retrained> {
  const all = sample(loadBostonRows(), opts.baseLimit, defaultBostonTrainOptions.cvSeed);
  // The fixed held-out split: the first fold of the shipped recipe's seeded 5-fold partition.
  const split = kFold(all.length, defaultBostonTrainOptions.folds, defaultBostonTrainOptions.cvSeed)[0]!;
  const fromFeedback = feedback.map(
    (e) =>
      ({
        ...Object.fromEntries(v2FeatureNames.map((name) => [name, Number(e.input[name])])),
        cmedv: Number(e.actual) / BOSTON_TARGET_SCALE,
      }) as BostonRow,
  );
  const base = split.train.map((i) => all[i]!);
  const trained = trainBoston([...base, ...fromFeedback], {
    ...defaultBostonTrainOptions,
    trainedAt: opts.trainedAt,
    sourceVersion: packageVersion(baseDataPackages.v2),
    version: opts.version,
    log: opts.log,
    progress: opts.progress,
  });
  noteRetraining(trained.card, base.length, feedback.length, `${split.test.length} rows, the first of 5 seeded folds`);
  await writeBostonArtifact(opts.modelDir, trained);
  const holdout = split.test.map((i) => {
    const { cmedv, ...input } = all[i]!;
    return { input, actual: Math.round(cmedv * BOSTON_TARGET_SCALE) };
  });
  return { baseRows: base.length, holdout };
}

async function retrainSpam(feedback: readonly LabelledInput[], opts: RetrainOptions): Promise<Retrained> {
  const mails = sample(loadSpamMails(), opts.baseLimit, defaultSpamTrainOptions.seed);
  // The fixed held-out split: the shipped model's own (stratified 20 %, same seed), which it was not trained on.
  const y = mails.map((m) => (isSpamGroup(m.group) ? 1 : 0));
  const split = stratifiedSplit(y, defaultSpamTrainOptions.testFraction, defaultSpamTrainOptions.seed);
  const base = split.train.map((i) => mails[i]!);
  const fromFeedback = feedback.map((e) => ({
    group: e.actual === 'spam' ? 'spam-feedback' : 'ham-feedback',
    text: String(e.input.text),
  }));
  const trained = trainSpamModel([...base, ...fromFeedback], {
    ...defaultSpamTrainOptions,
    // Every row given trains: the evaluation is the gate's, on the held-out split and recent examples.
    testFraction: 0,
    crossGroupEvaluation: false,
    trainedAt: opts.trainedAt,
    sourceVersion: packageVersion(baseDataPackages.v1),
    version: opts.version,
    log: opts.log,
    progress: opts.progress,
  });
  trained.card.evaluation = {
    method:
      "the evaluation gate: recent labelled examples and the base data set's held-out split (the version's evaluation report)",
    seed: defaultSpamTrainOptions.seed,
    test_fraction: defaultSpamTrainOptions.testFraction,
  };
  noteRetraining(trained.card, base.length, feedback.length, `${split.test.length} messages, stratified 20 %`);
  // The reference out-of-vocabulary rate is that of texts the vocabulary was not built from: the held-out split's
  // (the training above had no test part to measure it on).
  const text = trained.card.reference?.text;
  if (text) {
    let tokens = 0;
    let oov = 0;
    for (const i of split.test) {
      const counted = countWords(parseMail(mails[i]!.text), trained.features, trained.vocabulary.vocabulary);
      tokens += counted.tokens ?? 0;
      oov += counted.oov_tokens ?? 0;
    }
    text.oov_rate = Number((oov / Math.max(1, tokens)).toPrecision(6));
  }
  await writeSpamArtifact(opts.modelDir, trained);
  const holdout = split.test.map((i) => ({
    input: { text: mails[i]!.text },
    actual: isSpamGroup(mails[i]!.group) ? 'spam' : 'ham',
  }));
  return { baseRows: base.length, holdout };
}

/** Retrains `service`'s built-in model type on its base data and `feedback`, writing it to `opts.modelDir`. */
export function retrainBuiltIn(
  service: ServiceVersion,
  feedback: readonly LabelledInput[],
  opts: RetrainOptions,
): Promise<Retrained> {
  return service === 'v1' ? retrainSpam(feedback, opts) : retrainBoston(feedback, opts);
}
