/** When the live version's figures on the held-out split are not a fair baseline, and what is. */
import type { ServiceVersion } from '@mlapi/schemas';
import { BOSTON_TARGET_SCALE } from '../models/boston-model.ts';

/**
 * The shipped v2 model was fitted on all rows of its data set, held-out split included, so its MAE there is a
 * training fit (optimistic). Its card's cross-validated MAE is the fair figure to compare a candidate with. Any
 * other version (a retrained one, the v1 model, an ONNX model) is compared on its own held-out figures: undefined.
 */
export function liveHoldoutBaseline(
  service: ServiceVersion,
  card: Record<string, unknown> | null | undefined,
): { value: number; why: string } | undefined {
  const shipped = card?.shipped_artifact as { trained_on?: unknown } | undefined;
  const cvMae = (card?.metrics as Record<string, unknown> | undefined)?.cv_mae_mean;
  if (service !== 'v2' || typeof shipped?.trained_on !== 'string' || !shipped.trained_on.startsWith('all rows'))
    return undefined;
  if (typeof cvMae !== 'number') return undefined;
  return { value: cvMae * BOSTON_TARGET_SCALE, why: 'cross-validated MAE' };
}
