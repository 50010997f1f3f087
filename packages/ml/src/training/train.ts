/**
 * CLI: rebuilds the model artifacts from the data packages, deterministically.
 *
 *   npm run train -w @mlapi/ml -- [--out <dir>] [--limit <n>] [--only v1|v2] [--version X.Y.Z]
 *
 * --out      artifact directory (default: packages/ml/artifacts)
 * --limit    train on a seeded random subset of n messages / rows (fast path for tests)
 * --only     train a single model
 * --version  the version the model card gives (default: the shipped model's): a candidate to register with
 *            `mlapi admin models register v1 <dir>`
 * The card's trained_at comes from TRAINED_AT (ISO date) or SOURCE_DATE_EPOCH if set, so
 * a rebuild can be byte-identical; otherwise it is the current time.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { semanticVersion, type ServiceVersion } from '@mlapi/schemas';
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
  version?: string;
  trainedAt: string;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

export function parseTrainArgs(argv: string[]): TrainCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      limit: { type: 'string' },
      only: { type: 'string' },
      version: { type: 'string' },
    },
    strict: true,
  });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new Error('--limit must be a positive integer');
  if (values.only !== undefined && values.only !== 'v1' && values.only !== 'v2')
    throw new Error('--only must be v1 or v2');
  if (values.version !== undefined && !semanticVersion.test(values.version))
    throw new Error('--version must be a semantic version, e.g. 1.2.0');
  if (values.version !== undefined && values.only === undefined)
    throw new Error('--version names one model: give --only v1 or --only v2 with it');
  return {
    out: values.out ?? fileURLToPath(defaultArtifactDir),
    limit,
    only: values.only,
    version: values.version,
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
      version: opts.version,
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
      version: opts.version,
      log,
    });
    written.push(...(await writeBostonArtifact(opts.out, trained)));
  }
  for (const path of written) log(`wrote ${path} (${((await stat(path)).size / 1024).toFixed(0)} kB)`);
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let opts: TrainCliOptions;
  try {
    opts = parseTrainArgs(process.argv.slice(2));
  } catch (err) {
    log(`train: ${(err as Error).message}`);
    process.exit(2);
  }
  runTraining(opts).catch((err: unknown) => {
    log(`training failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  });
}
