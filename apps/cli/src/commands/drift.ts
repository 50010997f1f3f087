import {
  instantParam,
  serviceVersions,
  windowInOrder,
  windowInOrderIssue,
  type DriftOutput,
  type ServiceVersion,
} from '@mlapi/schemas';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { formatTime, note, out, printJson, printTable } from '../output.ts';

const driftOptions = z
  .object({
    modelVersion: z.string().min(1).max(64).optional(),
    from: instantParam('from', '').optional(),
    to: instantParam('to', '').optional(),
  })
  .refine(windowInOrder, windowInOrderIssue);

const psi = (v: number | null) => (v === null ? '—' : v.toFixed(4));
const mean = (v: number | null) => (v === null ? '—' : v.toPrecision(4));
const percent = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)} %`);

/** One row per feature, then the predictions: PSI, status, predictions served, means. */
function driftRows(d: DriftOutput) {
  const rows = d.features.map((f) => ({
    feature: f.feature,
    psi: psi(f.psi),
    status: f.status ?? '—',
    n: f.n,
    reference: mean(f.reference_mean),
    served: mean(f.served_mean),
  }));
  if (d.prediction)
    rows.push({
      feature: '(prediction)',
      psi: psi(d.prediction.psi),
      status: d.prediction.status ?? '—',
      n: d.prediction.n,
      reference: '',
      served: '',
    });
  return rows;
}

/** `mlapi admin drift <service>`: the served inputs and predictions against the training distribution. */
export function registerDrift(admin: Command): void {
  admin
    .command('drift')
    .description(
      "Served inputs and predictions against the model card's training distribution: PSI and ok/warn/alert per feature",
    )
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .option('--model-version <version>', 'the model version (default: the live one)')
    .option('--from <time>', 'start of the window, a date or date-time (default: 24 hours before --to)')
    .option('--to <time>', 'end of the window (default: now)')
    .addHelpText('after', '\nExamples:\n  $ mlapi admin drift v2\n  $ mlapi admin drift v1 --from 2026-12-01 --json')
    .action(async (service: ServiceVersion, _opts: unknown, cmd: Command) => {
      const ctx = context(cmd);
      const { modelVersion, from, to } = parseOptions(driftOptions, cmd.opts());
      const d = await ctx.signedIn().models.drift.query({ service, version: modelVersion, from, to });
      if (ctx.json) return printJson(d);
      out(
        `${service} ${d.model_version}, ${formatTime(d.from)} → ${formatTime(d.to)}: ${d.status} ` +
          `(PSI warn ${d.thresholds.warn}, alert ${d.thresholds.alert})`,
      );
      if (!d.has_reference) return note(`${d.model_version}'s card has no reference bins: nothing to compare.`);
      printTable(driftRows(d), {
        feature: 'feature',
        psi: 'PSI',
        status: 'status',
        n: 'n',
        reference: 'mean (training)',
        served: 'mean (served)',
      });
      if (d.text)
        printTable(
          [
            {
              figure: 'out-of-vocabulary',
              reference: percent(d.text.oov_rate.reference),
              served: percent(d.text.oov_rate.served),
            },
            {
              figure: 'mean tokens',
              reference: mean(d.text.mean_tokens.reference),
              served: mean(d.text.mean_tokens.served),
            },
          ],
          { figure: '', reference: 'training', served: 'served' },
        );
      if ((d.prediction?.n ?? 0) === 0) note('No predictions of this version in the window.');
    });
}
