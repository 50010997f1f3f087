import { rolloutGuardSchema, type CompareOutput } from '@mlapi/schemas';
import { describe, expect, it } from 'vitest';
import { judgeCandidate } from '../src/features/models/rollout-guard-rules.ts';

type Figures = CompareOutput['baseline'];
const guard = rolloutGuardSchema.parse({ min_samples: 100 });

const regressor = (version: string, over: Partial<Figures> = {}, mae = 1000, count = 200): Figures => ({
  version,
  calls: 1000,
  shadow: 0,
  failures: 0,
  failure_rate: 0,
  latency_ms: { p50: 1, p99: 4 },
  quality: { model_version: version, count, mae, rmse: mae, r2: 0.5, undefined_metrics: {} },
  ...over,
});
const classifier = (version: string, f1: number, accuracy: number): Figures => ({
  ...regressor(version),
  quality: {
    model_version: version,
    count: 200,
    positive_label: 'spam',
    accuracy,
    precision: f1,
    recall: f1,
    f1,
    confusion_matrix: { labels: ['ham', 'spam'], matrix: [] },
    undefined_metrics: {},
  },
});

describe('the rollout guard', () => {
  it('waits for min_samples scored predictions of the candidate, and any of the baseline', () => {
    expect(judgeCandidate(guard, regressor('1'), regressor('2', {}, 5000, 99))).toMatchObject({ verdict: 'wait' });
    expect(judgeCandidate(guard, regressor('1', {}, 1000, 0), regressor('2'))).toMatchObject({ verdict: 'wait' });
  });

  it('passes a candidate within every threshold, and fails on each one it breaks, naming the figures', () => {
    const base = regressor('1');
    expect(judgeCandidate(guard, base, regressor('2', {}, 1099))).toEqual({ verdict: 'pass', reasons: [] });
    expect(judgeCandidate(guard, base, regressor('2', {}, 1101))).toEqual({
      verdict: 'fail',
      reasons: ['MAE 1101 against 1000 (limit 1100)'],
    });
    const failing = judgeCandidate(guard, base, regressor('2', { failures: 20, failure_rate: 0.02 }));
    expect(failing.reasons).toEqual(['failure rate 2.00 % against 0.00 % (limit 1.00 %)']);
    // p99 limit: the larger of 1.5 × 4 ms and 4 + 5 ms.
    expect(judgeCandidate(guard, base, regressor('2', { latency_ms: { p50: 1, p99: 8.9 } })).verdict).toBe('pass');
    expect(judgeCandidate(guard, base, regressor('2', { latency_ms: { p50: 1, p99: 9.5 } })).reasons).toEqual([
      'latency p99 9.50 ms against 4.00 ms (limit 9.00 ms)',
    ]);
  });

  it('judges a classifier by F1 of the positive label and accuracy', () => {
    const base = classifier('1', 0.9, 0.95);
    expect(judgeCandidate(guard, base, classifier('2', 0.86, 0.91)).verdict).toBe('pass');
    expect(judgeCandidate(guard, base, classifier('2', 0.8, 0.95)).reasons).toEqual([
      'F1 0.800 against 0.900 (limit 0.850)',
    ]);
    expect(judgeCandidate(guard, base, classifier('2', 0.9, 0.8)).reasons).toEqual([
      'accuracy 80.00 % against 95.00 % (limit 90.00 %)',
    ]);
  });
});
