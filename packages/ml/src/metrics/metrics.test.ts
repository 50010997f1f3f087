import { describe, expect, it } from 'vitest';
import { classificationFromCounts, labelCounts } from './classification.ts';
import { regressionFromSums, regressionSums } from './regression.ts';

const sums = (pairs: [number, number][]) => ({
  n: pairs.length,
  sumAbsError: pairs.reduce((s, [p, t]) => s + Math.abs(t - p), 0),
  sumSqError: pairs.reduce((s, [p, t]) => s + (t - p) ** 2, 0),
  sumActual: pairs.reduce((s, [, t]) => s + t, 0),
  sumSqActual: pairs.reduce((s, [, t]) => s + t * t, 0),
});

describe('regression metrics', () => {
  it('0 rows: every metric null with a reason, never NaN', () => {
    const m = regressionFromSums(sums([]));
    expect(m).toMatchObject({ count: 0, mae: null, rmse: null, r2: null });
    expect(Object.keys(m.undefined_metrics).sort()).toEqual(['mae', 'r2', 'rmse']);
  });

  it('1 row: MAE and RMSE defined, R² undefined', () => {
    const m = regressionFromSums(sums([[10, 13]]));
    expect(m).toMatchObject({ count: 1, mae: 3, rmse: 3, r2: null });
    expect(m.undefined_metrics.r2).toContain('at least 2');
  });

  it('many rows: matches the textbook formulas', () => {
    const pairs: [number, number][] = [
      [2, 3],
      [4, 5],
      [7, 6],
      [10, 12],
    ];
    const m = regressionFromSums(sums(pairs));
    const mean = (3 + 5 + 6 + 12) / 4;
    const sst = [3, 5, 6, 12].reduce((s, t) => s + (t - mean) ** 2, 0);
    expect(m.mae).toBeCloseTo((1 + 1 + 1 + 2) / 4);
    expect(m.rmse).toBeCloseTo(Math.sqrt((1 + 1 + 1 + 4) / 4));
    expect(m.r2).toBeCloseTo(1 - 7 / sst);
  });

  it('equal actual values: R² undefined (zero variance)', () => {
    expect(
      regressionFromSums(
        sums([
          [1, 5],
          [2, 5],
        ]),
      ).undefined_metrics.r2,
    ).toContain('zero variance');
  });

  it('sums arrays of actual and predicted values as the database sums its rows', () => {
    const pairs: [number, number][] = [
      [2, 3],
      [4, 5],
      [7, 6],
      [10, 12],
    ];
    expect(
      regressionSums(
        pairs.map(([, t]) => t),
        pairs.map(([p]) => p),
      ),
    ).toEqual(sums(pairs));
  });
});

describe('classification metrics', () => {
  const labels = ['spam', 'ham'];
  it('0 rows: undefined with reasons and an all-zero matrix', () => {
    const m = classificationFromCounts([], labels, 'spam');
    expect(m).toMatchObject({ count: 0, accuracy: null, precision: null, recall: null, f1: null });
    expect(m.confusion_matrix).toEqual({
      labels,
      matrix: [
        [0, 0],
        [0, 0],
      ],
    });
  });

  it('many rows: accuracy, precision, recall, F1 and the matrix', () => {
    const m = classificationFromCounts(
      [
        { predicted: 'spam', actual: 'spam', count: 8 },
        { predicted: 'spam', actual: 'ham', count: 2 },
        { predicted: 'ham', actual: 'spam', count: 4 },
        { predicted: 'ham', actual: 'ham', count: 6 },
      ],
      labels,
      'spam',
    );
    expect(m.accuracy).toBeCloseTo(14 / 20);
    expect(m.precision).toBeCloseTo(0.8);
    expect(m.recall).toBeCloseTo(8 / 12);
    expect(m.f1).toBeCloseTo((2 * 0.8 * (8 / 12)) / (0.8 + 8 / 12));
    expect(m.confusion_matrix.matrix).toEqual([
      [8, 4],
      [2, 6],
    ]);
  });

  it('counts arrays of actual and predicted labels as the database counts its rows', () => {
    const counts = labelCounts(['spam', 'ham', 'spam', 'spam'], ['spam', 'spam', 'ham', 'spam']);
    expect(counts).toEqual([
      { predicted: 'spam', actual: 'spam', count: 2 },
      { predicted: 'spam', actual: 'ham', count: 1 },
      { predicted: 'ham', actual: 'spam', count: 1 },
    ]);
    expect(classificationFromCounts(counts, labels, 'spam').confusion_matrix.matrix).toEqual([
      [2, 1],
      [1, 0],
    ]);
  });

  it('1 row predicted ham, actually ham: precision and recall undefined, accuracy 1', () => {
    const m = classificationFromCounts([{ predicted: 'ham', actual: 'ham', count: 1 }], labels, 'spam');
    expect(m).toMatchObject({ count: 1, accuracy: 1, precision: null, recall: null, f1: null });
  });
});
