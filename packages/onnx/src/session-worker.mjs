/**
 * One onnxruntime session in a worker thread, for the pool of session-runner.ts: onnxruntime-node's `run()` keeps
 * the thread that calls it busy for the whole inference, so a model runs here, off the server's event loop.
 * Plain JavaScript: a worker thread loads it as it is, under tsx, vitest and the server's bundle alike.
 */
import { workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const { bytes, sessionOptions } = workerData;
const session = await ort.InferenceSession.create(bytes, sessionOptions);

/** Runs the session on feeds sent as `{ type, data, dims }`; answers each fetched output as `{ data, dims }`. */
export default async function run({ feeds, fetches }) {
  const tensors = {};
  for (const [name, { type, data, dims }] of Object.entries(feeds)) tensors[name] = new ort.Tensor(type, data, dims);
  const results = await session.run(tensors, fetches);
  const out = {};
  for (const name of fetches) out[name] = { data: results[name].data, dims: results[name].dims };
  return out;
}
