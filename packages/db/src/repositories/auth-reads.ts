import type { Change, ChangeFeed } from '../changes/change-feed.ts';
import type { KeySnapshot, UserRecord } from '../records.ts';
import type { ApiKeysRepository } from './api-keys.ts';
import type { UsersRepository } from './users.ts';

/** Entries kept per map at most; past that the oldest entry goes first. */
const maxEntries = 100_000;

/** How the cache has answered since start (for /metrics). */
export interface AuthReadStats {
  hits: number;
  misses: number;
  /** Reads made while the change feed was not live (the cache was off). */
  readThrough: number;
}

interface CachedKey {
  ownerId: number;
  key: KeySnapshot;
}

/**
 * The reads every authenticated request makes — the user as stored now, and the owner of a presented API key —
 * served from a per-process cache that the change feed keeps correct (changes/change-feed.ts):
 * - a change this process commits drops its entry before the write's caller replies;
 * - on PostgreSQL another writer's change drops it when its notification arrives (within the feed's bound);
 * - while the feed is not live, nothing is served from the cache or stored in it: every request reads through.
 * A read that overlapped any change (the generation moved while it ran) answers but is not stored, so a row read
 * before a change can never be cached after its notification. Misses (unknown user, unknown key) are not cached.
 */
export function authReadsRepository(feed: ChangeFeed, users: UsersRepository, apiKeys: ApiKeysRepository) {
  const byId = new Map<number, UserRecord>();
  const byHash = new Map<string, CachedKey>();
  const stats: AuthReadStats = { hits: 0, misses: 0, readThrough: 0 };
  let generation = 0;

  const put = <K, V>(map: Map<K, V>, key: K, value: V) => {
    if (map.size >= maxEntries && !map.has(key)) map.delete(map.keys().next().value!);
    map.set(key, value);
  };

  feed.subscribe((change: Change) => {
    if (change.kind === 'model') return;
    generation++;
    if (change.kind === 'user') byId.delete(change.id);
    else if (change.kind === 'key') byHash.delete(change.hash);
    else {
      byId.clear();
      byHash.clear();
    }
  });

  /** Loads through `load`, storing the result only if no change came in meanwhile and the feed stayed live. */
  async function loaded<T>(load: () => Promise<T>, store: (value: T) => void): Promise<T> {
    const before = generation;
    const value = await load();
    if (generation === before && feed.live()) store(value);
    return value;
  }

  return {
    stats,

    /** The user of this id as stored now, or null. */
    async user(id: number): Promise<UserRecord | null> {
      if (!feed.live()) {
        stats.readThrough++;
        return users.byId(id);
      }
      const cached = byId.get(id);
      if (cached) {
        stats.hits++;
        return cached;
      }
      stats.misses++;
      return loaded(
        () => users.byId(id),
        (user) => user && put(byId, id, user),
      );
    },

    /** The owner and the key for a live (not revoked) key hash; null otherwise. */
    async keyOwner(hash: string): Promise<{ user: UserRecord; key: KeySnapshot } | null> {
      if (!feed.live()) {
        stats.readThrough++;
        return apiKeys.ownerOfKey(hash);
      }
      const key = byHash.get(hash);
      const user = key && byId.get(key.ownerId);
      if (key && user) {
        stats.hits++;
        return { user, key: key.key };
      }
      stats.misses++;
      return loaded(
        () => apiKeys.ownerOfKey(hash),
        (found) => {
          if (!found) return;
          put(byId, found.user.id, found.user);
          put(byHash, hash, { ownerId: found.user.id, key: found.key });
        },
      );
    },

    /** Notes a key's use now (bookkeeping, no change notified): the cached copy keeps the new time. */
    async touchKey(hash: string, key: KeySnapshot, now: Date): Promise<void> {
      await apiKeys.touch(key.id, now);
      const cached = byHash.get(hash);
      if (cached?.key.id === key.id)
        byHash.set(hash, { ...cached, key: Object.freeze({ ...cached.key, lastUsedAt: now }) });
    },
  };
}

export type AuthReadsRepository = ReturnType<typeof authReadsRepository>;
