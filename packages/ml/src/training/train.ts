/**
 * CLI: rebuilds the model artifacts from the data packages, deterministically.
 *
 *   npm run train -w @mlapi/ml -- [--out <dir>] [--limit <n>] [--only v1|v2]
 *
 * --out    artifact directory (default: packages/ml/artifacts)
 * --limit  train on a seeded random subset of n messages / rows (fast path for tests)
 * --only   train a single model
 * The card's trained_at comes from TRAINED_AT (ISO date) or SOURCE_DATE_EPOCH if set, so
 * a rebuild can be byte-identical; otherwise it is the current time.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServiceVersion } from '@mlapi/schemas';
import { trainedAtFromEnv } from './env.ts';
import { defaultArtifactDir } from '../runtime/artifacts.ts';
import { BOSTON_PACKAGE, loadBostonRows, loadSpamMails, packageVersion, sample, SPAM_PACKAGE } from './load-data.ts';
import { defaultBostonTrainOptions, trainBoston } from './train-boston.ts';
import { defaultSpamTrainOptions, trainSpamModel } from './train-spam.ts';
import { writeBostonArtifact, writeSpamArtifact } from './write-artifacts.ts';

export interface TrainCliOptions {
  out: string;
  limit?: number;
  only?: ServiceVersion;
  trainedAt: string;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

export function parseTrainArgs(argv: string[]): TrainCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, limit: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new Error('--limit must be a positive integer');
  if (values.only !== undefined && values.only !== 'v1' && values.only !== 'v2')
    throw new Error('--only must be v1 or v2');
  return {
    out: values.out ?? fileURLToPath(defaultArtifactDir),
    limit,
    only: values.only,
    trainedAt: trainedAtFromEnv(),
  };
}

export async function runTraining(opts: TrainCliOptions): Promise<string[]> {
  const written: string[] = [];
  if (opts.only !== 'v2') {
    log(`== v1 spam model (${SPAM_PACKAGE}) ==`);
    const mails = sample(loadSpamMails(), opts.limit, defaultSpamTrainOptions.seed);
    const trained = trainSpamModel(mails, {
      ...defaultSpamTrainOptions,
      trainedAt: opts.trainedAt,
      sourceVersion: packageVersion(SPAM_PACKAGE),
      log,
    });
    written.push(...(await writeSpamArtifact(opts.out, trained)));
  }
  if (opts.only !== 'v1') {
    log(`== v2 Boston model (${BOSTON_PACKAGE}) ==`);
    const rows = sample(loadBostonRows(), opts.limit, defaultBostonTrainOptions.cvSeed);
    const trained = trainBoston(rows, {
      ...defaultBostonTrainOptions,
      trainedAt: opts.trainedAt,
      sourceVersion: packageVersion(BOSTON_PACKAGE),
      log,
    });
    written.push(...(await writeBostonArtifact(opts.out, trained)));
  }
  for (const path of written) log(`wrote ${path} (${((await stat(path)).size / 1024).toFixed(0)} kB)`);
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runTraining(parseTrainArgs(process.argv.slice(2))).catch((err: unknown) => {
    log(`training failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  });
}
