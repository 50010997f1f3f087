import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * A named API key for scripts. Only the SHA-256 of the key is stored (keys are 256-bit random, so a fast hash is
 * enough); `prefix` is the public part shown in lists. Scoped to services; revoked keys stay for the record.
 */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.integer().primary().autoincrement(),
    owner: () => p.manyToOne(User).deleteRule('cascade'),
    name: p.string().length(100),
    prefix: p.string().length(32),
    keyHash: p.string().length(64).unique(),
    scopeV1: p.boolean().default(false),
    scopeV2: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
  // One owner's keys, newest first, page after page by key (and the owner's rows for the foreign key).
  indexes: [{ properties: ['owner', 'id'] }],
});

export type IApiKey = InferEntity<typeof ApiKey>;
