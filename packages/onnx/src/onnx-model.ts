/**
 * Serves an exported ONNX graph through the `Model` interface: `loadOnnxModel(dir)` reads `dir/manifest.json`,
 * loads `dir/model.onnx` into an onnxruntime CPU session, checks the manifest against the graph, and returns a
 * model that is already loaded. onnxruntime-node is imported here, on the first call, and nowhere else in the
 * package, so a server that serves no ONNX model never loads it.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Model, ModelCard } from '@mlapi/ml';
import type { ServiceVersion } from '@mlapi/schemas';
import type * as Ort from 'onnxruntime-node';
import { ModelManifestError } from './errors.ts';
import type { OnnxManifest } from './manifest.ts';
import { readManifest } from './read-manifest.ts';
import {
  buildInputSchema,
  buildOutputSchema,
  buildTargetSchema,
  type OnnxInput,
  type OnnxOutput,
} from './input-schema.ts';
import { createEncoder } from './encode-input.ts';
import { decodeOutput } from './decode-output.ts';
import { checkGraph } from './graph-check.ts';
import { buildCard } from './model-card.ts';
import { inlineRunner, workerRunner, type SessionRunner } from './session-runner.ts';

const MODEL_FILE = 'model.onnx';

export interface LoadOnnxModelOptions {
  /** The service the directory is configured for; a manifest naming another service is refused. */
  expectService?: ServiceVersion;
  /**
   * Threads onnxruntime may use inside one operator. Default 1: the server runs many small requests at once on
   * few cores, and a per-session thread pool only adds contention for small models (see bench/results).
   */
  intraOpNumThreads?: number;
  /**
   * Worker threads that run the model, each with its own session (default 1): onnxruntime's `run()` blocks the
   * thread that calls it for the whole inference, so a slow model would otherwise stall the event loop, and with
   * it every other request. 0 runs it on the calling thread (a benchmark reference).
   */
  workerThreads?: number;
}

/** A served ONNX model: the `Model` contract plus where it came from. */
export interface OnnxModel extends Model<OnnxInput, OnnxOutput> {
  readonly source: 'onnx';
  /** Absolute path of the model directory. */
  readonly directory: string;
  /** SHA-256 of model.onnx (hex), of the bytes the session was created from. */
  readonly sha256: string;
  /** The validated manifest (defaults applied). */
  readonly manifest: OnnxManifest;
  /**
   * Refuses new predictions at once, waits for the ones running, then releases the onnxruntime session.
   * Idempotent. Afterwards `isLoaded()` is false and `load()`/`predict()` reject; load the directory again instead.
   */
  dispose(): Promise<void>;
}

type OrtModule = typeof Ort;
let runtime: Promise<OrtModule> | undefined;

/** onnxruntime-node, imported once, on first use. */
function importRuntime(): Promise<OrtModule> {
  runtime ??= import('onnxruntime-node').catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

const runtimeVersion = (ort: OrtModule): string => ort.env.versions.node ?? ort.env.versions.common;

async function readModelFile(dir: string): Promise<Uint8Array> {
  try {
    return await readFile(join(dir, MODEL_FILE));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelManifestError(
      dir,
      MODEL_FILE,
      [
        code === 'ENOENT'
          ? 'not found (a model directory needs model.onnx and manifest.json)'
          : `cannot be read (${code ?? String(err)})`,
      ],
      { cause: err },
    );
  }
}

/**
 * Loads the ONNX model in `dir` (model.onnx + manifest.json). Rejects with a ModelManifestError for a missing or
 * invalid file, a manifest that does not match the graph, or a service other than `expectService`.
 */
export async function loadOnnxModel(dir: string, options: LoadOnnxModelOptions = {}): Promise<OnnxModel> {
  const directory = resolve(dir);
  const manifest = await readManifest(directory);
  if (options.expectService !== undefined && manifest.service !== options.expectService) {
    throw new ModelManifestError(directory, 'manifest.json', [
      `service is "${manifest.service}"; this directory was loaded to serve "${options.expectService}"`,
    ]);
  }
  const bytes = await readModelFile(directory);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fileTime = (await stat(join(directory, MODEL_FILE))).mtime.toISOString();

  const ort = await importRuntime();
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 4, // errors are thrown (and reported) anyway; keep onnxruntime's native logger off stderr
  };
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptions);
  } catch (err) {
    const message = (err as Error).message.trim();
    const hint = /construct locale/i.test(message)
      ? ' (a StringNormalizer asks for a locale this machine lacks: install it, e.g. Debian\'s "locales" with en_US.UTF-8, or export the graph with locale "C")'
      : '';
    throw new ModelManifestError(
      directory,
      MODEL_FILE,
      [`cannot be loaded by onnxruntime ${runtimeVersion(ort)}: ${message}${hint}`],
      {
        cause: err,
      },
    );
  }

  const { problems, plan } = checkGraph(manifest, session.inputMetadata, session.outputMetadata);
  if (problems.length > 0) {
    await session.release();
    throw new ModelManifestError(directory, MODEL_FILE, problems);
  }

  const card = buildCard(manifest, { sha256, fileTime, runtimeVersion: runtimeVersion(ort) });
  const threads = options.workerThreads ?? 1;
  let runner: SessionRunner = inlineRunner(session);
  if (threads > 0) {
    // This session checked the graph; the worker threads load their own.
    await session.release();
    runner = workerRunner(bytes, sessionOptions, threads);
  }
  return createOnnxModel({ ort, runner, manifest, directory, sha256, card, plan });
}

