import {
  datasetExportQuery,
  instantParam,
  maxFlaggedIds,
  serviceVersions,
  trainDataInput,
  windowInOrder,
  windowInOrderIssue,
  type ServiceVersion,
} from '@mlapi/schemas';
import { exportDataset } from '@mlapi/sdk';
import { Argument, type Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import prettyBytes from 'pretty-bytes';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { note, out, printJson } from '../output.ts';

const exportOptions = z.object({
  format: datasetExportQuery.shape.format,
  trainOnly: z.boolean().default(false),
  from: instantParam('from', '').optional(),
  to: instantParam('to', '').optional(),
  out: z.string().min(1).optional(),
});

/** Counts the lines going through (the examples: JSONL lines, or CSV rows after the header) and the bytes. */
function counter(onProgress: (lines: number, bytes: number) => void) {
  const seen = { lines: 0, bytes: 0 };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen.bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) seen.lines++;
      onProgress(seen.lines, seen.bytes);
      done(null, chunk);
    },
  });
  return { stream, seen };
}

const flagOptions = z
  .object({
    train: z.boolean({ error: 'give train or --no-train' }),
    ids: z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), trainDataInput.shape.prediction_ids),
    modelVersion: trainDataInput.shape.model_version,
    from: instantParam('from', '').optional(),
    to: instantParam('to', '').optional(),
    userId: trainDataInput.shape.user_id,
  })
  .refine(windowInOrder, windowInOrderIssue);

/** `mlapi admin dataset …`: the labelled examples (predictions with feedback) as training data. */
export function registerAdminDatasets(admin: Command): void {
  const dataset = admin
    .command('dataset')
    .description('Labelled data: the predictions with feedback, and which of them train the next model')
    .addHelpText('after', '\nExamples:\n  $ mlapi admin dataset flag v2 --from 2026-11-01 --train');

  dataset
    .command('flag')
    .description('Choose which labelled examples train the next model (every filter given must hold; none: all)')
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .option('--train', 'these examples train the next model')
    .option('--no-train', 'these examples do not')
    .option('--ids <ids>', `only these prediction ids, comma-separated (at most ${maxFlaggedIds})`)
    .option('--model-version <version>', 'only predictions of this model version')
    .option('--from <time>', 'only predictions made at or after this time (date or ISO date-time)')
    .option('--to <time>', 'only predictions made before this time (date or ISO date-time)')
    .option('--user-id <id>', "only this user's predictions")
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi admin dataset flag v2 --from 2026-11-01 --train
  $ mlapi admin dataset flag v1 --ids 1041,1042 --no-train
  $ mlapi admin dataset flag v2 --model-version 1.0.0 --user-id 7 --train --json`,
    )
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const o = parseOptions(flagOptions, cmd.opts());
      const r = await ctx.signedIn().datasets.flag.mutate({
        service,
        is_train_data: o.train,
        prediction_ids: o.ids,
        model_version: o.modelVersion,
        from: o.from,
        to: o.to,
        user_id: o.userId,
      });
      if (ctx.json) return printJson(r);
      out(
        `${service}: ${r.matched} labelled example${r.matched === 1 ? '' : 's'} matched; ${r.changed} now ${
          r.is_train_data ? 'train' : 'do not train'
        } the next model.`,
      );
    });

  dataset
    .command('export')
    .description('Write the labelled examples to a file (or stdout) as JSONL or CSV, streamed in constant memory')
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .option('--out <file>', 'write here (default: stdout)')
    .option('--format <format>', 'jsonl (one JSON object per line) or csv', 'jsonl')
    .option('--train-only', 'only the examples flagged for training')
    .option('--from <time>', 'only predictions made at or after this time (date or ISO date-time)')
    .option('--to <time>', 'only predictions made before this time (date or ISO date-time)')
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi admin dataset export v1 --out v1.jsonl
  $ mlapi admin dataset export v2 --train-only --format csv --out train.csv
  $ mlapi admin dataset export v2 --from 2026-11-01 | head`,
    )
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const o = parseOptions(exportOptions, cmd.opts());
      const stream = await exportDataset(ctx.signedIn(), {
        service,
        format: o.format,
        train_only: o.trainOnly,
        from: o.from,
        to: o.to,
      });
      const header = o.format === 'csv' ? 1 : 0;
      let shown = Date.now();
      const { stream: counting, seen } = counter((lines, bytes) => {
        if (!o.out || Date.now() - shown < 1000) return;
        shown = Date.now();
        note(`${Math.max(0, lines - header).toLocaleString('en')} examples (${prettyBytes(bytes)})…`);
      });
      const target: Writable = o.out ? createWriteStream(o.out) : process.stdout;
      try {
        await pipeline(Readable.fromWeb(stream as Parameters<typeof Readable.fromWeb>[0]), counting, target);
      } catch (err) {
        // A reader that stopped early (`| head`) is no failure.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw err;
      }
      if (o.out)
        note(
          `Exported ${Math.max(0, seen.lines - header).toLocaleString('en')} ${service} examples (${prettyBytes(seen.bytes)}) to ${o.out}.`,
        );
    });
}
