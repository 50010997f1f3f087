import { createHash, randomBytes } from 'node:crypto';
import type { AuthReadsRepository, KeySnapshot } from '@mlapi/db';

export const apiKeyPrefix = 'mlk_';

const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new key: `mlk_<8 public chars>_<43 secret chars>`; only its hash is stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const id = randomBytes(6).toString('base64url');
  const key = `${apiKeyPrefix}${id}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: `${apiKeyPrefix}${id}`, hash: hashApiKey(key) };
}

/** The hash to look a presented key up by; null when it cannot be a key of ours. */
export const presentedKeyHash = (key: string): string | null =>
  key.startsWith(apiKeyPrefix) && key.length <= 200 ? hashApiKey(key) : null;

/** Notes the key's use at most once a minute, so scripts don't turn every call into a write. */
export async function touchKey(auth: AuthReadsRepository, hash: string, key: KeySnapshot, now: Date): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < 60_000) return;
  await auth.touchKey(hash, key, now);
}
