/**
 * Gradient-boosted regression trees (Friedman's gradient boosting) with exact greedy
 * splits, row subsampling per tree (seeded) and squared or Huber loss.
 */
import { predictTree, type FlatTree, type TreeEnsemble } from '../gbt/tree-ensemble.ts';
import { mulberry32, range, shuffled, type Rng } from './prng.ts';

export interface GradientBoostingOptions {
  nTrees: number;
  learningRate: number;
  maxDepth: number;
  minSamplesLeaf: number;
  /** Fraction of rows (drawn without replacement) each tree is fitted on. */
  subsample: number;
  /** Fraction of features each tree may split on. */
  featureFraction: number;
  loss: 'squared' | 'huber';
  /** Huber: residual quantile beyond which the loss is linear. */
  huberAlpha: number;
  seed: number;
}

type Matrix = readonly (readonly number[])[];

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

/**
 * Split threshold between two adjacent distinct values: the shortest decimal within the
 * middle half of the gap (keeps the JSON small and readable), falling back to `lo`.
 */
function shortThreshold(lo: number, hi: number): number {
  const mid = (lo + hi) / 2;
  const slack = (hi - lo) / 4;
  for (let digits = 1; digits <= 17; digits++) {
    const t = Number(mid.toPrecision(digits));
    if (Math.abs(t - mid) <= slack && t >= lo && t < hi) return t;
  }
  return lo;
}

interface TreeContext {
  cols: Float64Array[];
  sorted: Int32Array[];
  features: number[];
  gradient: Float64Array;
  residual: Float64Array;
  delta: number;
  opts: GradientBoostingOptions;
}

function leafValue(ctx: TreeContext, rows: number[]): number {
  if (ctx.opts.loss === 'squared') return mean(rows.map((i) => ctx.gradient[i] ?? 0));
  // Huber (Friedman 2001): median plus a clipped mean correction.
  const r = rows.map((i) => ctx.residual[i] ?? 0);
  const med = quantile(r, 0.5);
  return med + mean(r.map((v) => Math.sign(v - med) * Math.min(ctx.delta, Math.abs(v - med))));
}

interface Split {
  gain: number;
  feature: number;
  threshold: number;
}

/**
 * The best split of `node` (whose rows are marked in `nodeOf`): the largest gain in squared-gradient score over all
 * candidate features and thresholds that leave at least minSamplesLeaf rows on each side; undefined when none gains.
 */
function bestSplit(ctx: TreeContext, nodeOf: Int32Array, node: number, rows: number[]): Split | undefined {
  const { minSamplesLeaf } = ctx.opts;
  let best: Split | undefined;
  const total = rows.reduce((s, i) => s + (ctx.gradient[i] ?? 0), 0);
  const count = rows.length;
  const parentScore = (total * total) / count;
  for (const f of ctx.features) {
    const col = ctx.cols[f] as Float64Array;
    let sumL = 0;
    let nL = 0;
    let prev = -1;
    for (const i of ctx.sorted[f] as Int32Array) {
      if (nodeOf[i] !== node) continue;
      if (prev >= 0 && nL >= minSamplesLeaf && count - nL >= minSamplesLeaf && (col[prev] ?? 0) < (col[i] ?? 0)) {
        const sumR = total - sumL;
        const gain = (sumL * sumL) / nL + (sumR * sumR) / (count - nL) - parentScore;
        if (gain > 1e-12 && (!best || gain > best.gain)) {
          best = { gain, feature: f, threshold: shortThreshold(col[prev] ?? 0, col[i] ?? 0) };
        }
      }
      sumL += ctx.gradient[i] ?? 0;
      nL++;
      prev = i;
    }
  }
  return best;
}

