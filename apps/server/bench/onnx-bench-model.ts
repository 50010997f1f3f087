import { v2FeatureNames, v2FeatureRanges } from '@mlapi/schemas';
import { writeLinearModel, writeManifest } from '@mlapi/onnx/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    input: {
      tensor: 'float_input',
      // the built-in v2 model's fields and ranges, so both validate the same input
      fields: v2FeatureNames.map((name) => {
        const { min, max, integer } = v2FeatureRanges[name];
        return { name, type: integer ? ('integer' as const) : ('number' as const), min, max };
      }),
    },
    output: { tensor: 'variable', field: 'price', scale: 1000, unit: 'USD' },
  });
  return dir;
}
