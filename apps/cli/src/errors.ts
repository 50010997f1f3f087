import { isMlapiError, type MlapiError } from '@mlapi/sdk';
import { CommanderError } from 'commander';
import { ZodError } from 'zod';

const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Zod issues as one line. The messages name their field ("perMinute must be a number", see @mlapi/schemas'
 * wording); for option schemas (`prefix` `--`) the field is written as the flag the user typed: "--per-minute must
 * be a number", "--services must be one of: v1, v2".
 */
export function formatIssues(err: ZodError, prefix = ''): string {
  return err.issues
    .map((i) => {
      if (!i.path.length) return i.message;
      const field = i.path.join('.');
      const named = prefix
        ? `${prefix}${kebab(String(i.path[0]))}${i.path
            .slice(1)
            .filter((p) => typeof p !== 'number')
            .map((p) => `.${String(p)}`)
            .join('')}`
        : field;
      return i.message.includes(field) ? i.message.replace(field, named) : `${named}: ${i.message}`;
    })
    .join('; ');
}

function describeApiError(err: MlapiError): string {
  switch (err.code) {
    case 'UNAUTHORIZED':
      // A refused login is its own answer; anything else means the stored or given token is not (or no longer) valid.
      return err.path === 'auth.token' ? err.message : `${err.message} — run \`mlapi login\` to sign in to ${err.url}`;
    case 'FORBIDDEN':
      return err.message; // the server names the missing right (inactive account, has_access_vN, admin)
    case 'NETWORK_ERROR':
      return `${err.message} — is the server running? (set --url or MLAPI_URL)`;
    case 'BAD_REQUEST':
      return err.message;
    default:
      return `${err.message} (${err.status} ${err.code})`;
  }
}

/** The one place where a failure becomes an exit code and a message for stderr. */
export function classify(err: unknown): { exitCode: number; message: string | null } {
  if (err instanceof CommanderError) {
    // help and --version "fail" with exit code 0; commander already printed its own message.
    if (err.exitCode === 0) return { exitCode: ExitCode.ok, message: null };
    return { exitCode: ExitCode.usage, message: null };
  }
  if (err instanceof UsageError) return { exitCode: ExitCode.usage, message: err.message };
  if (err instanceof ZodError) return { exitCode: ExitCode.usage, message: formatIssues(err, '--') };
  if (isMlapiError(err)) return { exitCode: ExitCode.failure, message: describeApiError(err) };
  if (err instanceof TypeError && /server URL/.test(err.message))
    return { exitCode: ExitCode.usage, message: err.message };
  if (err instanceof Error) return { exitCode: ExitCode.failure, message: err.message };
  return { exitCode: ExitCode.failure, message: String(err) };
}
