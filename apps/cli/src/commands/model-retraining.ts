import { retrainInput, serviceVersions, type RetrainJobDto, type ServiceVersion } from '@mlapi/schemas';
import { Argument, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { note, out, printJson, printTable } from '../output.ts';

const retrainOptions = z.object({
  as: retrainInput.shape.version,
  autoShadow: z.boolean().default(false),
  watch: z.boolean().default(false),
});

type Report = NonNullable<RetrainJobDto['evaluation']>;
type Metrics = Report['recent']['candidate'];
type Estimate = NonNullable<Metrics['mae']>;

/** A figure with its bootstrap interval: `1,040 [980–1,100]` (money rounded, scores to 3 places). */
function estimate(e: Estimate | undefined, money: boolean): string {
  if (!e || e.value === null) return '—';
  const f = (v: number | null) => (v === null ? '?' : money ? Math.round(v).toLocaleString('en') : v.toFixed(3));
  return `${f(e.value)} [${f(e.low)}–${f(e.high)}]`;
}

const figureNames = { mae: 'MAE', rmse: 'RMSE', r2: 'R²', f1: 'F1', accuracy: 'accuracy' };

/** The report as rows: each evaluation set's figures, candidate beside live. */
function reportRows(report: Report) {
  const rows: Record<string, string>[] = [];
  for (const [name, set] of [
    ['recent', report.recent],
    ['held-out', report.holdout],
  ] as const) {
    const figures = set.candidate.mae ? (['mae', 'rmse', 'r2'] as const) : (['f1', 'accuracy'] as const);
    rows.push({ set: `${name} (n=${set.candidate.n})`, figure: '', candidate: '', live: '' });
    for (const f of figures)
      rows.push({
        set: '',
        figure: figureNames[f],
        candidate: estimate(set.candidate[f], f !== 'r2' && f !== 'f1' && f !== 'accuracy'),
        live: estimate(set.live[f], f !== 'r2' && f !== 'f1' && f !== 'accuracy'),
      });
  }
  return rows;
}

/** A job for a person: its state, and once evaluated, the gate's verdict and figures. */
function printJob(job: RetrainJobDto): void {
  const by = job.requested_by ? ` by ${job.requested_by}` : '';
  out(`${job.service} retraining job ${job.id} (version ${job.version}${by}): ${job.state}, ${job.phase}`);
  if (job.error) out(`  ${job.error}`);
  if (job.state !== 'running') out(`  trained on ${job.train_examples} labelled examples flagged for training`);
  const report = job.evaluation;
  if (!report) return;
  out(`\nEvaluation gate against ${report.live_version}: ${report.gate.passed ? 'passed' : 'FAILED'}`);
  for (const reason of report.gate.reasons) out(`  ${reason}`);
  out('');
  printTable(reportRows(report), {
    set: 'set',
    figure: 'figure',
    candidate: 'candidate [95 % CI]',
    live: 'live [95 % CI]',
  });
  if (job.shadow_started)
    out(`\n${job.version} is now a shadow of ${report.live_version}: mlapi admin models compare ${job.service}`);
  else if (job.state === 'succeeded') out(`\nTry it: mlapi admin models deploy ${job.service} ${job.version} --shadow`);
}

/** Follows a job until it ends: a progress bar on a terminal, a line per phase elsewhere. */
async function watch(job: RetrainJobDto, next: () => Promise<RetrainJobDto>): Promise<RetrainJobDto> {
  const bar = process.stderr.isTTY
    ? new SingleBar({ stream: process.stderr, format: '{phase} [{bar}] {value}/{total}', hideCursor: true })
    : undefined;
  let phase = '';
  bar?.start(1, 0, { phase: job.phase });
  while (job.state === 'running') {
    if (bar) {
      bar.setTotal(Math.max(1, job.progress.total));
      bar.update(job.progress.total ? job.progress.done : 0, { phase: job.phase });
    } else if (job.phase !== phase) note(`${job.phase}…`);
    phase = job.phase;
    await sleep(500);
    job = await next();
  }
  bar?.stop();
  return job;
}

/** `mlapi admin models retrain|retrain-status`: retraining behind the evaluation gate. */
export function registerRetrainCommands(models: Command): void {
  models
    .command('retrain')
    .description(
      "Retrain the service's built-in model type on its base data set plus the examples flagged for training; the result is evaluated against the live version and registered",
    )
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .option('--as <version>', 'the new version (default: the highest registered, its minor part + 1)')
    .option('--auto-shadow', 'start a shadow rollout of it when the evaluation gate passes')
    .option('--watch', 'follow the job until it ends, then print the evaluation')
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi admin dataset flag v2 --from 2026-11-01 --train
  $ mlapi admin models retrain v2 --watch
  $ mlapi admin models retrain v1 --as 1.4.0 --auto-shadow --json
The job runs on the server; mlapi admin models retrain-status <service> [job] shows it later.`,
    )
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const { as: version, autoShadow, watch: follow } = parseOptions(retrainOptions, cmd.opts());
      const client = ctx.signedIn();
      let job = await client.retraining.start.mutate({ service, version, auto_shadow: autoShadow });
      if (follow) job = await watch(job, () => client.retraining.job.query({ service, job_id: job.id }));
      if (ctx.json) return printJson(job);
      if (!follow) {
        out(`${service}: retraining job ${job.id} started; it registers version ${job.version} when it ends.`);
        out(`  Follow it: mlapi admin models retrain-status ${service} ${job.id}`);
        return;
      }
      printJob(job);
      if (job.state === 'failed') process.exitCode = 1;
    });

  models
    .command('retrain-status')
    .description("A retraining job's progress, outcome and evaluation (default: the service's latest)")
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .argument('[job]', 'the job id')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin models retrain-status v2\n  $ mlapi admin models retrain-status v2 3 --json',
    )
    .action(async (service: ServiceVersion, id: string | undefined, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const client = ctx.signedIn();
      const job =
        id === undefined
          ? (await client.retraining.jobs.query({ service })).items[0]
          : await client.retraining.job.query({ service, job_id: Number(id) });
      if (!job) {
        out(`${service} has not been retrained yet: mlapi admin models retrain ${service}`);
        return;
      }
      if (ctx.json) return printJson(job);
      printJob(job);
    });
}
