/** Validated requests → the data of the graph's input tensors (no onnxruntime import: plain arrays). */
import { packedFields, textField, type OnnxManifest, type PackedField } from './manifest.ts';
import type { OnnxInput } from './input-schema.ts';

export type FloatElementType = 'float32' | 'float64';

/** How one batch of rows is fed to the graph. */
export interface Encoder {
  /** Number of features packed into the float tensor (0 when every field is text). */
  readonly featureCount: number;
  /** Row-major [N, F] data for `input.tensor`; booleans as 0/1, then standardized if the manifest says so. */
  pack(rows: readonly OnnxInput[]): Float32Array | Float64Array;
  /** The text field's values, one per row, or undefined when the manifest has no text field. */
  texts(rows: readonly OnnxInput[]): string[] | undefined;
}

export function createEncoder(manifest: OnnxManifest, elementType: FloatElementType): Encoder {
  const fields: readonly PackedField[] = packedFields(manifest);
  const names = fields.map((f) => f.name);
  const booleans = fields.map((f) => f.type === 'boolean');
  const F = fields.length;
  const mean = manifest.input.standardize?.mean ?? new Array<number>(F).fill(0);
  const std = manifest.input.standardize?.std ?? new Array<number>(F).fill(1);
  const text = textField(manifest);
  return {
    featureCount: F,
    pack(rows) {
      const data = elementType === 'float64' ? new Float64Array(rows.length * F) : new Float32Array(rows.length * F);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as OnnxInput;
        for (let j = 0; j < F; j++) {
          const raw = row[names[j] as string];
          const x = booleans[j] ? (raw === true ? 1 : 0) : (raw as number);
          data[r * F + j] = (x - (mean[j] as number)) / (std[j] as number);
        }
      }
      return data;
    },
    texts(rows) {
      if (!text) return undefined;
      return rows.map((row) => row[text.name] as string);
    },
  };
}
