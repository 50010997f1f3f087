import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, type Database, type Repositories } from '../src/index.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { newUser, until } from './fixtures.ts';

describe.each(testDialects)('the cache of what authorization reads on %s', (dialect) => {
  const database = createTestDatabase(dialect);
  let db: Database;
  let data: Repositories;
  beforeAll(async () => {
    db = await openDatabase(database.url);
    await db.changes.start();
    data = createRepositories(db);
  });
  afterAll(async () => {
    await db?.close();
    await database.drop();
  });

  const audit = { actor: { id: 1, username: 'admin' }, action: 'test', details: {} };

  it('answers a user from memory once read, and this process’s own changes drop it before they return', async () => {
    const user = await data.users.insert(newUser(`cached.${dialect}@example.com`));
    const { hits, misses } = data.auth.stats;
    expect((await data.auth.user(user.id))?.hasAccessV1).toBe(true);
    expect((await data.auth.user(user.id))?.hasAccessV1).toBe(true);
    expect(data.auth.stats.misses - misses).toBe(1);
    expect(data.auth.stats.hits - hits).toBe(1);

    await data.auditLog.audited(audit, async (users) => {
      await users.update(user.id, { hasAccessV1: false });
      return { target: user, result: undefined };
    });
    expect((await data.auth.user(user.id))?.hasAccessV1).toBe(false);

    await data.users.changePassword(user.id, 'y');
    expect((await data.auth.user(user.id))?.tokenVersion).toBe(user.tokenVersion + 1);

    await data.auditLog.audited(audit, async (users) => {
      await users.delete(user.id);
      return { target: user, result: undefined };
    });
    expect(await data.auth.user(user.id)).toBeNull();
  });

  it('answers a key’s owner from memory, and a revocation drops it', async () => {
    const user = await data.users.insert(newUser(`keyed.${dialect}@example.com`));
    const hash = 'a'.repeat(64);
    const key = await data.apiKeys.create({
      ownerId: user.id,
      name: 'k',
      prefix: 'mlk_x',
      keyHash: hash,
      scopeV1: true,
      scopeV2: false,
    });
    expect((await data.auth.keyOwner(hash))?.user.id).toBe(user.id);
    const { hits } = data.auth.stats;
    const found = await data.auth.keyOwner(hash);
    expect(data.auth.stats.hits - hits).toBe(1);
    const now = new Date();
    await data.auth.touchKey(hash, found!.key, now);
    expect((await data.auth.keyOwner(hash))?.key.lastUsedAt?.getTime()).toBe(now.getTime());

    expect(await data.apiKeys.revokeOwned(user.id, key.id, new Date())).toBe(true);
    expect(await data.auth.keyOwner(hash)).toBeNull();
  });

  it('a read that overlaps a change is answered but not kept', async () => {
    const user = await data.users.insert(newUser(`raced.${dialect}@example.com`));
    const reading = data.auth.user(user.id);
    // The change is committed (and told) while the read is in flight.
    db.changes.committed({ kind: 'user', id: user.id });
    await reading;
    const { misses } = data.auth.stats;
    await data.auth.user(user.id);
    expect(data.auth.stats.misses - misses).toBe(1);
  });

  it.runIf(dialect === 'postgresql')(
    'another writer’s change arrives by notification and drops the entry',
    async () => {
      const other = await openDatabase(database.url, { migrate: false });
      try {
        const user = await data.users.insert(newUser(`elsewhere.${dialect}@example.com`));
        expect((await data.auth.user(user.id))?.isActive).toBe(true);
        expect((await data.auth.user(user.id))?.isActive).toBe(true);
        const seen: unknown[] = [];
        const stop = db.changes.subscribe((change) => seen.push(change));
        await other.sql.write('update users set is_active = false where id = ?', [user.id]);
        await until(() => seen.length > 0);
        stop();
        expect(seen).toContainEqual({ kind: 'user', id: user.id });
        expect((await data.auth.user(user.id))?.isActive).toBe(false);

        // Bookkeeping on a key (its last use) notifies nothing; a revocation does. Notifications come in commit order.
        const key = await data.apiKeys.create({
          ownerId: user.id,
          name: 'k',
          prefix: 'mlk_y',
          keyHash: 'b'.repeat(64),
          scopeV1: true,
          scopeV2: false,
        });
        seen.length = 0;
        const stopKeys = db.changes.subscribe((change) => seen.push(change));
        await other.sql.write('update api_keys set last_used_at = ? where id = ?', [
          other.sql.value(new Date()),
          key.id,
        ]);
        await other.sql.write('update api_keys set revoked_at = ? where id = ?', [other.sql.value(new Date()), key.id]);
        await until(() => seen.length > 0);
        stopKeys();
        expect(seen).toEqual([{ kind: 'key', hash: 'b'.repeat(64) }]);
        // Still live (a heartbeat late for a moment on a busy machine turns it off until the next one comes back).
        await until(() => db.changes.live());
      } finally {
        await other.close();
      }
    },
  );
});
