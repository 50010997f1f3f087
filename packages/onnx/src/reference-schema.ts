/**
 * `card.reference` in manifest.json: the training distribution drift is measured against, in the format of the
 * built-in models' cards (@mlapi/ml drift/reference-bins.ts). Bin i of a quantity holds edges[i−1] ≤ x < edges[i]
 * (the first and last are open), so `shares` has one more entry than `edges`: the share of training rows per bin.
 */
import { z } from 'zod';

const share = z.number().min(0, { error: 'must be >= 0' }).max(1, { error: 'must be <= 1' });
const sumsToOne = (shares: readonly number[]) => Math.abs(shares.reduce((s, v) => s + v, 0) - 1) <= 0.01;

const bins = z
  .strictObject({
    edges: z.array(z.number(), { error: 'must be an array of numbers' }),
    shares: z.array(share, { error: 'must be an array of shares' }),
    mean: z.number({ error: 'must be a number' }),
  })
  .superRefine((b, ctx) => {
    if (b.edges.some((e, i) => i > 0 && e <= b.edges[i - 1]!))
      ctx.addIssue({ code: 'custom', path: ['edges'], message: 'must be ascending' });
    if (b.shares.length !== b.edges.length + 1)
      ctx.addIssue({ code: 'custom', path: ['shares'], message: 'must have one entry more than edges' });
    else if (!sumsToOne(b.shares)) ctx.addIssue({ code: 'custom', path: ['shares'], message: 'must add up to 1' });
  });

const labels = z
  .strictObject({ labels: z.array(z.string().min(1)).min(1), shares: z.array(share) })
  .superRefine((l, ctx) => {
    if (l.shares.length !== l.labels.length)
      ctx.addIssue({ code: 'custom', path: ['shares'], message: 'must have one entry per label' });
  });

export const referenceSchema = z.strictObject({
  rows: z.int({ error: 'must be an integer' }).min(1, { error: 'must be >= 1' }),
  /** Per input field (numbers, integers and booleans as 0/1 are binned by their value). */
  features: z.record(z.string(), bins, { error: 'must be an object of field name → bins' }),
  /** The model's predictions on the training rows: bins of the value (regression) or shares of labels. */
  prediction: z.union([bins, labels], { error: 'must be bins ({edges, shares, mean}) or labels ({labels, shares})' }),
});
