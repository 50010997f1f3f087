/**
 * Checks the artifacts committed in packages/ml/artifacts: their recorded metrics meet the
 * targets, and re-evaluating them here gives the same picture.
 */
import { v1Labels, v2FeatureNames } from '@mlapi/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationFromCounts, labelCounts } from '../metrics/classification.ts';
import { regressionFromSums, regressionSums } from '../metrics/regression.ts';
import { loadBostonRows, loadSpamMails } from '../training/load-data.ts';
import { stratifiedSplit } from '../training/split.ts';
import { isSpamGroup } from '../training/train-spam.ts';
import { createBostonModel } from './boston-model.ts';
import { createSpamModel } from './spam-model.ts';

describe('committed v1 spam artifact', () => {
  const model = createSpamModel();

  it('records a hold-out spam F1 of at least 0.98 and the cross-group result', async () => {
    const card = await model.card();
    expect(card.metrics.f1_spam).toBeGreaterThanOrEqual(0.98);
    expect(card.metrics.f1_spam_groups_1_to_2).toBeGreaterThan(0.8);
    expect(card.data.rows).toBe(6046);
    expect(card.shipped_artifact.rows).toBe(card.evaluation.train_rows);
  });

  it('reaches spam F1 >= 0.98 when re-evaluated on the rebuilt 20 % hold-out split', async () => {
    const card = await model.card();
    const mails = loadSpamMails();
    const labels = mails.map((m) => (isSpamGroup(m.group) ? 'spam' : 'ham'));
    const { test } = stratifiedSplit(labels, card.evaluation.test_fraction ?? Number.NaN, card.evaluation.seed);
    expect(test).toHaveLength(card.evaluation.test_rows ?? -1);
    // Inputs longer than the API limit are cut exactly as the parser would cut them.
    const outputs = await model.predictBatch(test.map((i) => ({ text: (mails[i]?.text ?? '').slice(0, 100_000) })));
    const m = classificationFromCounts(
      labelCounts(
        test.map((i) => labels[i]!),
        outputs.map((o) => o.category),
      ),
      v1Labels,
      'spam',
    );
    expect(m.f1).toBeGreaterThanOrEqual(0.98);
    expect(m.f1).toBeCloseTo(card.metrics.f1_spam ?? 0, 3);
  });
});

describe('committed v2 Boston artifact', () => {
  const model = createBostonModel();
  const rows = loadBostonRows();
  let card: Awaited<ReturnType<typeof model.card>>;
  beforeAll(async () => {
    card = await model.card();
  });

  it('records cross-validated R² >= 0.88 and MAE <= 2.2 (mean and per fold)', () => {
    expect(card.metrics.cv_r2_mean).toBeGreaterThanOrEqual(0.88);
    expect(card.metrics.cv_mae_mean).toBeLessThanOrEqual(2.2);
    expect(card.evaluation.folds).toBe(5);
    const folds = card.evaluation.per_fold ?? [];
    expect(folds).toHaveLength(5);
    expect(folds.reduce((s, f) => s + (f.test_rows ?? 0), 0)).toBe(rows.length);
    const meanR2 = folds.reduce((s, f) => s + (f.r2 ?? 0), 0) / folds.length;
    expect(meanR2).toBeCloseTo(card.metrics.cv_r2_mean ?? 0, 3);
  });

  it('was trained on all rows and fits them well (training R², sane dollar prices)', async () => {
    expect(card.shipped_artifact.rows).toBe(rows.length);
    expect(card.data.features).toEqual([...v2FeatureNames]);
    const outputs = await model.predictBatch(rows.map(({ cmedv: _target, ...features }) => features));
    const prices = outputs.map((o) => o.price);
    for (const p of prices) {
      expect(Number.isInteger(p)).toBe(true);
      expect(p).toBeGreaterThan(3_000);
      expect(p).toBeLessThan(55_000);
    }
    const fit = regressionFromSums(
      regressionSums(
        rows.map((r) => r.cmedv * 1000),
        prices,
      ),
    );
    expect(fit.r2).toBeGreaterThan(0.95);
    expect(fit.mae).toBeLessThan(1500);
  });
});
