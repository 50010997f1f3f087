/**
 * Regression tree ensembles stored as flat arrays (the format of the v2 artifact).
 * A node is a leaf when feature[n] === -1; otherwise rows with x[feature] <= threshold go
 * to left[n], the others to right[n]. Leaf values already include the learning rate, so
 * prediction = base + sum of the leaves reached.
 */
export interface FlatTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface TreeEnsemble {
  base: number;
  trees: FlatTree[];
}

export function predictTree(tree: FlatTree, x: ArrayLike<number>): number {
  let n = 0;
  for (;;) {
    const f = tree.feature[n] ?? -1;
    if (f < 0) return tree.value[n] ?? 0;
    n = (x[f] ?? 0) <= (tree.threshold[n] ?? 0) ? (tree.left[n] ?? 0) : (tree.right[n] ?? 0);
  }
}

export function predictEnsemble(ensemble: TreeEnsemble, x: ArrayLike<number>): number {
  let sum = ensemble.base;
  for (const tree of ensemble.trees) sum += predictTree(tree, x);
  return sum;
}

/** All trees packed into typed arrays (child indices absolute) for fast prediction. */
export interface CompiledEnsemble {
  base: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export function compileEnsemble(ensemble: TreeEnsemble): CompiledEnsemble {
  const total = ensemble.trees.reduce((s, t) => s + t.feature.length, 0);
  const c: CompiledEnsemble = {
    base: ensemble.base,
    roots: new Int32Array(ensemble.trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
  };
  let offset = 0;
  ensemble.trees.forEach((t, i) => {
    c.roots[i] = offset;
    for (let k = 0; k < t.feature.length; k++) {
      const leaf = (t.feature[k] ?? -1) < 0;
      c.feature[offset + k] = t.feature[k] ?? -1;
      c.threshold[offset + k] = t.threshold[k] ?? 0;
      c.left[offset + k] = leaf ? -1 : offset + (t.left[k] ?? 0);
      c.right[offset + k] = leaf ? -1 : offset + (t.right[k] ?? 0);
      c.value[offset + k] = t.value[k] ?? 0;
    }
    offset += t.feature.length;
  });
  return c;
}

/** Same result as predictEnsemble (same summation order), faster. */
export function predictCompiled(c: CompiledEnsemble, x: ArrayLike<number>): number {
  let sum = c.base;
  const { roots, feature, threshold, left, right, value } = c;
  for (let t = 0; t < roots.length; t++) {
    let n = roots[t] as number;
    let f = feature[n] as number;
    while (f >= 0) {
      n = (x[f] as number) <= (threshold[n] as number) ? (left[n] as number) : (right[n] as number);
      f = feature[n] as number;
    }
    sum += value[n] as number;
  }
  return sum;
}

/** Structural check of an ensemble read from JSON (indices in range, arrays aligned). */
export function validateEnsemble(ensemble: TreeEnsemble, nFeatures: number): void {
  ensemble.trees.forEach((t, i) => {
    const n = t.feature.length;
    if (![t.threshold, t.left, t.right, t.value].every((a) => a.length === n) || n === 0) {
      throw new Error(`tree ${i}: misaligned node arrays`);
    }
    for (let k = 0; k < n; k++) {
      const f = t.feature[k] ?? -1;
      if (f >= nFeatures) throw new Error(`tree ${i}: feature index ${f} out of range`);
      if (f >= 0 && !((t.left[k] ?? 0) > k && (t.right[k] ?? 0) > k && (t.left[k] ?? 0) < n && (t.right[k] ?? 0) < n)) {
        throw new Error(`tree ${i}: bad child index at node ${k}`);
      }
    }
  });
}
