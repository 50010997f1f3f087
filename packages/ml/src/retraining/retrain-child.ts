/**
 * The retraining child process: `node --import tsx retrain-child.ts <spec.json>`, forked by the server at low
 * priority. Reads the labelled examples from the job's files, retrains, lets the new model answer both evaluation
 * sets, writes the results, and reports progress to its parent as it goes. Exit code 0 only when all is written.
 */
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { modelAnswers } from '../evaluation/model-answers.ts';
import type { Model } from '../model.ts';
import { createBuiltInModel } from '../registry.ts';
import { retrainBuiltIn } from './retrain-model.ts';
import type { LabelledInput, RetrainMessage, RetrainResults, RetrainSpec } from './retrain-spec.ts';

const send = (message: RetrainMessage) => process.send?.(message);

async function readJsonl(path: string): Promise<LabelledInput[]> {
  const out: LabelledInput[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity }))
    if (line.trim()) out.push(JSON.parse(line) as LabelledInput);
  return out;
}

/** The new model's answers to `examples`, in order, reported as evaluating progress. */
function answers(spec: RetrainSpec, examples: readonly LabelledInput[]): Promise<(string | number)[]> {
  const model = createBuiltInModel(spec.service, spec.modelDir, spec.version) as Model<unknown, unknown>;
  return modelAnswers(model, examples, 256, (done) =>
    send({ type: 'progress', phase: 'evaluating', done, total: examples.length }),
  );
}

async function main(specPath: string): Promise<void> {
  const spec = JSON.parse(await readFile(specPath, 'utf8')) as RetrainSpec;
  send({ type: 'progress', phase: 'loading', done: 0, total: 0 });
  const train = await readJsonl(spec.trainFile);
  const recent = await readJsonl(spec.recentFile);
  send({ type: 'progress', phase: 'loading', done: 0, total: 0, trainExamples: train.length });
  let lastSent = 0;
  const retrained = await retrainBuiltIn(spec.service, train, {
    version: spec.version,
    trainedAt: spec.trainedAt,
    modelDir: spec.modelDir,
    log: () => undefined,
    progress: (done, total, stage = 'training') => {
      if (done !== total && performance.now() - lastSent < 200) return;
      lastSent = performance.now();
      send({ type: 'progress', phase: stage, done, total });
    },
  });
  // Only what the API accepts is evaluated (a few corpus mails are longer than a v1 input may be).
  const { inputSchema } = createBuiltInModel(spec.service, spec.modelDir, spec.version);
  const holdout = retrained.holdout.filter((e) => inputSchema.safeParse(e.input).success);
  const results: RetrainResults = {
    trainExamples: train.length,
    baseRows: retrained.baseRows,
    holdout,
    candidate: { recent: await answers(spec, recent), holdout: await answers(spec, holdout) },
  };
  await writeFile(spec.resultsFile, JSON.stringify(results));
}

main(process.argv[2] ?? '').then(
  () => process.exit(0),
  (err: unknown) => {
    send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
    process.stderr.write(`retraining failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
