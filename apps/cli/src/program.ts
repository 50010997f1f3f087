import { Command, Option } from 'commander';
import { registerAdmin } from './commands/admin.ts';
import { registerAuth } from './commands/auth.ts';
import { registerFeedback } from './commands/feedback.ts';
import { registerKeys } from './commands/keys.ts';
import { registerModels } from './commands/models.ts';
import { registerPredict } from './commands/predict.ts';
import { registerUser } from './commands/user.ts';
import { defaultUrl } from './context.ts';
import { classify } from './errors.ts';

export const cliVersion = '0.1.0';

/** Commander's usage errors and help go to stderr (help asked for with --help goes to stdout). */
function configure(cmd: Command): void {
  cmd.exitOverride();
  cmd.showHelpAfterError('(add --help for usage and examples)');
  for (const sub of cmd.commands) configure(sub);
}

export function createProgram(): Command {
  const program = new Command('mlapi')
    .description('Command-line client for an mlapi server: log in, predict, give feedback, administer users.')
    .version(cliVersion)
    .addOption(new Option('--url <url>', 'server URL').env('MLAPI_URL').default(defaultUrl))
    .addOption(new Option('--token <token>', 'access token (else the one `mlapi login` stored for --url)').env('MLAPI_TOKEN'))
    .option('--json', 'machine-readable JSON output')
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 failure, 2 usage error.

Examples:
  $ mlapi login --username superuser@example.com
  $ mlapi admin grant ada@example.com v1 --activate
  $ mlapi predict v1 "Subject: minutes\\n\\nHi Tom, here are the minutes of Tuesday's meeting."
  $ mlapi predict v2 --file houses.csv --out prices.csv
  $ mlapi --json history`,
    );
  registerAuth(program);
  registerUser(program);
  registerPredict(program);
  registerModels(program);
  registerFeedback(program);
  registerAdmin(program);
  registerKeys(program);
  configure(program);
  return program;
}

/** Runs the CLI and returns the exit code; every failure is classified here, once. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return 0;
  } catch (err) {
    const { exitCode, message } = classify(err);
    if (message) process.stderr.write(`mlapi: ${message}\n`);
    return exitCode;
  }
}
