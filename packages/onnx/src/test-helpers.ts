/** Helpers for this package's tests (not exported): temp directories, manifests, and odd graphs. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { ClassificationManifestInput, OnnxManifestInput, RegressionManifestInput } from './manifest.ts';

/** A fresh temp directory per call, all removed after the test file. */
export function tempDirs(): (name: string) => Promise<string> {
  let root: string | undefined;
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  let n = 0;
  return async (name: string) => {
    root ??= await mkdtemp(join(tmpdir(), 'mlapi-onnx-test-'));
    const dir = join(root, `${++n}-${name}`);
    await mkdir(dir, { recursive: true });
    return dir;
  };
}

export const numberFields = (names: readonly string[]) => names.map((name) => ({ name, type: 'number' as const }));

export function regressionManifest(overrides: Partial<RegressionManifestInput> = {}) {
  return {
    service: 'v2',
    name: 'test-linear',
    version: '1.0.0',
    task: 'regression',
    input: { tensor: 'float_input', fields: numberFields(['a', 'b', 'c']) },
    output: { tensor: 'variable', field: 'price' },
    ...overrides,
  } satisfies OnnxManifestInput;
}

export function classificationManifest(
  output: Partial<ClassificationManifestInput['output']> = {},
  overrides: Partial<ClassificationManifestInput> = {},
) {
  return {
    service: 'v1',
    name: 'test-logistic',
    version: '1.0.0',
    task: 'classification',
    input: { tensor: 'float_input', fields: numberFields(['a', 'b']) },
    output: { tensor: 'probabilities', labels: ['spam', 'ham'], positive_label: 'spam', ...output },
    ...overrides,
  } satisfies OnnxManifestInput;
}

/** Writes a raw model.onnx from an onnx-proto ModelProto description (for graphs the testing writers do not make). */
export async function writeRawGraph(
  dir: string,
  graph: Record<string, unknown>,
  opsets = [{ domain: '', version: 15 }],
): Promise<void> {
  const { default: pkg } = await import('onnx-proto');
  const { onnx } = pkg;
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'test', opsetImport: opsets, graph });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), onnx.ModelProto.encode(model).finish());
}

export const valueInfo = (name: string, elemType: number, dims: readonly (number | string)[]) => ({
  name,
  type: {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});
