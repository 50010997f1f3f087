import password from '@inquirer/password';
import { createInterface } from 'node:readline/promises';
import { UsageError } from './errors.ts';

/** Prompts happen on stderr, and only when a person can answer. */
export const canPrompt = () => Boolean(process.stdin.isTTY);

export async function askText(question: string, flag: string): Promise<string> {
  if (!canPrompt()) throw new UsageError(`${flag} is required when stdin is not a terminal`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question}: `)).trim();
    if (!answer) throw new UsageError(`${flag} must not be empty`);
    return answer;
  } finally {
    rl.close();
  }
}

/** A yes/no question on stderr; only `y` or `yes` is a yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** A password without echo. */
export async function askPassword(message: string): Promise<string> {
  if (!canPrompt()) throw new UsageError('no terminal to ask for the password: pipe it in with --password-stdin');
  return password({ message }, { output: process.stderr });
}

/** A new password, asked twice. */
export async function askNewPassword(message = 'New password'): Promise<string> {
  const first = await askPassword(message);
  const second = await askPassword('Repeat it');
  if (first !== second) throw new UsageError('the two passwords differ');
  return first;
}

/** All of stdin as text (for `-` arguments and --password-stdin). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The lines of stdin without their line endings (a password may contain spaces, so nothing else is trimmed). */
export async function readStdinLines(): Promise<string[]> {
  return (await readStdin()).split(/\r?\n/);
}
