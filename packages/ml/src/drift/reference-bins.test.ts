import { v2FeatureNames } from '@mlapi/schemas';
import { describe, expect, it } from 'vitest';
import { createBostonModel } from '../models/boston-model.ts';
import { createSpamModel } from '../models/spam-model.ts';
import { binOf, labelShares, quantileBins } from './reference-bins.ts';

describe('reference bins', () => {
  it('a value falls in the bin of the edges at or below it', () => {
    const edges = [1, 2, 5];
    expect([-3, 0.99, 1, 1.5, 2, 4.9, 5, 100].map((x) => binOf(edges, x))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(binOf([], 7)).toBe(0);
  });

  it('a feature with few distinct values gets one bin per value', () => {
    const chas = [0, 0, 0, 1, 0, 0, 1, 0];
    expect(quantileBins(chas)).toEqual({ edges: [1], shares: [0.75, 0.25], mean: 0.25 });
  });

  it('deciles that coincide are merged, and no bin starts below the smallest value', () => {
    const zn = [...Array<number>(75).fill(0), ...Array.from({ length: 25 }, (_, i) => 20 + 2 * i)];
    const { edges, shares } = quantileBins(zn);
    expect(edges[0]).toBeGreaterThan(0);
    expect(edges.length).toBeLessThan(9);
    expect(shares[0]).toBeGreaterThanOrEqual(0.75);
    expect(shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
  });

  it('continuous values get ten bins of about a tenth each', () => {
    const { edges, shares } = quantileBins(Array.from({ length: 1000 }, (_, i) => Math.sqrt(i)));
    expect(edges).toHaveLength(9);
    for (const share of shares) expect(share).toBeCloseTo(0.1, 6);
  });

  it('label shares follow the order of the labels', () => {
    expect(labelShares(['spam', 'ham'], ['ham', 'ham', 'spam', 'ham'])).toEqual({
      labels: ['spam', 'ham'],
      shares: [0.25, 0.75],
    });
  });
});

describe('the committed artifacts carry their training distribution', () => {
  it('v2: ten bins or fewer per feature, shares summing to one, and the predictions in dollars', async () => {
    const reference = (await createBostonModel().card()).reference!;
    expect(reference.rows).toBe(506);
    expect(Object.keys(reference.features)).toEqual([...v2FeatureNames]);
    for (const bins of [...Object.values(reference.features), reference.prediction]) {
      expect('edges' in bins).toBe(true);
      if (!('edges' in bins)) continue;
      expect(bins.shares).toHaveLength(bins.edges.length + 1);
      expect(bins.shares.length).toBeLessThanOrEqual(10);
      expect(bins.shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
    }
    expect(reference.features.chas!.edges).toEqual([1]);
    expect(reference.features.rad!.edges).toEqual([2, 3, 4, 5, 6, 7, 8, 24]);
    if ('edges' in reference.prediction) expect(reference.prediction.mean).toBeGreaterThan(15_000);
  });

  it('v1: length bins, the predicted labels, the spam share and an out-of-vocabulary rate of a few %', async () => {
    const model = createSpamModel();
    const reference = (await model.card()).reference!;
    expect(Object.keys(reference.features)).toEqual(['tokens']);
    expect(reference.prediction).toMatchObject({ labels: ['spam', 'ham'] });
    expect(reference.text!.spam_share).toBeCloseTo(0.31, 2);
    expect(reference.text!.oov_rate).toBeGreaterThan(0.01);
    expect(reference.text!.oov_rate).toBeLessThan(0.1);
    const lunch = { text: 'Subject: lunch\n\nAre we still on for Thursday?' };
    const odd = { text: 'zqxwvy plorkbat lunch' };
    const [a, b] = await model.predictBatch([lunch, odd]);
    // Counted while predicting, or again from the text for an answer it did not give.
    expect(model.driftValues!(lunch, a!)).toEqual({ tokens: 7, oov_tokens: 0 });
    expect(model.driftValues!(odd, b!)).toEqual({ tokens: 3, oov_tokens: 2 });
    expect(model.driftValues!(odd, { ...b! })).toEqual({ tokens: 3, oov_tokens: 2 });
  });
});
