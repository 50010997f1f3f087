import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface JwtSecretSource {
  configured: string | undefined;
  dataDir: string;
  warn: (message: string) => void;
}

/**
 * The configured JWT_SECRET or, in development only (production config refuses to start without one), a random
 * secret generated once and kept in the data folder with mode 0600 so tokens survive restarts.
 */
export function resolveJwtSecret({ configured, dataDir, warn }: JwtSecretSource): string {
  if (configured) return configured;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  warn(`JWT_SECRET is not set: generated a development secret in ${file}. Set JWT_SECRET in production.`);
  return secret;
}
