import { binOf, type DriftReference, type Model } from '@mlapi/ml';
import type { DriftCount } from '@mlapi/db';
import { referenceOf } from './drift-reference.ts';

/** What one call's predictions add to drift_rollups. */
export type DriftBinner = (inputs: readonly unknown[], outputs: readonly unknown[]) => DriftCount[];

/** The quantity the model's predictions are binned as. */
export const predictionFeature = 'prediction';

const binners = new WeakMap<object, Promise<DriftBinner | null>>();

/** Adds one value to its bin's count and sum. */
function tally(counts: Map<string, DriftCount>, feature: string, bin: number, value: number): void {
  const id = `${feature}\0${bin}`;
  const c = counts.get(id);
  if (c) {
    c.count++;
    c.valueSum += value;
  } else counts.set(id, { feature, bin, count: 1, valueSum: value });
}

/**
 * Bins each input and prediction by the reference bins of the model's card: the input's quantities (the model's
 * `driftValues`, else its numeric fields) that the reference has bins for, a quantity it has no bins for in bin 0
 * (a plain sum: v1 `oov_tokens`), and the predicted value or label. A binary search per quantity: cheap.
 */
function binnerFor<I, O>(model: Model<I, O>, reference: DriftReference): DriftBinner {
  const labels = 'labels' in reference.prediction ? reference.prediction.labels : null;
  const predictionEdges = 'edges' in reference.prediction ? reference.prediction.edges : [];
  const values = (input: I, output: O): Record<string, unknown> =>
    model.driftValues ? model.driftValues(input, output) : (input as Record<string, unknown>);
  return (inputs, outputs) => {
    const counts = new Map<string, DriftCount>();
    inputs.forEach((input, i) => {
      for (const [feature, value] of Object.entries(values(input as I, outputs[i] as O))) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const bins = reference.features[feature];
        tally(counts, feature, bins ? binOf(bins.edges, value) : 0, value);
      }
      const predicted = model.predictedValue(outputs[i] as O);
      if (labels) {
        const index = labels.indexOf(String(predicted));
        if (index >= 0) tally(counts, predictionFeature, index, 0);
      } else if (typeof predicted === 'number')
        tally(counts, predictionFeature, binOf(predictionEdges, predicted), predicted);
    });
    return [...counts.values()];
  };
}

/**
 * The binner of a loaded model, made once per model object from its card; null when its card has no reference bins
 * (nothing to compare with, so nothing is counted).
 */
export function driftBinner<I, O>(model: Model<I, O>): Promise<DriftBinner | null> {
  let binner = binners.get(model);
  if (!binner) {
    binner = model.card().then(
      (card) => {
        const reference = referenceOf(card as unknown as Record<string, unknown>);
        return reference ? binnerFor(model, reference) : null;
      },
      () => null,
    );
    binners.set(model, binner);
  }
  return binner;
}
