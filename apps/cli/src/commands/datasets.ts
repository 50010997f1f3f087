import { instantParam, maxFlaggedIds, serviceVersions, trainDataInput, type ServiceVersion } from '@mlapi/schemas';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { out, printJson } from '../output.ts';

const flagOptions = z
  .object({
    train: z.boolean({ error: 'give train or --no-train' }),
    ids: z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), trainDataInput.shape.prediction_ids),
    modelVersion: trainDataInput.shape.model_version,
    from: instantParam('from', '').optional(),
    to: instantParam('to', '').optional(),
    userId: trainDataInput.shape.user_id,
  })
  .refine((o) => !o.from || !o.to || new Date(o.from) < new Date(o.to), {
    message: 'from must be before to',
    path: ['from'],
  });

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
}
