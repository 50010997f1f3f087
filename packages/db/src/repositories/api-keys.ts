import { ApiKey, type IApiKey } from '../entities/api-key.entity.ts';
import { entityColumns, entityData } from '../entity-rows.ts';
import type { RawRow } from '../driver-sql.ts';
import type { ApiKeyRecord, Counted, KeySnapshot, NewApiKeyRecord, PageRequest, UserRecord } from '../records.ts';
import type { RepositoryContext } from './context.ts';
import { userColumns, userRecord } from './users.ts';
import { cappedTotal, keysetPage } from './keyset-pages.ts';

const apiKeyRecord = (k: IApiKey): ApiKeyRecord =>
  Object.freeze({
    id: k.id,
    ownerId: Number(k.owner.id),
    name: k.name,
    prefix: k.prefix,
    scopeV1: k.scopeV1,
    scopeV2: k.scopeV2,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt ?? null,
    revokedAt: k.revokedAt ?? null,
  });

export function apiKeysRepository(context: RepositoryContext) {
  const { db } = context;
  const keys = entityColumns(db.orm, ApiKey).table;
  const user = userColumns(context);
  // The owner's columns under their own names, the key's under k_ names: one read per request made with a key.
  const ownerByHashText = `select ${user.columns
    .split(', ')
    .map((c) => `u.${c}`)
    .join(', ')}, k.id as k_id, k.name as k_name,
    k.prefix as k_prefix, k.scope_v1 as k_scope_v1, k.scope_v2 as k_scope_v2, k.last_used_at as k_last_used_at
    from ${keys} k join ${user.table} u on u.id = k.owner_id
    where k.key_hash = ? and k.revoked_at is null`;

  return {
    /** The owner and the key, for a live (not revoked) key hash; null otherwise. */
    async ownerOfKey(keyHash: string): Promise<{ user: UserRecord; key: KeySnapshot } | null> {
      const [joined] = await db.sql.read(ownerByHashText, [keyHash]);
      if (!joined) return null;
      const row: RawRow = {};
      const keyRow: RawRow = {};
      for (const [column, value] of Object.entries(joined)) {
        if (column.startsWith('k_')) keyRow[column.slice(2)] = value;
        else row[column] = value;
      }
      return { user: userRecord(context, row), key: Object.freeze(entityData<KeySnapshot>(db.orm, ApiKey, keyRow)) };
    },

    /** Notes that a key was used now. */
    async touch(id: number, now: Date): Promise<void> {
      await db.sql.write(`update ${keys} set last_used_at = ? where id = ?`, [db.sql.value(now), id]);
    },

    async create(key: NewApiKeyRecord): Promise<ApiKeyRecord> {
      const em = db.fork();
      const { ownerId, ...rest } = key;
      const entity = em.create(ApiKey, { ...rest, owner: ownerId });
      await em.flush();
      return apiKeyRecord(entity);
    },

    /** One owner's keys, newest first (the (owner_id, id) index). The sort key (`after`, `next`) is [id]. */
    async listOwned(ownerId: number, { limit, offset, after }: PageRequest): Promise<Counted<ApiKeyRecord>> {
      const where = after ? { owner: ownerId, id: { $lt: after[0]! } } : { owner: ownerId };
      const rows = await db
        .fork()
        .find(ApiKey, where, { orderBy: { id: 'desc' }, limit: limit + 1, ...(after ? {} : { offset }) });
      const counted = await cappedTotal(db.sql, `${keys} where owner_id = ?`, [ownerId]);
      return { ...keysetPage(rows.map(apiKeyRecord), limit, (k) => [k.id]), ...counted };
    },

    /** Revokes one of the owner's keys (a revoked key keeps its first revocation time); false if the owner has no such key. */
    async revokeOwned(ownerId: number, id: number, now: Date): Promise<boolean> {
      const em = db.fork();
      const key = await em.findOne(ApiKey, { id, owner: ownerId });
      if (!key) return false;
      key.revokedAt ??= now;
      await em.flush();
      db.changes.committed({ kind: 'key', hash: key.keyHash });
      return true;
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof apiKeysRepository>;
