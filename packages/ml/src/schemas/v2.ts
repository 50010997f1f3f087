/**
 * v2 (Boston house price) request/response schemas. Ranges are a little wider than the
 * 1970 census data the model learned from; values outside them are rejected because a tree
 * ensemble cannot extrapolate beyond what it has seen anyway.
 */
import { z } from 'zod';

function feature(name: string, min: number, max: number, description: string) {
  return z
    .number({ error: `${name} must be a number` })
    .min(min, { error: `${name} must be >= ${min}` })
    .max(max, { error: `${name} must be <= ${max}` })
    .describe(`${description} (allowed range ${min}–${max})`);
}

export const v2InputSchema = z
  .object({
    crim: feature('crim', 0, 100, 'Per-capita crime rate by town'),
    zn: feature('zn', 0, 100, 'Proportion of residential land zoned for lots over 25,000 sq. ft., in percent'),
    indus: feature('indus', 0, 30, 'Proportion of non-retail business acres per town, in percent'),
    chas: z
      .literal([0, 1], { error: 'chas must be 0 or 1' })
      .describe('Charles River dummy variable: 1 if the tract bounds the river, 0 otherwise'),
    nox: feature('nox', 0.3, 1, 'Nitric oxides concentration, parts per 10 million'),
    rm: feature('rm', 3, 9, 'Average number of rooms per dwelling'),
    age: feature('age', 0, 100, 'Proportion of owner-occupied units built prior to 1940, in percent'),
    dis: feature('dis', 1, 13, 'Weighted distance to five Boston employment centres'),
    rad: feature('rad', 1, 24, 'Index of accessibility to radial highways').int({ error: 'rad must be an integer' }),
    tax: feature('tax', 150, 750, 'Full-value property-tax rate per $10,000'),
    ptratio: feature('ptratio', 12, 23, 'Pupil-teacher ratio by town'),
    lstat: feature('lstat', 1, 40, 'Percentage of the population with lower socioeconomic status'),
  })
  .describe('Census-tract features of a Boston-area neighbourhood (Harrison & Rubinfeld, 1978).');

export const v2OutputSchema = z
  .object({
    price: z
      .number()
      .describe('Predicted median value of owner-occupied homes, in US dollars (1970s prices; data capped at $50,000).'),
  })
  .describe('House price prediction.');

/** The true value a client reports as feedback for a v2 prediction. */
export const v2TargetSchema = z
  .number({ error: 'actual must be a number' })
  .min(0, { error: 'actual must be >= 0' })
  .max(10_000_000, { error: 'actual must be <= 10000000' })
  .describe('The true price in US dollars (same unit as the prediction).');

export type V2Input = z.infer<typeof v2InputSchema>;
export type V2Output = z.infer<typeof v2OutputSchema>;

/** Feature order used by the v2 model artifact. */
export const v2FeatureNames = [
  'crim', 'zn', 'indus', 'chas', 'nox', 'rm', 'age', 'dis', 'rad', 'tax', 'ptratio', 'lstat',
] as const satisfies readonly (keyof V2Input)[];
