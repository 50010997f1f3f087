import { Command, CommanderError, Option } from 'commander';
import { commandDescriptions } from './command-descriptions.ts';
import { cliVersion, defaultUrl } from './defaults.ts';

type Register = (program: Command) => void;

/**
 * The top-level commands: what `mlapi --help` lists, and the module that defines each one. A module (with the
 * SDK, zod and the tables behind it) is loaded only when its command runs, so `mlapi --help` and a mistyped
 * command start in a fraction of the time.
 */
export const commandIndex: readonly { name: string; description: string; load(): Promise<Register> }[] = [
  {
    name: 'login',
    description: commandDescriptions.login,
    load: async () => (await import('./commands/auth.ts')).registerAuth,
  },
  {
    name: 'logout',
    description: commandDescriptions.logout,
    load: async () => (await import('./commands/auth.ts')).registerAuth,
  },
  {
    name: 'register',
    description: commandDescriptions.register,
    load: async () => (await import('./commands/auth.ts')).registerAuth,
  },
  {
    name: 'whoami',
    description: commandDescriptions.whoami,
    load: async () => (await import('./commands/user.ts')).registerUser,
  },
  {
    name: 'passwd',
    description: commandDescriptions.passwd,
    load: async () => (await import('./commands/user.ts')).registerUser,
  },
  {
    name: 'history',
    description: commandDescriptions.history,
    load: async () => (await import('./commands/user.ts')).registerUser,
  },
  {
    name: 'predict',
    description: commandDescriptions.predict,
    load: async () => (await import('./commands/predict.ts')).registerPredict,
  },
  {
    name: 'models',
    description: commandDescriptions.models,
    load: async () => (await import('./commands/models.ts')).registerModels,
  },
  {
    name: 'feedback',
    description: commandDescriptions.feedback,
    load: async () => (await import('./commands/feedback.ts')).registerFeedback,
  },
  {
    name: 'metrics',
    description: commandDescriptions.metrics,
    load: async () => (await import('./commands/feedback.ts')).registerFeedback,
  },
  {
    name: 'admin',
    description: commandDescriptions.admin,
    load: async () => (await import('./commands/admin.ts')).registerAdmin,
  },
  {
    name: 'keys',
    description: commandDescriptions.keys,
    load: async () => (await import('./commands/keys.ts')).registerKeys,
  },
];

/** Commander's usage errors and help go to stderr (help asked for with --help goes to stdout). */
function configure(cmd: Command): void {
  cmd.exitOverride();
  cmd.showHelpAfterError('(add --help for usage and examples)');
  for (const sub of cmd.commands) configure(sub);
}

/** The program with its global options and no command yet. */
function baseProgram(): Command {
  return new Command('mlapi')
    .description('Command-line client for an mlapi server: log in, predict, give feedback, administer users.')
    .version(cliVersion)
    .addOption(new Option('--url <url>', 'server URL').env('MLAPI_URL').default(defaultUrl))
    .addOption(
      new Option('--token <token>', 'access token (else the one `mlapi login` stored for --url)').env('MLAPI_TOKEN'),
    )
    .option('--json', 'machine-readable JSON output')
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 failure, 2 usage error.

Examples:
  $ mlapi login --username superuser@example.com
  $ mlapi admin grant ada@example.com v1 --activate
  $ mlapi predict v1 $'Subject: minutes\\n\\nHi Tom, here are the minutes of Tuesday\\'s meeting.'
  $ mlapi predict v2 --file examples/houses.csv --out prices.csv
  $ mlapi --json history`,
    );
}

/**
 * The program as it starts: one light stand-in per command (name and description, for `--help`, "did you mean"
 * and dispatch). A stand-in's action loads the command's module and parses the same command line again with
 * the real definition, which then handles options, subcommands, its own --help and errors.
 */
export function createProgram(argv: readonly string[] = process.argv): Command {
  const program = baseProgram();
  for (const entry of commandIndex) {
    program
      .command(entry.name)
      .description(entry.description)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(async () => {
        const full = baseProgram();
        (await entry.load())(full);
        configure(full);
        await full.parseAsync([...argv]);
      });
  }
  configure(program);
  return program;
}

/** Every command with its real definition (for tests and tools that walk the whole tree). */
export async function createFullProgram(): Promise<Command> {
  const program = baseProgram();
  for (const register of new Set(await Promise.all(commandIndex.map((e) => e.load())))) register(program);
  configure(program);
  return program;
}

/** Runs the CLI and returns the exit code; every failure is classified here, once. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await createProgram(argv).parseAsync([...argv]);
    return 0;
  } catch (err) {
    // Help, --version and commander's usage errors have printed their own text: no need to load the rest.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const { classify } = await import('./errors.ts');
    const { exitCode, message } = classify(err);
    if (message) process.stderr.write(`mlapi: ${message}\n`);
    return exitCode;
  }
}
