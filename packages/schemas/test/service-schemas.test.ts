import { describe, expect, it } from 'vitest';
import { v1InputSchema, v1OutputSchema } from '../src/services/v1.ts';
import { v2ExampleInput as house, v2InputSchema } from '../src/services/v2.ts';

describe('v1 schemas', () => {
  it('rejects empty text and names the field', () => {
    const result = v1InputSchema.safeParse({ text: '' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['text']);
    expect(result.error?.issues[0]?.message).toMatch(/text must not be empty/);
  });

  it('rejects a missing or oversized text', () => {
    expect(v1InputSchema.safeParse({}).error?.issues[0]?.message).toMatch(/text is required/);
    expect(v1InputSchema.safeParse({ text: 'x'.repeat(100_001) }).error?.issues[0]?.message).toMatch(/at most 100000/);
  });

  it('refuses NUL bytes and lone surrogates in text, naming the field (the database cannot store them)', () => {
    for (const text of ['a\u0000b', 'a\ud800b', '\udfff']) {
      const issue = v1InputSchema.safeParse({ text }).error?.issues[0];
      expect(issue?.path).toEqual(['text']);
      expect(issue?.message).toBe('text must not contain NUL characters or unpaired surrogates');
    }
    expect(v1InputSchema.parse({ text: 'paired 😀 surrogates' })).toEqual({ text: 'paired 😀 surrogates' });
  });

  it('accepts a message and documents probability as P(spam)', () => {
    expect(v1InputSchema.parse({ text: 'hi' })).toEqual({ text: 'hi' });
    expect(v1OutputSchema.shape.probability.description).toMatch(/P\(spam\)/);
  });
});

describe('v2 input schema', () => {
  it('accepts a real row from the data', () => {
    expect(v2InputSchema.parse(house)).toEqual(house);
  });

  it.each([
    ['crim', -1, /crim must be >= 0/],
    ['rm', 12, /rm must be <= 9/],
    ['nox', 0.1, /nox must be >= 0.3/],
    ['chas', 2, /chas must be 0 or 1/],
    ['rad', 2.5, /rad must be an integer/],
    ['tax', 1000, /tax must be <= 750/],
  ])('rejects out-of-range %s and names the field', (field, value, message) => {
    const result = v2InputSchema.safeParse({ ...house, [field]: value });
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual([field]);
    expect(issue?.message).toMatch(message);
  });

  it('requires every feature and ignores the dropped column b', () => {
    const { lstat: _omit, ...missing } = house;
    expect(v2InputSchema.safeParse(missing).error?.issues[0]?.path).toEqual(['lstat']);
    expect(v2InputSchema.parse({ ...house, b: 396.9 })).not.toHaveProperty('b');
  });

  it('describes every feature for the API docs', () => {
    for (const [name, schema] of Object.entries(v2InputSchema.shape)) {
      expect(schema.description, name).toMatch(/\w{4,}/);
    }
  });
});
