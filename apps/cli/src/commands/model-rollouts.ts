import { rolloutInput, serviceVersions, type ServiceVersion } from '@mlapi/schemas';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { out, printJson } from '../output.ts';

const deployOptions = z.object({ canary: z.coerce.number().pipe(rolloutInput.shape.percent) });

/** `mlapi admin models deploy`: try a registered version beside the live one. */
export function registerRolloutCommands(models: Command): void {
  models
    .command('deploy')
    .description('Try a registered version beside the live one, on every replica: a canary answers a share of users')
    .addArgument(new Argument('<service>', 'model service').choices(serviceVersions))
    .argument('<version>', 'the registered version to try')
    .requiredOption('--canary <percent>', 'the share of users it answers, 1–99 (each user always the same version)')
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi admin models deploy v2 1.2.0 --canary 10
  $ mlapi admin models deploy v1 2.0.0 --canary 50 --json
Then: mlapi admin models promote <service> <version> makes it live for everyone; mlapi admin models rollback
<service> stops it. One rollout per service at a time.`,
    )
    .action(async (service: ServiceVersion, version: string, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const { canary } = parseOptions(deployOptions, cmd.opts());
      const r = await ctx.signedIn().models.rollout.mutate({ service, version, mode: 'canary', percent: canary });
      if (ctx.json) return printJson(r);
      out(
        `${service}: ${r.candidate} answers ${r.percent}% of users (a canary beside ${r.baseline}), on every replica.`,
      );
      out(`  Make it live: mlapi admin models promote ${service} ${r.candidate}`);
      out(`  Stop it:      mlapi admin models rollback ${service}`);
    });
}
