/**
 * Prediction latency of an ONNX model served by @mlapi/onnx, next to the built-in v2 model (gradient-boosted trees
 * in plain TypeScript) on the same 12 inputs with the same ranges.
 *   npm run bench -w @mlapi/onnx [-- --label=name --runs=2000 --batch-runs=2000]
 * Writes bench/results/<label>.json and .md. Every call goes through predict/predictBatch (zod validation included).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { models, v2FeatureNames, type V2Input } from '@mlapi/ml';
import { loadOnnxModel, type OnnxManifestInput, type OnnxModel } from '../src/index.ts';
import { writeLinearModel, writeManifest } from '../src/testing.ts';
import { measure, printRow, runInfo, writeResults, type Row } from './bench-report.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const label = arg('label', 'predict');
const runs = Number(arg('runs', '2000'));
const batchRuns = Number(arg('batch-runs', '2000'));

/** mulberry32: a small seeded PRNG, so every run predicts the same rows. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// the built-in v2 schema's ranges (packages/ml/src/schemas/v2.ts), so both models validate the same way
const ranges: Record<(typeof v2FeatureNames)[number], [number, number, 'number' | 'integer']> = {
  crim: [0, 100, 'number'], zn: [0, 100, 'number'], indus: [0, 30, 'number'], chas: [0, 1, 'integer'],
  nox: [0.3, 1, 'number'], rm: [3, 9, 'number'], age: [0, 100, 'number'], dis: [1, 13, 'number'],
  rad: [1, 24, 'integer'], tax: [150, 750, 'number'], ptratio: [12, 23, 'number'], lstat: [1, 40, 'number'],
};

function syntheticHouse(rng: () => number): V2Input {
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng();
  return {
    crim: u(0, 20), zn: u(0, 80), indus: u(1, 27), chas: rng() < 0.07 ? 1 : 0, nox: u(0.39, 0.87),
    rm: u(4, 8.5), age: u(3, 100), dis: u(1.2, 12), rad: 1 + Math.floor(rng() * 24), tax: u(190, 710),
    ptratio: u(12.6, 22), lstat: u(2, 37),
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mlapi-onnx-bench-'));
  const loaded: OnnxModel[] = [];
  try {
    const rng = prng(20240601);
    const weights = v2FeatureNames.map(() => Math.round((rng() * 4 - 2) * 64) / 64);
    await writeLinearModel(dir, { weights, bias: 22.5 });
    const manifest: OnnxManifestInput = {
      service: 'v2',
      name: 'bench-linear',
      version: '1.0.0',
      task: 'regression',
      input: {
        tensor: 'float_input',
        fields: v2FeatureNames.map((name) => {
          const [min, max, type] = ranges[name];
          return { name, type, min, max };
        }),
        standardize: { mean: v2FeatureNames.map((n) => (ranges[n][0] + ranges[n][1]) / 2), std: v2FeatureNames.map(() => 10) },
      },
      output: { tensor: 'variable', field: 'price', scale: 1000 },
    };
    await writeManifest(dir, manifest);

    let t = performance.now();
    const onnx1 = await loadOnnxModel(dir, { intraOpNumThreads: 1 });
    const onnxLoadMs = Math.round(performance.now() - t);
    loaded.push(onnx1);
    t = performance.now();
    const onnx2 = await loadOnnxModel(dir, { intraOpNumThreads: 2 });
    loaded.push(onnx2);
    const onnx2LoadMs = Math.round(performance.now() - t);
    t = performance.now();
    await models.v2.load();
    const v2LoadMs = Math.round(performance.now() - t);

    const { createRequire } = await import('node:module');
    const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
    const info = runInfo(label, ortVersion);
    info.loadMs = { 'onnx (first, incl. runtime import)': onnxLoadMs, 'onnx (second)': onnx2LoadMs, 'built-in v2': v2LoadMs };
    console.log(`loads: ${Object.entries(info.loadMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
    console.log(`node ${process.version}, onnxruntime-node ${ortVersion}, ${info.cores} cores\n`);

    const houses = Array.from({ length: 1000 }, () => syntheticHouse(rng));
    const house = (i: number) => houses[i % houses.length] as V2Input;
    const rows: Row[] = [];
    const add = async (row: Promise<Row>) => {
      const r = await row;
      printRow(r);
      rows.push(r);
    };

    // warm every model up first, so the first scenario timed does not pay for JIT and allocator warm-up
    for (let i = 0; i < 2000; i++) await Promise.all([onnx1.predict(house(i)), onnx2.predict(house(i)), models.v2.predict(house(i))]);
    for (let i = 0; i < 20; i++) await Promise.all([onnx1.predictBatch(houses), onnx2.predictBatch(houses), models.v2.predictBatch(houses)]);

    await add(measure('onnx linear (12 features) predict, 1 thread', 1, runs, (i) => onnx1.predict(house(i))));
    await add(measure('onnx linear (12 features) predict, 2 threads', 1, runs, (i) => onnx2.predict(house(i))));
    await add(measure('built-in v2 (boston-gbt) predict', 1, runs, (i) => models.v2.predict(house(i))));
    await add(measure('onnx linear predictBatch ×1000, 1 thread', 1000, batchRuns, () => onnx1.predictBatch(houses), 'one session.run'));
    await add(measure('onnx linear predictBatch ×1000, 2 threads', 1000, batchRuns, () => onnx2.predictBatch(houses), 'one session.run'));
    await add(measure('built-in v2 (boston-gbt) predictBatch ×1000', 1000, batchRuns, () => models.v2.predictBatch(houses)));
    await add(
      measure('zod validation alone of 1000 rows (onnx inputSchema)', 1000, batchRuns, async () => houses.map((h) => onnx1.inputSchema.parse(h)), 'part of the onnx batch above'),
    );

    console.log(`\nwrote ${writeResults(info, rows)}`);
  } finally {
    await Promise.all(loaded.map((m) => m.dispose()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
