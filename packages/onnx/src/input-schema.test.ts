import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildInputSchema, buildOutputSchema, buildTargetSchema } from './input-schema.ts';
import { parseManifest } from './manifest.ts';
import { classificationManifest, regressionManifest } from './test-helpers.ts';

const houses = parseManifest(
  regressionManifest({
    input: {
      tensor: 'float_input',
      description: 'A house.',
      fields: [
        { name: 'rooms', type: 'number', min: 1, max: 12, description: 'Rooms per dwelling' },
        { name: 'floor', type: 'integer', min: 0 },
        { name: 'garden', type: 'boolean', description: 'Has a garden' },
        { name: 'age', type: 'number' },
      ],
    },
    output: { tensor: 'variable', field: 'price', unit: 'USD' },
  }),
);
const mails = parseManifest(
  classificationManifest(
    { labels: ['ham', 'spam'], positive_label: 'spam', field: 'category' },
    { input: { fields: [{ name: 'text', type: 'text', tensor: 'text_input', max_length: 10 }] } },
  ),
);

function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return result.error.issues.map((i) => i.message);
}

describe('input schema', () => {
  const schema = buildInputSchema(houses);
  const ok = { rooms: 6.5, floor: 2, garden: true, age: 40 };

  it('accepts valid input and strips unknown keys (like the built-in schemas)', () => {
    expect(schema.parse({ ...ok, colour: 'red' })).toEqual(ok);
  });

  it('rejects out-of-range values naming the field', () => {
    expect(messages(schema, { ...ok, rooms: 0.5 })).toEqual(['rooms must be >= 1']);
    expect(messages(schema, { ...ok, rooms: 13 })).toEqual(['rooms must be <= 12']);
    expect(messages(schema, { ...ok, floor: -1 })).toEqual(['floor must be >= 0']);
  });

  it('rejects wrong types naming the field', () => {
    expect(messages(schema, { ...ok, rooms: '6' })).toEqual(['rooms must be a number']);
    expect(messages(schema, { ...ok, floor: 1.5 })).toEqual(['floor must be an integer']);
    expect(messages(schema, { ...ok, garden: 1 })).toEqual(['garden must be true or false']);
    expect(messages(schema, { ...ok, age: Number.NaN })).toEqual(['age must be a number']);
    const { age: _age, ...missing } = ok;
    expect(messages(schema, missing)).toEqual(['age is required']);
  });

  it('checks text fields', () => {
    const text = buildInputSchema(mails);
    expect(text.parse({ text: 'hello' })).toEqual({ text: 'hello' });
    expect(messages(text, { text: '' })).toEqual(['text must not be empty']);
    expect(messages(text, { text: 'x'.repeat(11) })).toEqual(['text must be at most 10 characters']);
    expect(messages(text, { text: 42 })).toEqual(['text must be a string']);
    expect(messages(text, { text: 'a\u0000b' })).toEqual([
      'text must not contain NUL characters or unpaired surrogates',
    ]);
    expect(messages(text, { text: 'a\ud800' })).toEqual([
      'text must not contain NUL characters or unpaired surrogates',
    ]);
  });

  it('describes each field with its description and range (for OpenAPI, the SDK and the CLI)', () => {
    const json = z.toJSONSchema(schema, { io: 'input' }) as {
      description: string;
      required: string[];
      properties: Record<string, { description: string; type: string; minimum?: number; maximum?: number }>;
    };
    expect(json.description).toBe('A house.');
    expect(json.required).toEqual(['rooms', 'floor', 'garden', 'age']);
    expect(json.properties.rooms).toMatchObject({
      type: 'number',
      minimum: 1,
      maximum: 12,
      description: 'Rooms per dwelling (allowed range 1–12)',
    });
    expect(json.properties.floor).toMatchObject({
      type: 'integer',
      minimum: 0,
      description: 'Input field "floor" (integer, minimum 0)',
    });
    expect(json.properties.garden).toMatchObject({ type: 'boolean', description: 'Has a garden (true or false)' });
    expect(json.properties.age?.description).toBe('Input field "age"');
  });
});

describe('output and target schemas', () => {
  it('regression: { [field]: number }, target a number', () => {
    const out = buildOutputSchema(houses);
    expect(out.parse({ price: 123.5 })).toEqual({ price: 123.5 });
    const json = z.toJSONSchema(out) as { properties: Record<string, { description: string }> };
    expect(json.properties.price?.description).toBe('Predicted price, in USD.');
    const target = buildTargetSchema(houses);
    expect(target.parse(250_000)).toBe(250_000);
    expect(messages(target, 'a lot')).toEqual(['actual must be a number']);
  });

  it('classification: label, probability of the positive label, and per-label probabilities', () => {
    const out = buildOutputSchema(mails);
    const reply = { category: 'spam', probability: 0.9, probabilities: { ham: 0.1, spam: 0.9 } };
    expect(out.parse(reply)).toEqual(reply);
    expect(out.safeParse({ ...reply, category: 'eggs' }).success).toBe(false);
    expect(out.safeParse({ ...reply, probability: 1.5 }).success).toBe(false);
    const json = z.toJSONSchema(out) as { properties: Record<string, { description?: string; enum?: string[] }> };
    expect(json.properties.category?.enum).toEqual(['ham', 'spam']);
    expect(json.properties.probability?.description).toBe(
      'Estimated probability of "spam", P(spam), whatever the predicted label.',
    );
    const target = buildTargetSchema(mails);
    expect(target.parse('ham')).toBe('ham');
    expect(messages(target, 'eggs')).toEqual(["actual must be one of 'ham', 'spam'"]);
  });

  it('depends on the manifest fields only, not on the version (a hot reload keeps the contract)', () => {
    const next = parseManifest({
      ...classificationManifest(
        { labels: ['ham', 'spam'], positive_label: 'spam', field: 'category' },
        {
          input: { fields: [{ name: 'text', type: 'text', tensor: 'text_input', max_length: 10 }] },
        },
      ),
      version: '2.0.0',
      name: 'another-name',
    });
    for (const build of [buildInputSchema, buildOutputSchema, buildTargetSchema]) {
      expect(JSON.stringify(z.toJSONSchema(build(next)))).toBe(JSON.stringify(z.toJSONSchema(build(mails))));
    }
  });
});
