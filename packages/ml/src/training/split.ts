/** Deterministic train/test splits and k-fold partitions. */
import { mulberry32, range, shuffled } from './prng.ts';

export interface Split {
  train: number[];
  test: number[];
}

/**
 * Stratified hold-out split: each label keeps (about) `testFraction` of its rows in the
 * test set. Index lists are returned in ascending order, so the split depends only on
 * the labels, their order and the seed.
 */
export function stratifiedSplit(labels: readonly (string | number)[], testFraction: number, seed: number): Split {
  const rng = mulberry32(seed);
  const byLabel = new Map<string | number, number[]>();
  labels.forEach((label, i) => {
    const bucket = byLabel.get(label);
    if (bucket) bucket.push(i);
    else byLabel.set(label, [i]);
  });
  const train: number[] = [];
  const test: number[] = [];
  const keys = [...byLabel.keys()].sort((a, b) => String(a).localeCompare(String(b)));
  for (const key of keys) {
    const idx = shuffled(byLabel.get(key) ?? [], rng);
    const nTest = Math.round(idx.length * testFraction);
    test.push(...idx.slice(0, nTest));
    train.push(...idx.slice(nTest));
  }
  const asc = (a: number, b: number) => a - b;
  return { train: train.sort(asc), test: test.sort(asc) };
}

/** Shuffled k-fold partition of `n` rows: returns one Split per fold. */
export function kFold(n: number, k: number, seed: number): Split[] {
  const order = shuffled(range(n), mulberry32(seed));
  const folds: Split[] = [];
  for (let f = 0; f < k; f++) {
    const start = Math.floor((f * n) / k);
    const end = Math.floor(((f + 1) * n) / k);
    const test = order.slice(start, end).sort((a, b) => a - b);
    const inTest = new Set(test);
    folds.push({ test, train: range(n).filter((i) => !inTest.has(i)) });
  }
  return folds;
}
