/** The graph's output tensor → one reply per row (no onnxruntime import: plain arrays). */
import type { ClassificationManifest, OnnxManifest, RegressionManifest } from './manifest.ts';
import type { OnnxOutput } from './input-schema.ts';

/** Values this far outside [0, 1] (or a row sum this far from 1) with activation "none" mean the graph emits logits. */
const PROBABILITY_TOLERANCE = 1e-4;

class OutputShapeError extends Error {
  override readonly name = 'OutputShapeError';
}

/** Columns per row of an output with `dims` for `rows` rows: product of the dims after the first. */
function columnsOf(dims: readonly number[], length: number, rows: number, tensor: string): number {
  if (dims.length === 0 || dims[0] !== rows) {
    throw new OutputShapeError(`output "${tensor}" has shape [${dims.join(', ')}] for a batch of ${rows} rows`);
  }
  const columns = dims.slice(1).reduce((a, b) => a * b, 1);
  if (columns * rows !== length) {
    throw new OutputShapeError(`output "${tensor}" has ${length} values for shape [${dims.join(', ')}]`);
  }
  return columns;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function checkFinite(value: number, tensor: string, row: number): number {
  if (!Number.isFinite(value))
    throw new OutputShapeError(`output "${tensor}" has a non-finite value (${value}) in row ${row}`);
  return value;
}

function decodeRegression(m: RegressionManifest, data: ArrayLike<number>, columns: number, rows: number): OnnxOutput[] {
  const { tensor, field, scale, offset } = m.output;
  if (columns !== 1)
    throw new OutputShapeError(`output "${tensor}" has ${columns} columns; a regression output needs 1`);
  const out = new Array<OnnxOutput>(rows);
  for (let r = 0; r < rows; r++) out[r] = { [field]: checkFinite(data[r] as number, tensor, r) * scale + offset };
  return out;
}

function toProbability(v: number, tensor: string, row: number, hint: string): number {
  if (v < -PROBABILITY_TOLERANCE || v > 1 + PROBABILITY_TOLERANCE) {
    throw new OutputShapeError(`output "${tensor}" row ${row} has ${v}, not a probability; ${hint}`);
  }
  return Math.min(1, Math.max(0, v));
}

function decodeClassification(
  m: ClassificationManifest,
  data: ArrayLike<number>,
  columns: number,
  rows: number,
): OnnxOutput[] {
  const { tensor, labels, positive_label: positive, field, probability_field: probabilityField, activation } = m.output;
  const K = labels.length;
  const positiveIndex = labels.indexOf(positive);
  const out = new Array<OnnxOutput>(rows);
  if (columns === 1 && K === 2) {
    if (activation === 'softmax')
      throw new OutputShapeError(`output "${tensor}" has 1 column; activation "softmax" needs one column per label`);
    const negative = labels[1 - positiveIndex] as string;
    for (let r = 0; r < rows; r++) {
      const v = checkFinite(data[r] as number, tensor, r);
      const p =
        activation === 'sigmoid'
          ? sigmoid(v)
          : toProbability(v, tensor, r, 'if the graph outputs a logit, set output.activation to "sigmoid"');
      out[r] = {
        [field]: p >= 0.5 ? positive : negative,
        [probabilityField]: p,
        probabilities: { [positive]: p, [negative]: 1 - p },
      };
    }
    return out;
  }
  if (columns !== K) {
    throw new OutputShapeError(`output "${tensor}" has ${columns} columns; output.labels lists ${K} labels`);
  }
  if (activation === 'sigmoid') {
    throw new OutputShapeError(`output "${tensor}" has ${columns} columns; activation "sigmoid" needs a single column`);
  }
  const p = new Float64Array(K);
  for (let r = 0; r < rows; r++) {
    const base = r * K;
    if (activation === 'softmax') {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, checkFinite(data[base + k] as number, tensor, r));
      let sum = 0;
      for (let k = 0; k < K; k++) sum += p[k] = Math.exp((data[base + k] as number) - max);
      for (let k = 0; k < K; k++) p[k] = (p[k] as number) / sum;
    } else {
      let sum = 0;
      const hint = 'if the graph outputs logits, set output.activation to "softmax"';
      for (let k = 0; k < K; k++)
        sum += p[k] = toProbability(checkFinite(data[base + k] as number, tensor, r), tensor, r, hint);
      if (Math.abs(sum - 1) > 1e-3)
        throw new OutputShapeError(`output "${tensor}" row ${r} sums to ${sum}, not 1; ${hint}`);
    }
    let best = 0;
    const probabilities: Record<string, number> = {};
    for (let k = 0; k < K; k++) {
      if ((p[k] as number) > (p[best] as number)) best = k;
      probabilities[labels[k] as string] = p[k] as number;
    }
    out[r] = { [field]: labels[best], [probabilityField]: p[positiveIndex], probabilities };
  }
  return out;
}

/** Turns the output tensor's data for `rows` rows into replies (applies scale/offset or the activation). */
export function decodeOutput(
  manifest: OnnxManifest,
  data: ArrayLike<number>,
  dims: readonly number[],
  rows: number,
): OnnxOutput[] {
  const columns = columnsOf(dims, data.length, rows, manifest.output.tensor);
  return manifest.task === 'regression'
    ? decodeRegression(manifest, data, columns, rows)
    : decodeClassification(manifest, data, columns, rows);
}
