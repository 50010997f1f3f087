import { describe, expect, it } from 'vitest';
import { evaluateClassifier, evaluateRegressor } from './model-evaluation.ts';
import { gateDecision } from './gate.ts';

const labels = ['ham', 'spam'];

describe('evaluation with bootstrap intervals', () => {
  it('a classifier: F1 of the positive label, accuracy, the confusion matrix, intervals around the values', () => {
    const actual = [...Array(60).fill('spam'), ...Array(140).fill('ham')];
    const predicted = actual.map((a, i) => (i % 10 === 0 ? (a === 'spam' ? 'ham' : 'spam') : a));
    const m = evaluateClassifier(actual, predicted, labels, 'spam');
    expect(m.n).toBe(200);
    expect(m.accuracy!.value).toBeCloseTo(0.9, 5);
    expect(m.confusion!.matrix).toEqual([
      [126, 14],
      [6, 54],
    ]);
    expect(m.f1!.value).toBeCloseTo((2 * 54) / (2 * 54 + 14 + 6), 5);
    for (const e of [m.f1!, m.accuracy!]) {
      expect(e.low!).toBeLessThan(e.value!);
      expect(e.high!).toBeGreaterThan(e.value!);
      expect(e.high! - e.low!).toBeLessThan(0.2);
    }
    // Seeded: the same sample gives the same interval.
    expect(evaluateClassifier(actual, predicted, labels, 'spam')).toEqual(m);
  });

  it('a regressor: MAE, RMSE and R²; an empty sample gives nulls, not NaN', () => {
    const actual = Array.from({ length: 100 }, (_, i) => 10_000 + i * 300);
    const m = evaluateRegressor(
      actual,
      actual.map((a, i) => a + (i % 2 ? 1000 : -1000)),
    );
    expect(m.mae!.value).toBeCloseTo(1000, 6);
    expect(m.rmse!.value).toBeCloseTo(1000, 6);
    expect(m.r2!.value!).toBeGreaterThan(0.9);
    expect(m.mae!.low).toBe(1000);
    expect(evaluateRegressor([], [])).toEqual({
      n: 0,
      mae: { value: null, low: null, high: null },
      rmse: { value: null, low: null, high: null },
      r2: { value: null, low: null, high: null },
    });
  });
});

describe('the evaluation gate', () => {
  const reg = (mae: number, n = 100) => ({ n, mae: { value: mae, low: mae, high: mae } });
  const cls = (f1: number, accuracy: number, n = 100) => ({
    n,
    f1: { value: f1, low: f1, high: f1 },
    accuracy: { value: accuracy, low: accuracy, high: accuracy },
  });

  it('passes a candidate within the margins and says what it checked', () => {
    const g = gateDecision(
      'regression',
      { candidate: reg(1040), live: reg(1000) },
      { candidate: reg(2400), live: reg(2000) },
    );
    expect(g.passed).toBe(true);
    expect(g.reasons).toEqual([
      'recent examples: MAE 1,040 against live 1,000 (at most 1,050)',
      'held-out split: MAE 2,400 against live 2,000 (at most 2,500)',
    ]);
  });

  it('stops a worse candidate, the failed checks first', () => {
    const g = gateDecision(
      'classification',
      { candidate: cls(0.9, 0.97), live: cls(0.95, 0.97) },
      { candidate: cls(0.9, 0.9), live: cls(0.9, 0.9) },
    );
    expect(g.passed).toBe(false);
    expect(g.reasons[0]).toBe('failed: recent examples: f1 0.900 against live 0.950 (at least 0.930)');
    expect(g.reasons).toHaveLength(4);
  });

  it('applies the primary test only with enough recent examples; a baseline replaces an unfair live figure', () => {
    const g = gateDecision(
      'regression',
      { candidate: reg(9000, 10), live: reg(1000, 10) },
      { candidate: reg(2400), live: reg(900), liveMaeBaseline: { value: 2200, why: 'cross-validated MAE' } },
    );
    expect(g.passed).toBe(true);
    expect(g.reasons[0]).toContain('only 10 not used for training');
    expect(g.reasons[1]).toBe("held-out split: MAE 2,400 against live's cross-validated MAE 2,200 (at most 2,750)");
  });
});
