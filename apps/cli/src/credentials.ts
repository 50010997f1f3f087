import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { cliEnv, type CliEnv } from './env.ts';

/** What `mlapi login` keeps per server URL. */
export interface StoredCredential {
  token: string;
  username: string;
  /** ISO time the token expires, from the server's `expires_in`. */
  expires_at: string;
}

interface CredentialsFile {
  servers: Record<string, StoredCredential>;
}

/** `$XDG_CONFIG_HOME/mlapi/credentials.json`, else `~/.config/mlapi/credentials.json`. */
function credentialsPath(env: CliEnv = cliEnv()): string {
  const base = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(base, 'mlapi', 'credentials.json');
}

function readAll(path: string): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CredentialsFile>;
    return { servers: typeof parsed.servers === 'object' && parsed.servers ? parsed.servers : {} };
  } catch {
    throw new Error(`${path} is not valid JSON: fix or delete it, then run \`mlapi login\` again`);
  }
}

/** Writes atomically (temporary file + rename), owner-only (0600) inside an owner-only folder. */
function writeAll(path: string, file: CredentialsFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export class CredentialStore {
  constructor(readonly path: string = credentialsPath()) {}

  get(url: string): StoredCredential | undefined {
    return readAll(this.path).servers[url];
  }

  set(url: string, credential: StoredCredential): void {
    const file = readAll(this.path);
    file.servers[url] = credential;
    writeAll(this.path, file);
  }

  /** Removes the server's entry; false when there was none. */
  delete(url: string): boolean {
    const file = readAll(this.path);
    if (!(url in file.servers)) return false;
    delete file.servers[url];
    writeAll(this.path, file);
    return true;
  }
}
