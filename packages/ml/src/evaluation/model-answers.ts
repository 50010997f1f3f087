import type { Model } from '../model.ts';
import type { LabelledInput } from '../retraining/retrain-spec.ts';

/**
 * A model's answers (v1 labels, v2 prices) to `examples`, in order, `chunk` inputs per batch; `afterChunk` runs
 * after each (to report progress, or to give the event loop a turn).
 */
export async function modelAnswers(
  model: Model<unknown, unknown>,
  examples: readonly LabelledInput[],
  chunk: number,
  afterChunk: (done: number) => unknown = () => undefined,
): Promise<(string | number)[]> {
  const out: (string | number)[] = [];
  for (let i = 0; i < examples.length; i += chunk) {
    const outputs = await model.predictBatch(examples.slice(i, i + chunk).map((e) => e.input));
    out.push(...outputs.map((o) => model.predictedValue(o)));
    await afterChunk(out.length);
  }
  return out;
}