/** Appends two empty leaves to `tree` and returns their ids. */
function addChildren(tree: FlatTree): [number, number] {
  const left = tree.feature.length;
  const right = left + 1;
  for (const id of [left, right]) {
    tree.feature[id] = -1;
    tree.threshold[id] = 0;
    tree.left[id] = -1;
    tree.right[id] = -1;
    tree.value[id] = 0;
  }
  return [left, right];
}

function fitTree(ctx: TreeContext, bag: number[]): FlatTree {
  const n = ctx.gradient.length;
  const nodeOf = new Int32Array(n).fill(-1);
  for (const i of bag) nodeOf[i] = 0;
  const tree: FlatTree = { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0] };
  const { minSamplesLeaf, maxDepth, learningRate } = ctx.opts;

  const grow = (node: number, rows: number[], depth: number): void => {
    const best = depth < maxDepth && rows.length >= 2 * minSamplesLeaf ? bestSplit(ctx, nodeOf, node, rows) : undefined;
    if (!best) {
      // Rounded so the JSON artifact stays small; training continues from the rounded value.
      tree.value[node] = Number((learningRate * leafValue(ctx, rows)).toPrecision(7));
      return;
    }
    const [left, right] = addChildren(tree);
    tree.feature[node] = best.feature;
    tree.threshold[node] = best.threshold;
    tree.left[node] = left;
    tree.right[node] = right;
    const col = ctx.cols[best.feature] as Float64Array;
    const leftRows: number[] = [];
    const rightRows: number[] = [];
    for (const i of rows) {
      const goLeft = (col[i] ?? 0) <= best.threshold;
      nodeOf[i] = goLeft ? left : right;
      (goLeft ? leftRows : rightRows).push(i);
    }
    grow(left, leftRows, depth + 1);
    grow(right, rightRows, depth + 1);
  };

  grow(0, bag, 0);
  return tree;
}

function drawBag(n: number, fraction: number, rng: Rng): number[] {
  if (fraction >= 1) return range(n);
  return shuffled(range(n), rng)
    .slice(0, Math.max(1, Math.round(n * fraction)))
    .sort((a, b) => a - b);
}

export function trainGradientBoosting(
  X: Matrix,
  y: readonly number[],
  opts: GradientBoostingOptions,
  onTree?: (done: number, total: number) => void,
): TreeEnsemble {
  const n = y.length;
  const nFeatures = X[0]?.length ?? 0;
  const cols = range(nFeatures).map((f) => Float64Array.from(X, (row) => row[f] ?? 0));
  const sorted = cols.map((col) => Int32Array.from(range(n).sort((a, b) => (col[a] ?? 0) - (col[b] ?? 0) || a - b)));
  const base = opts.loss === 'squared' ? mean(y) : quantile(y, 0.5);
  const pred = new Float64Array(n).fill(base);
  const rng = mulberry32(opts.seed);
  const nPick = Math.max(1, Math.round(nFeatures * opts.featureFraction));
  const trees: FlatTree[] = [];
  for (let t = 0; t < opts.nTrees; t++) {
    const residual = Float64Array.from(y, (v, i) => v - (pred[i] ?? 0));
    const bag = drawBag(n, opts.subsample, rng);
    let delta = 0;
    let gradient = residual;
    if (opts.loss === 'huber') {
      delta = quantile(
        bag.map((i) => Math.abs(residual[i] ?? 0)),
        opts.huberAlpha,
      );
      gradient = residual.map((r) => (Math.abs(r) <= delta ? r : delta * Math.sign(r)));
    }
    const features =
      nPick >= nFeatures
        ? range(nFeatures)
        : shuffled(range(nFeatures), rng)
            .slice(0, nPick)
            .sort((a, b) => a - b);
    const tree = fitTree({ cols, sorted, features, gradient, residual, delta, opts }, bag);
    trees.push(tree);
    for (let i = 0; i < n; i++) pred[i] = (pred[i] ?? 0) + predictTree(tree, X[i] ?? []);
    onTree?.(t + 1, opts.nTrees);
  }
  return { base, trees };
}
