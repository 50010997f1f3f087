import { createClient, normalizeUrl, type MlapiClient } from '@mlapi/sdk';
import type { Command } from 'commander';
import { z } from 'zod';
import { CredentialStore } from './credentials.ts';
import { defaultUrl } from './defaults.ts';
import { UsageError, formatIssues } from './errors.ts';
import { formatTime } from './output.ts';

const globalSchema = z.object({
  url: z.string().min(1).default(defaultUrl),
  token: z.string().min(1).optional(),
  json: z.boolean().default(false),
});
type GlobalOptions = z.infer<typeof globalSchema>;

/** Parses a command's options with its zod schema; a failure is a usage error (exit 2). */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(formatIssues(result.error, '--'));
  return result.data;
}

/** What every command needs: the global options, the server URL, a client, and the credential store. */
export interface Ctx extends GlobalOptions {
  store: CredentialStore;
  /** A client with the best credential at hand: --token / MLAPI_TOKEN, else the one stored by `mlapi login`. */
  client(): MlapiClient;
  /** Same, but fails early (exit 1, with the hint) when there is no credential at all. */
  signedIn(): MlapiClient;
}

/** `14:05`, or `2025-01-01 14:05` when not today (local time). */
function expiryTime(at: Date, now = new Date()): string {
  const hm = formatTime(at).slice(11, 16);
  return at.toDateString() === now.toDateString() ? hm : `${formatTime(at).slice(0, 10)} ${hm}`;
}

export function context(cmd: Command): Ctx {
  const globals = parseOptions(globalSchema, cmd.optsWithGlobals());
  let url: string;
  try {
    url = normalizeUrl(globals.url);
  } catch (err) {
    throw new UsageError(`--url: ${(err as Error).message}`);
  }
  const store = new CredentialStore();
  const token = () => globals.token ?? store.get(url)?.token;
  /** A stored token past its expiry (the CLI knows it from `expires_in` at login) is not worth a request. */
  const expired = (): Date | undefined => {
    if (globals.token !== undefined) return undefined;
    const stored = store.get(url);
    const at = stored?.expires_at ? new Date(stored.expires_at) : undefined;
    return at && !Number.isNaN(at.getTime()) && at.getTime() <= Date.now() ? at : undefined;
  };
  return {
    ...globals,
    url,
    store,
    client: () => createClient({ url, token: token() }),
    signedIn: () => {
      const t = token();
      if (!t) throw new Error(`not signed in to ${url} — run \`mlapi login\` (or pass --token / MLAPI_TOKEN)`);
      const at = expired();
      if (at)
        throw new Error(`your session expired at ${expiryTime(at)} — run \`mlapi login\` to sign in to ${url} again`);
      return createClient({ url, token: t });
    },
  };
}
