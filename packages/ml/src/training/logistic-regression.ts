/**
 * Binary logistic regression on sparse vectors, trained with AdaGrad SGD and L2
 * regularisation (applied lazily to the features present in each example). Example
 * order per epoch comes from a seeded PRNG, so training is reproducible. Several runs
 * with different example orders can be averaged into one weight vector (cheap variance
 * reduction: the result is still a single linear model).
 */
import { sparseDot, type SparseVector } from '../text/featurizer.ts';
import { sigmoid } from '../runtime/sigmoid.ts';
import { mulberry32, range, shuffled } from './prng.ts';

export interface LogisticRegressionOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Number of independent SGD runs (seeds seed, seed+1, ...) whose weights are averaged. */
  averagedRuns: number;
}

export interface LinearModel {
  weights: Float64Array;
  bias: number;
}

export type EpochCallback = (run: number, epoch: number, meanLoss: number) => void;

export function trainLogisticRegression(
  examples: readonly SparseVector[],
  labels: ArrayLike<number>,
  dim: number,
  opts: LogisticRegressionOptions,
  onEpoch?: EpochCallback,
): LinearModel {
  const runs = Math.max(1, opts.averagedRuns);
  const weights = new Float64Array(dim);
  let bias = 0;
  for (let r = 0; r < runs; r++) {
    const run = trainOnce(examples, labels, dim, opts, opts.seed + r, (epoch, loss) => onEpoch?.(r + 1, epoch, loss));
    for (let j = 0; j < dim; j++) weights[j] = (weights[j] ?? 0) + (run.weights[j] ?? 0) / runs;
    bias += run.bias / runs;
  }
  return { weights, bias };
}

function trainOnce(
  examples: readonly SparseVector[],
  labels: ArrayLike<number>,
  dim: number,
  opts: LogisticRegressionOptions,
  seed: number,
  onEpoch: (epoch: number, meanLoss: number) => void,
): LinearModel {
  const weights = new Float64Array(dim);
  const sumSq = new Float64Array(dim);
  let bias = 0;
  let biasSumSq = 0;
  const rng = mulberry32(seed);
  const eps = 1e-8;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    let loss = 0;
    for (const i of shuffled(range(examples.length), rng)) {
      const x = examples[i] as SparseVector;
      const y = labels[i] ?? 0;
      const p = sigmoid(sparseDot(x, weights) + bias);
      loss -= y ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
      const g = p - y;
      for (let k = 0; k < x.indices.length; k++) {
        const j = x.indices[k] ?? 0;
        const w = weights[j] ?? 0;
        const grad = g * (x.values[k] ?? 0) + opts.l2 * w;
        const acc = (sumSq[j] ?? 0) + grad * grad;
        sumSq[j] = acc;
        weights[j] = w - (opts.learningRate * grad) / Math.sqrt(acc + eps);
      }
      biasSumSq += g * g;
      bias -= (opts.learningRate * g) / Math.sqrt(biasSumSq + eps);
    }
    onEpoch(epoch + 1, loss / Math.max(1, examples.length));
  }
  return { weights, bias };
}
