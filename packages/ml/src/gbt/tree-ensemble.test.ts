import { describe, expect, it } from 'vitest';
import {
  compileEnsemble,
  predictCompiled,
  predictEnsemble,
  validateEnsemble,
  type TreeEnsemble,
} from './tree-ensemble.ts';

// x0 <= 5 ? (x1 <= 1 ? 1 : 2) : 3, plus a stump on x1.
const ensemble: TreeEnsemble = {
  base: 10,
  trees: [
    {
      feature: [0, 1, -1, -1, -1],
      threshold: [5, 1, 0, 0, 0],
      left: [1, 3, -1, -1, -1],
      right: [2, 4, -1, -1, -1],
      value: [0, 0, 3, 1, 2],
    },
    { feature: [1, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -0.5, 0.5] },
  ],
};

describe('tree ensembles', () => {
  it.each([
    [[5, 1], 10 + 1 + 0.5],
    [[5, 0], 10 + 1 - 0.5],
    [[4, 2], 10 + 2 + 0.5],
    [[6, 0], 10 + 3 - 0.5],
  ])('routes %j to the right leaves (x <= threshold goes left)', (x, expected) => {
    expect(predictEnsemble(ensemble, x)).toBe(expected);
    expect(predictCompiled(compileEnsemble(ensemble), x)).toBe(expected);
  });

  it('rejects malformed trees', () => {
    expect(() => validateEnsemble(ensemble, 2)).not.toThrow();
    expect(() => validateEnsemble(ensemble, 1)).toThrow(/feature index 1/);
    const bad = structuredClone(ensemble);
    bad.trees[0]!.left[0] = 0;
    expect(() => validateEnsemble(bad, 2)).toThrow(/bad child index/);
  });
});
