import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// docker-compose.yml passes the database password apart from DATABASE_URL (PGPASSWORD), so `/ # ? %` in it cannot
// break the URL; the deployment test checks the compose file, this one that the driver takes the password so.
describe('PostgreSQL connection options', () => {
  it('the PostgreSQL driver takes PGPASSWORD when DATABASE_URL has no password (what compose relies on)', async () => {
    // MikroORM → knex → pg, as the server connects, stopping short of a connection: pg reads PGPASSWORD when the
    // options it gets carry no password (checked for real against a scram-sha-256 cluster when this was written).
    const orm = MikroORM.initSync({
      driver: PostgreSqlDriver,
      clientUrl: 'postgresql://mlapi@db:5432/mlapi',
      entities: [],
      discovery: { warnWhenNoEntities: false },
    });
    const knexOptions = (
      orm.em.getConnection() as unknown as { getKnexOptions(type: string): { connection: object } }
    ).getKnexOptions('pg');
    await orm.close();
    const { Client } = createRequire(import.meta.url)('pg') as {
      Client: new (config: object) => { password: string | null };
    };
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'p/a#s?s%w@rd:x';
    try {
      expect(new Client(knexOptions.connection).password).toBe('p/a#s?s%w@rd:x');
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });
});
