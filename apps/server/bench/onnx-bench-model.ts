import { writeLinearModel, writeManifest } from '@mlapi/onnx/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The v2 house features, in the built-in model's order, with its ranges: the ONNX model takes the same input. */
const features: [name: string, min: number, max: number][] = [
  ['crim', 0, 100], ['zn', 0, 100], ['indus', 0, 30], ['chas', 0, 1], ['nox', 0.3, 1], ['rm', 3, 9],
  ['age', 0, 100], ['dis', 1, 13], ['rad', 1, 24], ['tax', 150, 750], ['ptratio', 12, 23], ['lstat', 1, 40],
];

/**
 * A directory with a 12-feature linear ONNX model and its manifest, served as v2 for the benchmark: the built-in
 * gradient-boosted model and a bring-your-own ONNX model, side by side, over HTTP.
 */
export async function writeBenchOnnxModel(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'mlapi-bench-onnx-')), 'house-linear');
  await writeLinearModel(dir, { weights: [-0.1, 0.05, 0, 2.7, -17, 3.8, 0, -1.5, 0.3, -0.01, -0.95, -0.52], bias: 36 });
  await writeManifest(dir, {
    service: 'v2',
    name: 'house-linear',
    version: '1.0.0',
    task: 'regression',
    input: { tensor: 'float_input', fields: features.map(([name, min, max]) => ({ name, type: 'number' as const, min, max })) },
    output: { tensor: 'variable', field: 'price', scale: 1000, unit: 'USD' },
  });
  return dir;
}
