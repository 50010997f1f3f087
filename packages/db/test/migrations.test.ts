import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { openDatabase, type Database } from '../src/index.ts';

describe.each(testDialects)('migrations on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  let db: Database | undefined;
  afterAll(async () => {
    await db?.close();
    await testDb.drop();
  });

  it('the committed migrations create exactly the schema the entities describe', async () => {
    db = await openDatabase(testDb.url);
    const pending = await db.orm.getMigrator().getPendingMigrations();
    expect(pending).toEqual([]);
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });
});

describe.each(testDialects)('migrating down and up again on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  afterAll(() => testDb.drop());

  it('every migration can be reverted, and re-applied to the same schema', async () => {
    const db = await openDatabase(testDb.url);
    try {
      const migrator = db.orm.getMigrator();
      const applied = (await migrator.getExecutedMigrations()).length;
      expect(applied).toBeGreaterThan(0);
      await migrator.down({ to: 0 });
      expect(await migrator.getExecutedMigrations()).toEqual([]);
      expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).toMatch(/create table/i);
      await migrator.up();
      expect((await migrator.getExecutedMigrations()).length).toBe(applied);
      expect((await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    } finally {
      await db.close();
    }
  });
});
