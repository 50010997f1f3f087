/**
 * Short, ordinary messages must lean ham and short, obvious spam must stay spam (the
 * committed v1 artifact). Before v1.1 a three-word greeting came out as spam with p ≈ 0.9:
 * L2-normalised features give a short text as much weight as a whole mail, and the
 * learned intercept was +1.0.
 */
import { describe, expect, it } from 'vitest';
import { createSpamModel, spamLogit } from './spam-model.ts';

const HAM = [
  'Subject: meeting\n\nSee you at the standup tomorrow.',
  'Subject: lunch\n\nshall we meet at noon?',
  'hello number 1',
  'Thanks for the report, I will read it tonight.',
  'Can you send me the slides from yesterday?',
  'hello',
];
const SPAM = [
  'Cheap viagra, no prescription needed, order now',
  'You have won $1,000,000! Claim your prize now',
  'Lose 20 pounds in 2 weeks guaranteed, click here',
  'Make money fast working from home, click here',
  'URGENT: verify your bank account password now',
  'Hot singles in your area, click to meet them tonight',
];

describe('v1 on short messages', () => {
  const model = createSpamModel();
  const probabilities = async (texts: string[]) =>
    (await model.predictBatch(texts.map((text) => ({ text })))).map((o) => o.probability);

  it('calls at least 5 of 6 short ordinary messages ham', async () => {
    const p = await probabilities(HAM);
    expect(p.filter((v) => v < 0.5).length).toBeGreaterThanOrEqual(5);
  });

  it('calls at least 5 of 6 short obvious spam messages spam', async () => {
    const p = await probabilities(SPAM);
    expect(p.filter((v) => v >= 0.5).length).toBeGreaterThanOrEqual(5);
  });

  it('is not confident that a plain one-liner is spam', async () => {
    const p = await probabilities([...HAM.slice(0, 3), 'hello, are we still on for lunch?']);
    for (const v of p) expect(v).toBeLessThan(0.5);
  });

  it('still flags a short, loud spam line with high probability', async () => {
    const out = await model.predict({
      text: 'WIN A FREE PRIZE! Click here now to claim your free money, limited offer',
    });
    expect(out.category).toBe('spam');
    expect(out.probability).toBeGreaterThan(0.9);
  });
});

describe('spamLogit (shrinkage toward the prior for texts with little evidence)', () => {
  const params = { bias: 1, priorLogOdds: -0.8, evidenceTokens: 20 };

  it('returns the plain logit for texts with enough tokens', () => {
    expect(spamLogit(2, 20, params)).toBe(3);
    expect(spamLogit(2, 500, params)).toBe(3);
  });

  it('returns the prior log-odds for an empty text and interpolates in between', () => {
    expect(spamLogit(5, 0, params)).toBeCloseTo(-0.8, 12);
    expect(spamLogit(2, 5, params)).toBeCloseTo(0.25 * 3 + 0.75 * -0.8, 12);
  });

  it('never shrinks when evidenceTokens is 0', () => {
    expect(spamLogit(2, 0, { ...params, evidenceTokens: 0 })).toBe(3);
  });
});
