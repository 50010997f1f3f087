import { User, type IUser } from '../entities/user.entity.ts';
import { entityColumns, entityData } from '../entity-rows.ts';
import type { RawRow } from '../driver-sql.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { Counted, NewUserRecord, PageRequest, UserRecord } from '../records.ts';
import type { RepositoryContext } from './context.ts';
import { cappedTotal, keysetPage } from './keyset-pages.ts';

/** A user row as a frozen record, through the entity's own mapping (booleans, dates). */
export const userRecord = ({ db }: RepositoryContext, row: RawRow): UserRecord =>
  Object.freeze(entityData<UserRecord>(db.orm, User, row));

/** A user the ORM loaded, as a frozen record. */
export const toUserRecord = (u: IUser): UserRecord =>
  Object.freeze({
    id: u.id,
    username: u.username,
    firstName: u.firstName,
    lastName: u.lastName,
    country: u.country ?? null,
    hashedPassword: u.hashedPassword,
    isActive: u.isActive,
    role: u.role,
    hasAccessV1: u.hasAccessV1,
    hasAccessV2: u.hasAccessV2,
    tokenVersion: u.tokenVersion,
    callsPerMinute: u.callsPerMinute ?? null,
    callsPerDay: u.callsPerDay ?? null,
    createdAt: u.createdAt,
  });

/** The plain user columns, for statements that read a user beside something else. */
export const userColumns = ({ db }: RepositoryContext) => entityColumns(db.orm, User);

export function usersRepository(context: RepositoryContext) {
  const { db } = context;
  const { table, columns } = userColumns(context);
  // Read on a cache miss (repositories/auth-reads.ts): one cached prepared statement, not the ORM's query building.
  const byIdText = `select ${columns} from ${table} where id = ?`;
  const byUsernameText = `select ${columns} from ${table} where username = ?`;

  return {
    /** The user of this id as stored now, or null. */
    async byId(id: number): Promise<UserRecord | null> {
      const [row] = await db.sql.read(byIdText, [id]);
      return row ? userRecord(context, row) : null;
    },

    async byUsername(username: string): Promise<UserRecord | null> {
      const [row] = await db.sql.read(byUsernameText, [username]);
      return row ? userRecord(context, row) : null;
    },

    async usernameTaken(username: string): Promise<boolean> {
      return (await db.fork().count(User, { username })) > 0;
    },

    /** Adds a user; a taken username is a DuplicateKeyError, whether found first or caught by the unique index in a race. */
    async insert(user: NewUserRecord): Promise<UserRecord> {
      const em = db.fork();
      if (await em.count(User, { username: user.username })) throw new DuplicateKeyError(null);
      const entity = em.create(User, user);
      await em.flush();
      return toUserRecord(entity);
    },

    /** Users in id order (the primary key). The sort key (`after`, `next`) is [id]. */
    async list({ limit, offset, after }: PageRequest): Promise<Counted<UserRecord>> {
      const where = after ? { id: { $gt: after[0]! } } : {};
      const rows = await db
        .fork()
        .find(User, where, { orderBy: { id: 'asc' }, limit: limit + 1, ...(after ? {} : { offset }) });
      const counted = await cappedTotal(db.sql, table, []);
      return { ...keysetPage(rows.map(toUserRecord), limit, (u) => [u.id]), ...counted };
    },

    /** A new password: every token issued before stops counting (its token version no longer matches). */
    async changePassword(id: number, hashedPassword: string): Promise<void> {
      await db.sql.write(`update ${table} set hashed_password = ?, token_version = token_version + 1 where id = ?`, [
        hashedPassword,
        id,
      ]);
      db.changes.committed({ kind: 'user', id });
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
