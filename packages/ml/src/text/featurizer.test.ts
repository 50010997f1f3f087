import { describe, expect, it } from 'vitest';
import { sparseDot, TextFeaturizer, type TextFeatureConfig } from './featurizer.ts';
import { parseMail } from './mail-parser.ts';

const config: TextFeatureConfig = {
  hashBits: 12,
  maxChars: 20_000,
  maxTokenLength: 40,
  wordBigrams: true,
  charNgrams: [3, 5],
  charNgramMaxChars: 10_000,
  charWeight: 1,
};
const mail = parseMail('Subject: Win $$$ now!\n\nClaim your FREE prize today, friend. Reply to claim.');

describe('TextFeaturizer', () => {
  it('gives each group unit norm (chars scaled by charWeight)', () => {
    const words = new TextFeaturizer({ ...config, charWeight: 0 }).features(mail);
    const norm = Math.hypot(...words.values);
    expect(norm).toBeCloseTo(1, 5);
    const both = new TextFeaturizer({ ...config, charWeight: 0.5 }).features(mail);
    expect(Math.hypot(...both.values)).toBeCloseTo(Math.hypot(1, 0.5), 5);
  });

  it('score() equals the dot product of features() with the weights', () => {
    const f = new TextFeaturizer(config);
    const weights = Float32Array.from({ length: f.dim }, (_, i) => Math.sin(i));
    expect(f.score(mail, weights)).toBeCloseTo(sparseDot(f.features(mail), weights), 5);
  });

  it('the unrolled 3–5-gram path visits the same buckets as the generic loop', () => {
    const fast = new TextFeaturizer(config).features(mail);
    // Single sizes take the generic loop; together they cover the same n-grams.
    const generic = new Set<number>();
    for (const n of [3, 4, 5]) {
      for (const i of new TextFeaturizer({ ...config, charNgrams: [n, n] }).features(mail).indices) generic.add(i);
    }
    expect(new Set(fast.indices)).toEqual(generic);
  });

  it('counts the word tokens (and $ / ! tokens) of the last text it read', () => {
    const f = new TextFeaturizer(config);
    f.features(parseMail('Subject: Win $$$ now!\n\nhello there'));
    expect(f.tokenCount).toBe(8); // win $ $ $ now ! hello there
    const weights = new Float32Array(f.dim);
    f.score(parseMail('hello'), weights);
    expect(f.tokenCount).toBe(1);
  });

  it('is case-insensitive and ignores whitespace runs', () => {
    const f = new TextFeaturizer(config);
    const a = f.features(parseMail('Subject: Hello\n\nFree   MONEY\n\nnow'));
    const b = f.features(parseMail('Subject: hello\n\nfree money now'));
    expect(a).toEqual(b);
  });
});
