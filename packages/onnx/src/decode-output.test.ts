/** The checks made on the output tensor at run time (for graphs whose output shape is not static). */
import { describe, expect, it } from 'vitest';
import { decodeOutput } from './decode-output.ts';
import { createEncoder } from './encode-input.ts';
import { parseManifest } from './manifest.ts';
import { classificationManifest, regressionManifest } from './test-helpers.ts';

const regression = parseManifest(regressionManifest({ output: { tensor: 'y', field: 'price', scale: 2, offset: 1 } }));
const three = parseManifest(classificationManifest({ labels: ['a', 'b', 'c'], positive_label: 'c' }));

describe('decodeOutput', () => {
  it('regression: value × scale + offset, [N] or [N, 1]', () => {
    expect(decodeOutput(regression, [1, 2], [2, 1], 2)).toEqual([{ price: 3 }, { price: 5 }]);
    expect(decodeOutput(regression, [1, 2], [2], 2)).toEqual([{ price: 3 }, { price: 5 }]);
  });

  it('refuses non-finite values and unexpected shapes', () => {
    expect(() => decodeOutput(regression, [1, Number.NaN], [2, 1], 2)).toThrow(
      'output "y" has a non-finite value (NaN) in row 1',
    );
    expect(() => decodeOutput(regression, [1, 2, 3, 4], [2, 2], 2)).toThrow(
      'output "y" has 2 columns; a regression output needs 1',
    );
    expect(() => decodeOutput(regression, [1], [1, 1], 2)).toThrow('output "y" has shape [1, 1] for a batch of 2 rows');
    expect(() => decodeOutput(three, [0.5, 0.5], [1, 2], 1)).toThrow(
      'output "probabilities" has 2 columns; output.labels lists 3 labels',
    );
  });

  it('classification without activation: probabilities must be probabilities', () => {
    expect(decodeOutput(three, [0.2, 0.3, 0.5], [1, 3], 1)).toEqual([
      { label: 'c', probability: 0.5, probabilities: { a: 0.2, b: 0.3, c: 0.5 } },
    ]);
    expect(() => decodeOutput(three, [1, 2, 3], [1, 3], 1)).toThrow(
      /row 0 has 2, not a probability; .*set output.activation to "softmax"/,
    );
    expect(() => decodeOutput(three, [0.5, 0.5, 0.5], [1, 3], 1)).toThrow(/row 0 sums to 1.5, not 1/);
  });

  it('ties go to the first label', () => {
    const [out] = decodeOutput(three, [0.4, 0.4, 0.2], [1, 3], 1);
    expect(out?.label).toBe('a');
  });
});

describe('createEncoder', () => {
  it('packs rows in field order, booleans as 0/1, standardized', () => {
    const m = parseManifest(
      regressionManifest({
        input: {
          tensor: 'x',
          fields: [
            { name: 'flag', type: 'boolean' },
            { name: 'n', type: 'integer' },
            { name: 't', type: 'text', tensor: 'txt' },
          ],
          standardize: { mean: [0.5, 10], std: [0.5, 2] },
        },
      }),
    );
    const encoder = createEncoder(m, 'float32');
    expect(encoder.featureCount).toBe(2);
    const rows = [
      { flag: true, n: 12, t: 'hi' },
      { flag: false, n: 10, t: 'yo' },
    ];
    expect([...encoder.pack(rows)]).toEqual([1, 1, -1, 0]);
    expect(encoder.texts(rows)).toEqual(['hi', 'yo']);
    expect(createEncoder(m, 'float64').pack(rows)).toBeInstanceOf(Float64Array);
  });
});
