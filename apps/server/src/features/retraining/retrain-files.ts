/** The files a retraining child reads: the examples flagged for training and the recent ones left out of it. */
import type { ExampleRow } from '@mlapi/db';
import type { LabelledInput } from '@mlapi/ml';
import type { ServiceVersion } from '@mlapi/schemas';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { AppDeps } from '../../core/deps.ts';
import { keptAs } from '../call-log/logged-input.ts';

const labelled = (r: ExampleRow): LabelledInput => ({ input: r.input, actual: r.actual! });

/** An example a model can learn from or be scored on: its input kept in full (LOG_INPUTS) and a true value. */
const usable = (r: ExampleRow) => r.actual !== null && keptAs(r.input) === 'full';

/** Writes one line, waiting when the file stream is full (so memory holds a page, whatever the total). */
async function writeLine(out: WriteStream, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
}

async function closed(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'close');
}

/**
 * Writes the service's examples flagged for training to `path` as JSONL, a page at a time (an input that was not
 * logged in full, LOG_INPUTS, cannot train and is skipped). Returns how many were written.
 */
export async function writeTrainExamples(deps: AppDeps, service: ServiceVersion, path: string): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  try {
    let after = 0;
    for (;;) {
      const page = await deps.data.labelledExamples.examplesAfter({ service, trainOnly: true }, after, 1000);
      for (const row of page.rows)
        if (usable(row)) {
          await writeLine(out, labelled(row));
          written++;
        }
      if (page.next === null) break;
      after = page.next;
    }
  } finally {
    await closed(out);
  }
  return written;
}

/** The `limit` most recent examples not flagged for training, written to `path`; returned too (to score live). */
export async function writeRecentExamples(
  deps: AppDeps,
  service: ServiceVersion,
  path: string,
  limit: number,
): Promise<LabelledInput[]> {
  const rows = await deps.data.labelledExamples.recentUnused(service, limit);
  const examples = rows.filter(usable).map(labelled);
  const out = createWriteStream(path);
  try {
    for (const e of examples) await writeLine(out, e);
  } finally {
    await closed(out);
  }
  return examples;
}
