import { v2ExampleInput as house } from '@mlapi/schemas';
import { describe, expect, it } from 'vitest';
import { createBostonModel } from './boston-model.ts';
import { createSpamModel } from './spam-model.ts';

describe('artifact-backed models', () => {
  it('share one load between concurrent callers', async () => {
    const model = createSpamModel();
    expect(model.isLoaded()).toBe(false);
    const calls = [model.load(), model.load(), model.load()];
    expect(calls[1]).toBe(calls[0]);
    expect(calls[2]).toBe(calls[0]);
    await Promise.all(calls);
    expect(model.isLoaded()).toBe(true);
  });

  it('predict works before an explicit load (lazy)', async () => {
    const model = createBostonModel();
    expect(model.isLoaded()).toBe(false);
    const { price } = await model.predict(house);
    expect(model.isLoaded()).toBe(true);
    expect(price).toBeGreaterThan(15_000);
    expect(price).toBeLessThan(30_000); // the real value is $24,000
  });

  it('predictBatch keeps order and length', async () => {
    const model = createBostonModel();
    const inputs = [5, 6, 7, 8, 4.5].map((rm) => ({ ...house, rm }));
    const batch = await model.predictBatch(inputs);
    const single = await Promise.all(inputs.map((i) => model.predict(i)));
    expect(batch).toEqual(single);
    expect(batch).toHaveLength(inputs.length);
  });

  it('reports a missing artifact and can retry later', async () => {
    const model = createSpamModel({ artifactDir: '/nonexistent/mlapi-artifacts' });
    await expect(model.load()).rejects.toThrow(/ENOENT/);
    expect(model.isLoaded()).toBe(false);
    await expect(model.predict({ text: 'hello' })).rejects.toThrow(/ENOENT/);
  });

  it('gives spam probabilities as P(spam) and logs the label', async () => {
    const model = createSpamModel();
    const spam = await model.predict({
      text: 'Subject: Make money fast!!!\n\nEarn $5000 a week from home. Click here to order now, limited time offer. Remove me: reply REMOVE',
    });
    const ham = await model.predict({
      text: 'Subject: Re: gcc 3.2 build failure\n\nI see the same error with the patched kernel headers; the fix is in CVS now.',
    });
    expect(spam.category).toBe('spam');
    expect(spam.probability).toBeGreaterThan(0.5);
    expect(ham.category).toBe('ham');
    expect(ham.probability).toBeLessThan(0.5);
    expect(model.predictedValue(spam)).toBe('spam');
  });
});
