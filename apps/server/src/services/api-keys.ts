import { createHash, randomBytes } from 'node:crypto';
import { ApiKey, type Em, type IApiKey } from '@mlapi/db';

export const apiKeyPrefix = 'mlk_';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new key: `mlk_<8 public chars>_<43 secret chars>`; only its hash is stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const id = randomBytes(6).toString('base64url');
  const key = `${apiKeyPrefix}${id}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: `${apiKeyPrefix}${id}`, hash: hashApiKey(key) };
}

/** The live key for a presented secret, with its owner loaded; null for unknown or revoked keys. */
export async function findLiveKey(em: Em, key: string): Promise<IApiKey | null> {
  if (!key.startsWith(apiKeyPrefix) || key.length > 200) return null;
  return em.findOne(ApiKey, { keyHash: hashApiKey(key), revokedAt: null }, { populate: ['owner'] });
}

/** Notes the key's use at most once a minute, so scripts don't turn every call into a write. */
export async function touchKey(em: Em, key: IApiKey, now: Date): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < 60_000) return;
  await em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: now });
}
