/**
 * A server that serves no ONNX model must not load onnxruntime: importing @mlapi/onnx (and its testing entry)
 * loads neither the onnxruntime-node module nor its native library; the first loadOnnxModel does. Checked in a
 * fresh Node process, so nothing else in this test run has loaded it before.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeLinearModel, writeManifest } from './testing.ts';
import { regressionManifest, tempDirs } from './test-helpers.ts';

const run = promisify(execFile);
const tempDir = tempDirs();
const packageDir = fileURLToPath(new URL('..', import.meta.url));

const probe = `
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
const state = () => ({
  module: Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('onnxruntime')),
  native: existsSync('/proc/self/maps') ? readFileSync('/proc/self/maps', 'utf8').includes('libonnxruntime') : null,
});
const pkg = await import('@mlapi/onnx');
await import('@mlapi/onnx/testing');
const afterImport = state();
const model = await pkg.loadOnnxModel(process.env.MODEL_DIR);
const prediction = await model.predict({ a: 1, b: 1, c: 1 });
await model.dispose();
const afterLoad = state();
console.log(JSON.stringify({ afterImport, afterLoad, prediction }));
`;

describe('onnxruntime is imported lazily', () => {
  it('importing @mlapi/onnx does not load onnxruntime-node; loadOnnxModel does', async () => {
    const dir = await tempDir('lazy');
    await writeLinearModel(dir, { weights: [1, 2, 3], bias: 0 });
    await writeManifest(dir, regressionManifest());
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: packageDir,
      env: { ...process.env, MODEL_DIR: dir },
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    const hasMaps = existsSync('/proc/self/maps');
    expect(result.prediction).toEqual({ price: 6 });
    expect(result.afterImport).toEqual({ module: false, native: hasMaps ? false : null });
    // the positive control: the same probes do see it once a model is loaded
    expect(result.afterLoad).toEqual({ module: true, native: hasMaps ? true : null });
  });
});
