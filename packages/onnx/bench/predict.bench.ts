/**
 * Prediction latency of an ONNX model served by @mlapi/onnx, next to the built-in v2 model (gradient-boosted trees
 * in plain TypeScript) on the same 12 inputs with the same ranges.
 *   npm run bench -w @mlapi/onnx [-- --label=name --runs=2000 --batch-runs=2000]
 * Writes bench/results/<label>.json and .md. Every call goes through predict/predictBatch (zod validation included).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { models } from '@mlapi/ml';
import { v2FeatureNames, v2FeatureRanges, type V2Input } from '@mlapi/schemas';
// the same seeded houses as the built-in model's bench
import { mulberry32, syntheticHouse } from '../../ml/bench/synthetic-inputs.ts';
import { loadOnnxModel, type OnnxManifestInput, type OnnxModel } from '../src/index.ts';
import { writeLinearModel, writeManifest } from '../src/testing.ts';
import { measure, printRow, runInfo, writeResults, type Row } from './bench-report.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const label = arg('label', 'predict');
const runs = Number(arg('runs', '2000'));
const batchRuns = Number(arg('batch-runs', '2000'));

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mlapi-onnx-bench-'));
  const loaded: OnnxModel[] = [];
  try {
    const rng = mulberry32(20240601);
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
          const { min, max, integer } = v2FeatureRanges[name];
          return { name, type: integer ? ('integer' as const) : ('number' as const), min, max };
        }),
        standardize: {
          mean: v2FeatureNames.map((n) => (v2FeatureRanges[n].min + v2FeatureRanges[n].max) / 2),
          std: v2FeatureNames.map(() => 10),
        },
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
    const inline = await loadOnnxModel(dir, { intraOpNumThreads: 1, workerThreads: 0 });
    loaded.push(inline);
    t = performance.now();
    await models.v2.load();
    const v2LoadMs = Math.round(performance.now() - t);

    const { createRequire } = await import('node:module');
    const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
    const info = runInfo(label, ortVersion);
    info.loadMs = {
      'onnx (first, incl. runtime import)': onnxLoadMs,
      'onnx (second)': onnx2LoadMs,
      'built-in v2': v2LoadMs,
    };
    console.log(
      `loads: ${Object.entries(info.loadMs)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ')}`,
    );
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
    for (let i = 0; i < 2000; i++)
      await Promise.all([onnx1.predict(house(i)), onnx2.predict(house(i)), models.v2.predict(house(i))]);
    for (let i = 0; i < 20; i++)
      await Promise.all([onnx1.predictBatch(houses), onnx2.predictBatch(houses), models.v2.predictBatch(houses)]);

    await add(measure('onnx linear (12 features) predict, 1 thread', 1, runs, (i) => onnx1.predict(house(i))));
    await add(measure('onnx linear (12 features) predict, 2 threads', 1, runs, (i) => onnx2.predict(house(i))));
    await add(measure('onnx linear predict on the event loop (no worker)', 1, runs, (i) => inline.predict(house(i))));
    await add(measure('built-in v2 (boston-gbt) predict', 1, runs, (i) => models.v2.predict(house(i))));
    await add(
      measure(
        'onnx linear predictBatch ×1000, 1 thread',
        1000,
        batchRuns,
        () => onnx1.predictBatch(houses),
        'one session.run',
      ),
    );
    await add(
      measure(
        'onnx linear predictBatch ×1000, 2 threads',
        1000,
        batchRuns,
        () => onnx2.predictBatch(houses),
        'one session.run',
      ),
    );
    await add(
      measure('built-in v2 (boston-gbt) predictBatch ×1000', 1000, batchRuns, () => models.v2.predictBatch(houses)),
    );
    await add(
      measure(
        'zod validation alone of 1000 rows (onnx inputSchema)',
        1000,
        batchRuns,
        async () => houses.map((h) => onnx1.inputSchema.parse(h)),
        'part of the onnx batch above',
      ),
    );

    console.log(`\nwrote ${writeResults(info, rows)}`);
  } finally {
    await Promise.all(loaded.map((m) => m.dispose()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
