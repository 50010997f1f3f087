/**
 * v2 (Boston house price) request/response schemas. Ranges are a little wider than the
 * 1970 census data the model learned from; values outside them are rejected because a tree
 * ensemble cannot extrapolate beyond what it has seen anyway.
 */
import { z } from 'zod';
import { mustBe } from '../messages.ts';

function feature(name: string, min: number, max: number, description: string) {
  return z
    .number({ error: mustBe(name, 'a number') })
    .min(min, { error: `${name} must be >= ${min}` })
    .max(max, { error: `${name} must be <= ${max}` })
    .describe(`${description} (allowed range ${min}–${max})`);
}

/**
 * Each feature's allowed range and whether it must be an integer: the one table the input schema below is built
 * from (and that other inputs with the same fields, e.g. an ONNX manifest in the benchmarks, can reuse).
 */
export const v2FeatureRanges = {
  crim: { min: 0, max: 100, integer: false, description: 'Per-capita crime rate by town' },
  zn: {
    min: 0,
    max: 100,
    integer: false,
    description: 'Proportion of residential land zoned for lots over 25,000 sq. ft., in percent',
  },
  indus: {
    min: 0,
    max: 30,
    integer: false,
    description: 'Proportion of non-retail business acres per town, in percent',
  },
  chas: {
    min: 0,
    max: 1,
    integer: true,
    description: 'Charles River dummy variable: 1 if the tract bounds the river, 0 otherwise',
  },
  nox: { min: 0.3, max: 1, integer: false, description: 'Nitric oxides concentration, parts per 10 million' },
  rm: { min: 3, max: 9, integer: false, description: 'Average number of rooms per dwelling' },
  age: {
    min: 0,
    max: 100,
    integer: false,
    description: 'Proportion of owner-occupied units built prior to 1940, in percent',
  },
  dis: { min: 1, max: 13, integer: false, description: 'Weighted distance to five Boston employment centres' },
  rad: { min: 1, max: 24, integer: true, description: 'Index of accessibility to radial highways' },
  tax: { min: 150, max: 750, integer: false, description: 'Full-value property-tax rate per $10,000' },
  ptratio: { min: 12, max: 23, integer: false, description: 'Pupil-teacher ratio by town' },
  lstat: {
    min: 1,
    max: 40,
    integer: false,
    description: 'Percentage of the population with lower socioeconomic status',
  },
} as const;

const range = (name: keyof typeof v2FeatureRanges) => {
  const { min, max, description } = v2FeatureRanges[name];
  return feature(name, min, max, description);
};

const v2Features = z
  .object({
    crim: range('crim'),
    zn: range('zn'),
    indus: range('indus'),
    chas: z.literal([0, 1], { error: mustBe('chas', '0 or 1') }).describe(v2FeatureRanges.chas.description),
    nox: range('nox'),
    rm: range('rm'),
    age: range('age'),
    dis: range('dis'),
    rad: range('rad').int({ error: 'rad must be an integer' }),
    tax: range('tax'),
    ptratio: range('ptratio'),
    lstat: range('lstat'),
  })
  .describe('Census-tract features of a Boston-area neighbourhood (Harrison & Rubinfeld, 1978).');

/**
 * The example house of the API docs, and the one tests, examples and benchmarks send: the first tract of the data
 * set (Nahant; its median value was $24,000).
 */
export const v2ExampleInput: Readonly<z.infer<typeof v2Features>> = Object.freeze({
  crim: 0.00632,
  zn: 18,
  indus: 2.31,
  chas: 0,
  nox: 0.538,
  rm: 6.575,
  age: 65.2,
  dis: 4.09,
  rad: 1,
  tax: 296,
  ptratio: 15.3,
  lstat: 4.98,
});

export const v2InputSchema = v2Features.meta({ example: v2ExampleInput });

export const v2OutputSchema = z
  .object({
    price: z
      .number()
      .describe(
        'Predicted median value of owner-occupied homes, in US dollars (1970s prices; data capped at $50,000).',
      ),
  })
  .describe('House price prediction.');

/** The true value a client reports as feedback for a v2 prediction. */
export const v2TargetSchema = z
  .number({ error: mustBe('actual', 'a number') })
  .min(0, { error: 'actual must be >= 0' })
  .max(10_000_000, { error: 'actual must be <= 10000000' })
  .describe('The true price in US dollars (same unit as the prediction).')
  .meta({ example: 24_000 });

export type V2Input = z.infer<typeof v2InputSchema>;
export type V2Output = z.infer<typeof v2OutputSchema>;

/** Feature order used by the v2 model artifact. */
export const v2FeatureNames = [
  'crim',
  'zn',
  'indus',
  'chas',
  'nox',
  'rm',
  'age',
  'dis',
  'rad',
  'tax',
  'ptratio',
  'lstat',
] as const satisfies readonly (keyof V2Input)[];
