/**
 * Prediction latency and throughput of the committed models.
 *   npm run bench -w @mlapi/ml
 * Single predictions go through model.predict (validation + async call included).
 */
import type { V2Input } from '@mlapi/schemas';
import { models } from '../src/index.ts';
import { mulberry32, syntheticHouse, syntheticMail } from './synthetic-inputs.ts';

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function latency<T>(label: string, iterations: number, fn: (i: number) => Promise<T>): Promise<void> {
  for (let i = 0; i < Math.min(200, iterations); i++) await fn(i); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    times.push((performance.now() - t) * 1000);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((s, v) => s + v, 0) / times.length;
  console.log(
    `${label.padEnd(34)} p50 ${percentile(times, 0.5).toFixed(1).padStart(7)} µs   p99 ${percentile(times, 0.99).toFixed(1).padStart(7)} µs   mean ${mean.toFixed(1).padStart(7)} µs   (n=${iterations})`,
  );
}

async function throughput<T>(
  label: string,
  batches: number,
  batch: T[],
  fn: (items: T[]) => Promise<unknown[]>,
): Promise<void> {
  await fn(batch); // warm-up
  const t = performance.now();
  for (let b = 0; b < batches; b++) {
    const out = await fn(batch);
    if (out.length !== batch.length) throw new Error('batch size mismatch');
  }
  const seconds = (performance.now() - t) / 1000;
  const perSecond = (batches * batch.length) / seconds;
  console.log(
    `${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} items/s   (${batches} × ${batch.length}-item batches, ${((seconds / batches) * 1000).toFixed(1)} ms per batch)`,
  );
}

async function main(): Promise<void> {
  let t = performance.now();
  await models.v1.load();
  console.log(`v1 load: ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  await models.v2.load();
  console.log(`v2 load: ${(performance.now() - t).toFixed(0)} ms`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);

  const mails = Array.from({ length: 16 }, (_, i) => syntheticMail(10 * 1024, i + 1));
  const houseRng = mulberry32(7);
  const houses = Array.from({ length: 1000 }, () => syntheticHouse(houseRng));

  await latency('v1 predict, 10 kB mail', 3000, (i) => models.v1.predict({ text: mails[i % mails.length] ?? '' }));
  await latency('v1 predict, short text (200 B)', 3000, (i) =>
    models.v1.predict({ text: (mails[i % mails.length] ?? '').slice(-200) }),
  );
  await latency('v2 predict', 20000, (i) => models.v2.predict(houses[i % houses.length] as V2Input));
  console.log('');
  const mailBatch = Array.from({ length: 1000 }, (_, i) => ({ text: mails[i % mails.length] ?? '' }));
  await throughput('v1 predictBatch (10 kB mails)', 3, mailBatch, (b) => models.v1.predictBatch(b));
  await throughput('v2 predictBatch', 50, houses, (b) => models.v2.predictBatch(b));
}

await main();
