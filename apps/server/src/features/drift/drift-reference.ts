import type { DriftReference } from '@mlapi/ml';
import { z } from 'zod';

const bins = z.object({ edges: z.array(z.number()), shares: z.array(z.number()), mean: z.number() });
const labels = z.object({ labels: z.array(z.string()), shares: z.array(z.number()) });
const referenceSchema = z.object({
  rows: z.number(),
  features: z.record(z.string(), bins),
  prediction: z.union([bins, labels]),
  text: z.object({ oov_rate: z.number(), mean_tokens: z.number(), spam_share: z.number() }).optional(),
});

/**
 * The drift reference of a model card (the built-in models' `reference`, see @mlapi/ml drift/reference-bins.ts), or
 * null when the card has none or it is malformed (a card from the registry is stored JSON: checked, not trusted).
 */
export function referenceOf(card: Record<string, unknown> | null | undefined): DriftReference | null {
  const parsed = referenceSchema.safeParse(card?.reference);
  if (!parsed.success) return null;
  const r = parsed.data;
  const consistent = Object.values(r.features).every((b) => b.shares.length === b.edges.length + 1);
  return consistent ? r : null;
}