interface Parts {
  ort: OrtModule;
  runner: SessionRunner;
  manifest: OnnxManifest;
  directory: string;
  sha256: string;
  card: ModelCard;
  plan: ReturnType<typeof checkGraph>['plan'];
}

/** The session feeds for `rows`: the packed float tensor [N, F] and the text tensor ([N] or [N, 1]), as the graph declares them. */
function buildFeeds(
  ort: OrtModule,
  manifest: OnnxManifest,
  encoder: ReturnType<typeof createEncoder>,
  plan: Parts['plan'],
  rows: readonly OnnxInput[],
): Record<string, Ort.Tensor> {
  const packedTensor = manifest.input.tensor;
  const text = manifest.input.fields.find((f) => f.type === 'text');
  const feeds: Record<string, Ort.Tensor> = {};
  if (packedTensor !== undefined) {
    const data = encoder.pack(rows);
    feeds[packedTensor] =
      data instanceof Float64Array
        ? new ort.Tensor('float64', data, [rows.length, encoder.featureCount])
        : new ort.Tensor('float32', data, [rows.length, encoder.featureCount]);
  }
  const texts = encoder.texts(rows);
  if (text?.type === 'text' && texts) {
    feeds[text.tensor] = new ort.Tensor('string', texts, plan.textRank === 1 ? [rows.length] : [rows.length, 1]);
  }
  return feeds;
}

function createOnnxModel({ ort, runner, manifest, directory, sha256, card, plan }: Parts): OnnxModel {
  const inputSchema = buildInputSchema(manifest);
  const encoder = createEncoder(manifest, plan.packedType ?? 'float32');
  const fetches = [manifest.output.tensor];
  const label = `ONNX model ${manifest.name} ${manifest.version} (${directory})`;

  let disposed: Promise<void> | undefined;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  /** One session.run for all rows (or one per row when the graph's batch dimension is fixed at 1). */
  async function runRows(rows: readonly OnnxInput[]): Promise<OnnxOutput[]> {
    const feeds = buildFeeds(ort, manifest, encoder, plan, rows);
    const results = await runner.run(feeds, fetches);
    const out = results[manifest.output.tensor];
    if (!out) throw new Error(`${label}: session.run returned no "${manifest.output.tensor}"`);
    return decodeOutput(manifest, out.data as Float32Array | Float64Array, out.dims, rows.length);
  }

  async function run(rows: readonly OnnxInput[]): Promise<OnnxOutput[]> {
    if (disposed) throw new Error(`${label} was disposed`);
    inFlight++;
    try {
      if (!plan.fixedBatchOfOne || rows.length === 1) return await runRows(rows);
      const out: OnnxOutput[] = [];
      for (const row of rows) out.push(...(await runRows([row])));
      return out;
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  }

  const field = manifest.output.field;
  return {
    source: 'onnx',
    directory,
    sha256,
    manifest,
    name: manifest.name,
    version: manifest.version,
    service: manifest.service,
    task: manifest.task,
    inputSchema,
    outputSchema: buildOutputSchema(manifest),
    targetSchema: buildTargetSchema(manifest),
    ...(manifest.task === 'classification'
      ? { labels: Object.freeze([...manifest.output.labels]), positiveLabel: manifest.output.positive_label }
      : {}),
    load: () =>
      disposed ? Promise.reject(new Error(`${label} was disposed; load the directory again`)) : Promise.resolve(),
    isLoaded: () => disposed === undefined,
    async predict(input) {
      const row = inputSchema.parse(input);
      const [out] = await run([row]);
      return out as OnnxOutput;
    },
    async predictBatch(inputs) {
      const rows = inputs.map((input) => inputSchema.parse(input));
      if (rows.length === 0) return [];
      return run(rows);
    },
    async card() {
      return structuredClone(card);
    },
    predictedValue: (output) => output[field] as number | string,
    dispose() {
      disposed ??= (async () => {
        if (inFlight > 0) await new Promise<void>((done) => (drained = done));
        await runner.release();
      })();
      return disposed;
    },
  };
}
