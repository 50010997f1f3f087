import { beforeAll, describe, expect, it } from 'vitest';
import { loadBostonRows, loadSpamMails, sample } from './load-data.ts';
import { defaultBostonTrainOptions, trainBoston, type BostonRow } from './train-boston.ts';
import { defaultSpamTrainOptions, trainSpamModel, type SpamMail } from './train-spam.ts';

const common = { trainedAt: '2024-06-01T00:00:00.000Z', sourceVersion: 'test', log: () => {} };

describe('training is deterministic', () => {
  let mails: SpamMail[] = [];
  let rows: BostonRow[] = [];
  beforeAll(() => {
    mails = sample(loadSpamMails(), 300, 1);
    rows = sample(loadBostonRows(), 150, 1);
  });

  it('gives byte-identical spam weights and identical cards for the same slice', () => {
    const opts = {
      ...defaultSpamTrainOptions,
      ...common,
      optimizer: { ...defaultSpamTrainOptions.optimizer, averagedRuns: 2 },
    };
    const a = trainSpamModel(mails, opts);
    const b = trainSpamModel(mails, opts);
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect(a.bias).toBe(b.bias);
    expect(a.card).toEqual(b.card);
    expect(a.weights.some((w) => w !== 0)).toBe(true);
  });

  it('changes the spam weights when the seed changes (the seed is really used)', () => {
    const a = trainSpamModel(mails, { ...defaultSpamTrainOptions, ...common });
    const b = trainSpamModel(mails, { ...defaultSpamTrainOptions, ...common, seed: 99 });
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(false);
  });

  it('gives identical tree ensembles and CV figures for the same rows', () => {
    const opts = { ...defaultBostonTrainOptions, ...common, gbt: { ...defaultBostonTrainOptions.gbt, nTrees: 60 } };
    const a = trainBoston(rows, opts);
    const b = trainBoston(rows, opts);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.ensemble.trees).toHaveLength(60);
  });
});
