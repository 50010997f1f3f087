import { describe, expect, it } from 'vitest';
import { predictEnsemble } from '../gbt/tree-ensemble.ts';
import { regressionFromSums, regressionSums } from '../metrics/regression.ts';
import { sigmoid } from '../runtime/sigmoid.ts';
import { sparseDot, type SparseVector } from '../text/featurizer.ts';
import { trainGradientBoosting } from './gradient-boosting.ts';
import { trainLogisticRegression } from './logistic-regression.ts';
import { mulberry32 } from './prng.ts';
import { kFold, stratifiedSplit } from './split.ts';

describe('gradient boosting', () => {
  it('fits a non-linear function far better than the mean', () => {
    const rng = mulberry32(3);
    const X = Array.from({ length: 300 }, () => [rng() * 10, rng() * 10, rng()]);
    const y = X.map(([a = 0, b = 0]) => (a > 5 ? 10 : 0) + Math.sin(b) * 3);
    const opts = {
      nTrees: 150,
      learningRate: 0.1,
      maxDepth: 3,
      minSamplesLeaf: 3,
      subsample: 0.8,
      featureFraction: 1,
      loss: 'squared' as const,
      huberAlpha: 0.9,
      seed: 1,
    };
    const model = trainGradientBoosting(X, y, opts);
    expect(
      regressionFromSums(
        regressionSums(
          y,
          X.map((x) => predictEnsemble(model, x)),
        ),
      ).r2,
    ).toBeGreaterThan(0.95);
    const huber = trainGradientBoosting(X, y, { ...opts, loss: 'huber' });
    expect(
      regressionFromSums(
        regressionSums(
          y,
          X.map((x) => predictEnsemble(huber, x)),
        ),
      ).r2,
    ).toBeGreaterThan(0.9);
  });
});

describe('logistic regression', () => {
  it('separates two sparse classes and outputs calibrated-looking probabilities', () => {
    const examples: SparseVector[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 200; i++) {
      const spam = i % 2;
      examples.push({ indices: Int32Array.from([spam ? 1 : 2, 3 + (i % 5)]), values: Float32Array.from([0.8, 0.6]) });
      labels.push(spam);
    }
    const m = trainLogisticRegression(examples, labels, 16, {
      epochs: 3,
      learningRate: 0.5,
      l2: 1e-6,
      seed: 1,
      averagedRuns: 2,
    });
    const p = (x: SparseVector) => sigmoid(sparseDot(x, m.weights) + m.bias);
    expect(p(examples[1]!)).toBeGreaterThan(0.9);
    expect(p(examples[0]!)).toBeLessThan(0.1);
  });
});

describe('splits', () => {
  it('stratified split keeps the class ratio and is reproducible', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 'spam' : 'ham'));
    const a = stratifiedSplit(labels, 0.2, 5);
    expect(a.test).toHaveLength(200);
    expect(a.test.filter((i) => labels[i] === 'spam')).toHaveLength(50);
    expect(stratifiedSplit(labels, 0.2, 5)).toEqual(a);
    expect(stratifiedSplit(labels, 0.2, 6).test).not.toEqual(a.test);
    expect(new Set([...a.train, ...a.test]).size).toBe(1000);
  });

  it('k folds partition the rows, shuffled', () => {
    const folds = kFold(506, 5, 1);
    const all = folds.flatMap((f) => f.test);
    expect(all.sort((x, y) => x - y)).toEqual(Array.from({ length: 506 }, (_, i) => i));
    expect(folds[0]!.test.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const f of folds) expect(f.train.length + f.test.length).toBe(506);
  });
});
