import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { formatManifestIssues, jsonPath, manifestSchema, parseManifest, packedFields, textField } from './manifest.ts';
import { classificationManifest, regressionManifest } from './test-helpers.ts';

/** The problems of an invalid manifest, one line each. */
function problems(json: unknown): string[] {
  const result = manifestSchema.safeParse(json);
  if (result.success) throw new Error('expected the manifest to be invalid');
  return formatManifestIssues(result.error);
}

describe('manifest schema', () => {
  it('accepts a regression manifest and applies the defaults', () => {
    const m = parseManifest(regressionManifest());
    expect(m.task).toBe('regression');
    if (m.task !== 'regression') return;
    expect(m.output).toEqual({ tensor: 'variable', field: 'price', scale: 1, offset: 0 });
    expect(packedFields(m).map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect(textField(m)).toBeUndefined();
  });

  it('accepts a classification manifest and applies the defaults', () => {
    const m = parseManifest(classificationManifest());
    if (m.task !== 'classification') throw new Error('task');
    expect(m.output).toEqual({
      tensor: 'probabilities',
      activation: 'none',
      labels: ['spam', 'ham'],
      positive_label: 'spam',
      field: 'label',
      probability_field: 'probability',
    });
  });

  it('accepts a text field with its own tensor and a default max_length', () => {
    const m = parseManifest(
      classificationManifest({}, { input: { fields: [{ name: 'text', type: 'text', tensor: 'text_input' }] } }),
    );
    expect(textField(m)).toEqual({ name: 'text', type: 'text', tensor: 'text_input', max_length: 100_000 });
    expect(packedFields(m)).toEqual([]);
  });

  it('names the JSON path of each problem', () => {
    expect(problems(classificationManifest({ labels: ['spam'] }))).toContain(
      'output.labels: must list at least 2 labels',
    );
    expect(problems({ ...regressionManifest(), service: 'v3' })).toEqual(['service: must be one of "v1", "v2"']);
    expect(problems({ ...regressionManifest(), version: 'latest' })).toEqual([
      'version: must be a semantic version like 1.0.0 or 2.1.0-rc.1',
    ]);
    expect(problems({ ...regressionManifest(), name: 'my model' })[0]).toMatch(/^name: must be 1–64 letters/);
    expect(problems({ ...regressionManifest(), task: 'clustering' })).toEqual([
      'task: must be "classification" or "regression"',
    ]);
    const { task: _task, ...noTask } = regressionManifest();
    expect(problems(noTask)).toEqual(['task: is required']);
    const { output: _output, ...noOutput } = regressionManifest();
    expect(problems(noOutput)).toEqual(['output: is required']);
    expect(problems([1, 2])).toEqual(['(root): must be a JSON object']);
  });

  it('refuses unknown keys at every level, naming them and the allowed ones', () => {
    expect(problems({ ...regressionManifest(), serivce: 'v2' })).toEqual([
      '(root): unknown key "serivce" (allowed: service, name, version, description, input, card, task, output)',
    ]);
    expect(
      problems(regressionManifest({ output: { tensor: 'variable', field: 'price', scael: 1000 } as never })),
    ).toEqual(['output: unknown key "scael" (allowed: tensor, field, scale, offset, unit, description)']);
    expect(
      problems(
        regressionManifest({ input: { tensor: 'x', fields: [{ name: 'a', type: 'number', maximum: 3 } as never] } }),
      ),
    ).toEqual(['input.fields[0]: unknown key "maximum" (allowed: name, min, max, description, type)']);
    // a classification key in a regression manifest is a typo too
    expect(
      problems(regressionManifest({ output: { tensor: 'v', field: 'price', labels: ['a', 'b'] } as never }))[0],
    ).toMatch(/^output: unknown key "labels"/);
    expect(problems(regressionManifest({ card: { metrix: {} } as never }))[0]).toMatch(/^card: unknown key "metrix"/);
  });

  it('checks the input fields', () => {
    const withFields = (fields: unknown[], extra: object = {}) =>
      problems(regressionManifest({ input: { tensor: 'float_input', fields, ...extra } as never }));
    expect(withFields([])).toEqual(['input.fields: must list at least 1 field']);
    expect(withFields([{ name: 'a', type: 'float' }])).toEqual([
      'input.fields[0].type: must be one of "number", "integer", "boolean", "text"',
    ]);
    expect(withFields([{ name: 'a' }])).toEqual(['input.fields[0].type: is required']);
    expect(withFields([{ name: '1a', type: 'number' }])[0]).toMatch(/^input\.fields\[0\]\.name: must be an identifier/);
    expect(withFields([{ name: '__proto__', type: 'number' }])).toEqual([
      'input.fields[0].name: must not be "__proto__" (reserved in JavaScript objects)',
    ]);
    expect(withFields([{ name: 'a', type: 'number', min: 5, max: 1 }])).toEqual([
      'input.fields[0].max: must be >= min (5)',
    ]);
    expect(withFields([{ name: 'a', type: 'number', min: '0' }])).toEqual(['input.fields[0].min: must be a number']);
    expect(withFields([{ name: 'a', type: 'boolean', min: 0 }])[0]).toMatch(/^input\.fields\[0\]: unknown key "min"/);
    expect(
      withFields([
        { name: 'a', type: 'number' },
        { name: 'a', type: 'integer' },
      ]),
    ).toEqual(['input.fields[1].name: duplicate field name "a" (also fields[0])']);
    expect(
      withFields(
        [
          { name: 'a', type: 'text', tensor: 't1' },
          { name: 'b', type: 'text', tensor: 't2' },
        ],
        { tensor: undefined },
      ),
    ).toContain('input.fields[1].type: only one text field is supported');
    expect(withFields([{ name: 'a', type: 'text', tensor: 'float_input' }])).toEqual([
      'input.tensor: is not used: every field is text, and a text field names its own tensor',
      'input.fields[0].tensor: must differ from input.tensor',
    ]);
    expect(problems(regressionManifest({ input: { fields: [{ name: 'a', type: 'number' }] } }))).toEqual([
      'input.tensor: is required: the number, integer and boolean fields are packed into this graph input',
    ]);
  });

  it('checks standardize against the packed fields', () => {
    const input = (standardize: unknown) =>
      problems(
        regressionManifest({
          input: {
            tensor: 'x',
            fields: [
              { name: 'a', type: 'number' },
              { name: 'b', type: 'boolean' },
            ],
            standardize,
          } as never,
        }),
      );
    expect(input({ mean: [0], std: [1, 2] })).toEqual([
      'input.standardize.mean: must have one value per packed field (2), has 1',
    ]);
    expect(input({ mean: [0, 0], std: [1, 0] })).toEqual(['input.standardize.std[1]: must be > 0']);
    expect(input({ mean: [0, 0] })).toEqual(['input.standardize.std: is required']);
  });

  it('checks the classification output', () => {
    expect(problems(classificationManifest({ labels: ['spam', 'ham', 'spam'] }))).toEqual([
      'output.labels[2]: duplicate label "spam" (also labels[0])',
    ]);
    expect(problems(classificationManifest({ positive_label: 'eggs' }))).toEqual([
      'output.positive_label: must be one of labels ("spam", "ham"), is "eggs"',
    ]);
    expect(problems(classificationManifest({ activation: 'relu' as never }))).toEqual([
      'output.activation: must be one of "none", "sigmoid", "softmax"',
    ]);
    expect(problems(classificationManifest({ field: 'p', probability_field: 'p' }))).toEqual([
      'output.probability_field: must differ from field ("p")',
    ]);
    expect(problems(classificationManifest({ field: 'probabilities' }))).toEqual([
      'output.field: must not be "probabilities" (the reply\'s per-label probabilities)',
    ]);
    expect(problems(classificationManifest({ labels: 'spam,ham' as never }))).toEqual([
      'output.labels: must be an array of label names',
    ]);
  });

  it('checks the regression output and the card', () => {
    expect(problems(regressionManifest({ output: { tensor: 'v', field: 'price', scale: 0 } }))).toEqual([
      'output.scale: must not be 0',
    ]);
    expect(problems(regressionManifest({ output: { tensor: '', field: 'price' } }))).toEqual([
      'output.tensor: must not be empty',
    ]);
    expect(problems(regressionManifest({ card: { trained_at: 'last week', rows: -1 } }))).toEqual([
      'card.trained_at: must be an ISO-8601 date-time, e.g. 2026-01-31T12:00:00Z',
      'card.rows: must be >= 0',
    ]);
  });

  it('takes reference bins in the card, checked', () => {
    const rooms = { edges: [3, 5], shares: [0.2, 0.5, 0.3], mean: 4.2 };
    const prediction = { edges: [100_000], shares: [0.4, 0.6], mean: 120_000 };
    const ok = manifestSchema.parse(
      regressionManifest({ card: { reference: { rows: 100, features: { rooms }, prediction } } }),
    );
    expect(ok.card?.reference?.features.rooms).toEqual(rooms);
    const bad = { rows: 100, features: { rooms: { ...rooms, shares: [0.5, 0.5] }, area: { ...rooms, edges: [5, 3] } } };
    expect(problems(regressionManifest({ card: { reference: { ...bad, prediction } } }))).toEqual([
      'card.reference.features.rooms.shares: must have one entry more than edges',
      'card.reference.features.area.edges: must be ascending',
    ]);
  });

  it('throws a ZodError from parseManifest', () => {
    expect(() => parseManifest({})).toThrow(ZodError);
  });

  it('formats paths like JSON paths', () => {
    expect(jsonPath(['input', 'fields', 2, 'name'])).toBe('input.fields[2].name');
    expect(jsonPath([])).toBe('(root)');
  });
});
