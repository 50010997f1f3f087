import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundle = join(cliRoot, 'dist', 'mlapi.js');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A user's machine: its own HOME and XDG_CONFIG_HOME, so each identity has its own credentials file. */
export interface Home {
  home: string;
  config: string;
}

export function newHome(): Home {
  const home = mkdtempSync(join(tmpdir(), 'mlapi-cli-home-'));
  const config = join(home, 'xdg-config');
  mkdirSync(config);
  return { home, config };
}

/** Runs a script with node, as a user would run the installed `mlapi`, with stdin closed or fed. */
export function runNode(
  script: string,
  args: string[],
  opts: { home: Home; url?: string; input?: string; env?: Record<string, string | undefined>; cwd?: string },
): Promise<Result> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'SYSTEMROOT', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key]!;
  Object.assign(env, { HOME: opts.home.home, XDG_CONFIG_HOME: opts.home.config, NO_COLOR: '1' });
  if (opts.url) env['MLAPI_URL'] = opts.url;
  for (const [k, v] of Object.entries(opts.env ?? {}))
    if (v === undefined) delete env[k];
    else env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env,
      cwd: opts.cwd ?? opts.home.home,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** The built `mlapi` binary. */
export const mlapi = (args: string[], opts: Parameters<typeof runNode>[2]) => runNode(bundle, args, opts);

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

/** Realistic ham (the v1 model calls very short texts like "hello" spam). */
export const hamMail = (n = 0) =>
  `Subject: Re: minutes from Tuesday (${n})\n\nHi Tom, thanks for sending the minutes from the planning meeting. ` +
  'I went through them this morning and added two comments about the budget for the next quarter. ' +
  'Could we go over them on Thursday after lunch? Best regards, Anna';

/** An ordinary house for v2: the API docs' example. */
export { v2ExampleInput as house } from '@mlapi/schemas';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The built `mlapi` on a real terminal of `columns` columns: a pseudo-terminal from util-linux `script`, so
 * stdin and stdout are TTYs as for a person. `input` is typed at the terminal. Output lines end in \n.
 */
export function mlapiOnTerminal(
  args: string[],
  opts: { home: Home; url?: string; input?: string; columns?: number },
): Promise<Result> {
  const command = `stty cols ${opts.columns ?? 80} rows 50; exec ${[process.execPath, bundle, ...args].map(shellQuote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: opts.home.home,
      XDG_CONFIG_HOME: opts.home.config,
      NO_COLOR: '1',
      TERM: 'dumb',
      SHELL: '/bin/sh',
    };
    if (opts.url) env['MLAPI_URL'] = opts.url;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env,
      cwd: opts.home.home,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: stdout.replace(/\r\n/g, '\n'), stderr }));
    if (opts.input !== undefined) child.stdin.write(opts.input); // typed ahead: the terminal keeps it until read
  });
}
