import { createHash } from 'node:crypto';
import type { Orm } from './orm.ts';
import type { DatabaseTarget } from './database-url.ts';
import { dialectOf } from './dialect.ts';

/** A raw row as the driver returns it (column names, the driver's own value types). */
export type RawRow = Record<string, unknown>;

/** Runs one statement inside a transaction; `?` placeholders on both dialects. */
export type RunInTransaction = (sql: string, params: unknown[]) => Promise<RawRow[]>;

/**
 * Plain SQL on the hot paths, straight through the connections MikroORM's pool already holds, without the ORM's
 * query builder, unit of work or per-query string formatting: prepared statements are cached (per connection on
 * SQLite, named statements on PostgreSQL). `?` placeholders on both dialects. Values go in as the driver takes them
 * ({@link DriverSql.value}); rows come back raw.
 *
 * SQLite reads use a read-only connection of their own: in WAL mode it never waits for a writer and sees every
 * committed write at once, and it is never inside another request's open transaction. Writes share the pool's
 * single connection with the ORM, so they queue behind its transactions instead of meeting SQLITE_BUSY.
 */
export interface DriverSql {
  readonly dialect: DatabaseTarget['dialect'];
  /** One read-only statement; sees every write committed before it starts. */
  read(sql: string, params: unknown[]): Promise<RawRow[]>;
  /** One statement on the write connection, in a transaction of its own. */
  write(sql: string, params: unknown[]): Promise<RawRow[]>;
  /** Several statements in one transaction (SQLite: BEGIN IMMEDIATE); rolled back if `work` throws. */
  transaction<T>(work: (run: RunInTransaction) => Promise<T>): Promise<T>;
  /**
   * Several statements on one connection held for `work`, each committing on its own: what a session-level
   * PostgreSQL advisory lock needs. On SQLite it is the write connection, so other writes wait meanwhile.
   */
  session<T>(work: (run: RunInTransaction) => Promise<T>): Promise<T>;
  /** A scalar JS value as this driver binds it: dates and booleans converted as MikroORM stores them. */
  value(v: unknown): unknown;
  close(): Promise<void>;
}

interface SqliteStatement {
  reader: boolean;
  all(params: unknown[]): RawRow[];
  run(params: unknown[]): unknown;
}
interface SqliteConnection {
  name: string;
  inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(sql: string): unknown;
  close(): void;
  constructor: new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteConnection;
}
interface PgClient {
  query(config: { text: string; values: unknown[]; name?: string }): Promise<{ rows: RawRow[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

export function createDriverSql(orm: Orm, target: DatabaseTarget, timeoutMs: number): DriverSql {
  const pool = orm.em.getConnection().getKnex().client as unknown as KnexClient;
  async function withConnection<C, T>(work: (connection: C) => Promise<T> | T): Promise<T> {
    const connection = (await pool.acquireConnection()) as C;
    try {
      return await work(connection);
    } finally {
      await pool.releaseConnection(connection);
    }
  }
  return target.dialect === 'sqlite' ? sqliteSql(target.path, withConnection, timeoutMs) : postgresSql(withConnection);
}

type WithConnection = <C, T>(work: (connection: C) => Promise<T> | T) => Promise<T>;

function sqliteSql(path: string, withConnection: WithConnection, timeoutMs: number): DriverSql {
  const statements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
  const statement = (connection: SqliteConnection, sql: string) => {
    let cache = statements.get(connection);
    if (!cache) statements.set(connection, (cache = new Map<string, SqliteStatement>()));
    let prepared = cache.get(sql);
    if (!prepared) {
      prepared = connection.prepare(sql);
      // Callers use a handful of fixed texts; a runaway set of one-off texts is not kept.
      if (cache.size < 1000) cache.set(sql, prepared);
    }
    return prepared;
  };
  const execute = (connection: SqliteConnection, sql: string, params: unknown[]): RawRow[] => {
    const prepared = statement(connection, sql);
    if (prepared.reader) return prepared.all(params);
    prepared.run(params);
    return [];
  };
  const inTransaction = async <T>(
    connection: SqliteConnection,
    work: (run: RunInTransaction) => Promise<T>,
  ): Promise<T> => {
    statement(connection, 'begin immediate').run([]);
    try {
      const result = await work(async (sql, params) => execute(connection, sql, params));
      statement(connection, 'commit').run([]);
      return result;
    } catch (err) {
      // SQLite may already have rolled back on its own (e.g. disk full); there is nothing left to undo then.
      if (connection.inTransaction) statement(connection, 'rollback').run([]);
      throw err;
    }
  };

  // The read-only connection, opened from the pool's own connection (same native module, same file) on first use.
  // An in-memory database has no file to share: it reads through the pool's connection instead.
  let reader: SqliteConnection | null | undefined;
  const readConnection = async (): Promise<SqliteConnection | null> => {
    if (reader !== undefined) return reader;
    if (path === ':memory:') return (reader = null);
    return withConnection<SqliteConnection, SqliteConnection>((writer) => {
      reader ??= new writer.constructor(writer.name, { readonly: true, fileMustExist: true });
      reader.pragma(`busy_timeout = ${timeoutMs}`);
      return reader;
    });
  };

  return {
    dialect: 'sqlite',
    async read(sql, params) {
      const connection = await readConnection();
      if (connection) return execute(connection, sql, params);
      return withConnection<SqliteConnection, RawRow[]>((c) => execute(c, sql, params));
    },
    // A single statement is a transaction of its own.
    write: (sql, params) => withConnection<SqliteConnection, RawRow[]>((c) => execute(c, sql, params)),
    transaction: (work) => withConnection((c: SqliteConnection) => inTransaction(c, work)),
    session: (work) => withConnection((c: SqliteConnection) => work(async (sql, params) => execute(c, sql, params))),
    value: dialectOf('sqlite').bind,
    async close() {
      reader?.close();
      reader = undefined;
    },
  };
}

function postgresSql(withConnection: WithConnection): DriverSql {
  const texts = new Map<string, { text: string; name: string }>();
  /** `?` → `$n`, and a stable statement name, once per SQL text. */
  const prepared = (sql: string) => {
    let entry = texts.get(sql);
    if (!entry) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      entry = { text, name: `mlapi_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
      if (texts.size < 1000) texts.set(sql, entry);
    }
    return entry;
  };
  /** Statements are named: parsed once per connection, then only bound and executed. */
  const query = async (client: PgClient, sql: string, params: unknown[]) => {
    const { text, name } = prepared(sql);
    return (await client.query({ name, text, values: params })).rows;
  };
  const inTransaction = async <T>(client: PgClient, work: (run: RunInTransaction) => Promise<T>): Promise<T> => {
    await client.query({ text: 'begin', values: [] });
    try {
      const result = await work((sql, params) => query(client, sql, params));
      await client.query({ text: 'commit', values: [] });
      return result;
    } catch (err) {
      await client.query({ text: 'rollback', values: [] }).catch(() => undefined);
      throw err;
    }
  };
  return {
    dialect: 'postgresql',
    read: (sql, params) => withConnection((c: PgClient) => query(c, sql, params)),
    // A single statement commits on its own: no begin/commit round trips.
    write: (sql, params) => withConnection((c: PgClient) => query(c, sql, params)),
    transaction: (work) => withConnection((c: PgClient) => inTransaction(c, work)),
    session: (work) => withConnection((c: PgClient) => work((sql, params) => query(c, sql, params))),
    value: dialectOf('postgresql').bind,
    close: async () => undefined,
  };
}
