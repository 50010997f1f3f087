import {
  rolloutGuardSchema,
  rolloutPercent,
  serviceVersions,
  type CompareOutput,
  type ServiceVersion,
} from '@mlapi/schemas';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { formatTime, out, printJson, printTable } from '../output.ts';

const deployOptions = z
  .object({
    canary: z.coerce.number().pipe(rolloutPercent).optional(),
    shadow: z.boolean().default(false),
    minSamples: z.coerce.number().pipe(rolloutGuardSchema.shape.min_samples.unwrap()).optional(),
    autoPromote: z.boolean().default(false),
  })
  .refine((o) => (o.canary === undefined) === o.shadow, {
    path: ['shadow'],
    message: 'use shadow or --canary <percent>, one of the two',
  });

type Side = CompareOutput['baseline'];
const percent = (v: number | null | undefined) => (v == null ? '—' : `${(100 * v).toFixed(2)} %`);
const ms = (v: number | null) => (v === null ? '—' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`);
const num = (v: number | null | undefined) => (v == null ? '—' : v.toPrecision(4));

/** The rows of a comparison: one per figure, baseline and candidate side by side. */
function comparisonRows(baseline: Side, candidate: Side) {
  const row = (figure: string, of: (s: Side) => string) => ({
    figure,
    baseline: of(baseline),
    candidate: of(candidate),
  });
  const rows = [
    row('version', (s) => s.version),
    row('calls', (s) => String(s.calls)),
    ...(baseline.shadow + candidate.shadow > 0 ? [row('  of which shadow', (s) => String(s.shadow))] : []),
    row('failure rate', (s) => percent(s.failure_rate)),
    row('latency p50', (s) => ms(s.latency_ms.p50)),
    row('latency p99', (s) => ms(s.latency_ms.p99)),
    row('with feedback', (s) => String(s.quality.count)),
  ];
  if ('mae' in baseline.quality)
    rows.push(
      row('MAE', (s) => num((s.quality as { mae: number | null }).mae)),
      row('RMSE', (s) => num((s.quality as { rmse: number | null }).rmse)),
    );
  else
    rows.push(
      row('F1', (s) => num((s.quality as { f1: number | null }).f1)),
      row('accuracy', (s) => percent((s.quality as { accuracy: number | null }).accuracy)),
    );
  return rows;
}

/** `mlapi admin models deploy|compare`: try a registered version beside the live one, and compare them. */
export function registerRolloutCommands(models: Command): void {
  models
    .command('compare')
    .description(
      'Two versions side by side: calls, failure rate, latency and quality on feedback (default: the latest rollout)',
    )
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .option('--candidate <version>', "the version tried (default: the latest rollout's candidate)")
    .option('--baseline <version>', "the version compared with (default: that rollout's baseline, else the live one)")
    .option('--from <time>', "start of the window, a date or date-time (default: the rollout's start)")
    .option('--to <time>', "end of the window (default: the rollout's end, else now)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin models compare v2\n  $ mlapi admin models compare v1 --candidate 1.2.0 --from 2026-12-01 --json',
    )
    .action(async (service: ServiceVersion, opts: Record<string, string | undefined>, cmd: Command) => {
      const ctx = context(cmd);
      const c = await ctx.signedIn().models.compare.query({ service, ...opts });
      if (ctx.json) return printJson(c);
      const how = c.rollout ? ` (the rollout started by ${c.rollout.started_by ?? 'the server'})` : '';
      out(
        `${service}: ${c.candidate.version} against ${c.baseline.version}, ${formatTime(c.from)} → ${formatTime(c.to)}${how}`,
      );
      printTable(comparisonRows(c.baseline, c.candidate), { figure: '', baseline: 'baseline', candidate: 'candidate' });
    });

  models
    .command('deploy')
    .description(
      'Try a registered version beside the live one, on every replica: a shadow predicts every call unanswered, a canary answers a share of users',
    )
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .argument('<version>', 'the registered version to try')
    .option(
      '--shadow',
      'predict every call beside the live version, off the reply path (logged and scored, never answered)',
    )
    .option('--canary <percent>', 'answer this share of users, 1–99 (each user always the same version)')
    .option('--min-samples <n>', 'predictions with feedback the guard waits for before judging it (default 200)')
    .option('--auto-promote', 'make it live on its own once every guard holds')
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi admin models deploy v2 1.2.0 --shadow
  $ mlapi admin models deploy v2 1.2.0 --canary 10
  $ mlapi admin models deploy v1 2.0.0 --canary 50 --min-samples 500 --auto-promote --json
Then: mlapi admin models compare <service> shows both versions side by side; mlapi admin models promote
<service> <version> makes it live for everyone; mlapi admin models rollback <service> stops it. Its guard rolls
it back on its own when it does worse than the live version on failures, latency or feedback (README
"Rollouts"). One rollout per service at a time.`,
    )
    .action(async (service: ServiceVersion, version: string, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const { canary, minSamples, autoPromote } = parseOptions(deployOptions, cmd.opts());
      const r = await ctx.signedIn().models.rollout.mutate({
        service,
        version,
        ...(canary === undefined ? { mode: 'shadow' as const } : { mode: 'canary' as const, percent: canary }),
        guard: minSamples === undefined ? {} : { min_samples: minSamples },
        auto_promote: autoPromote,
      });
      if (ctx.json) return printJson(r);
      out(
        r.mode === 'shadow'
          ? `${service}: ${r.candidate} predicts every call beside ${r.baseline} (a shadow: ${r.baseline} still answers), on every replica.`
          : `${service}: ${r.candidate} answers ${r.percent}% of users (a canary beside ${r.baseline}), on every replica.`,
      );
      out(
        `  Judged after ${r.guard.min_samples} predictions with feedback: rolled back if worse${r.auto_promote ? ', made live if not' : ''}.`,
      );
      out(`  Make it live: mlapi admin models promote ${service} ${r.candidate}`);
      out(`  Stop it:      mlapi admin models rollback ${service}`);
    });
}
