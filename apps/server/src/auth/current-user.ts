import { ApiKey, entityColumns, entityData, User, type Database, type IApiKey, type IUser, type RawRow } from '@mlapi/db';

/**
 * The signed-in user (and API key), read on every request in one plain prepared statement — not through the ORM,
 * whose query building and hydration cost several times the read itself. Rights come from the database each time,
 * so a change made on any replica counts on the very next request.
 */

/** The API key a request came with: what the checks need, not an ORM entity. */
export type KeySnapshot = Readonly<Pick<IApiKey, 'id' | 'name' | 'prefix' | 'scopeV1' | 'scopeV2' | 'lastUsedAt'>>;

interface Statements {
  userById: string;
  ownerByKeyHash: string;
}
const statements = new WeakMap<Database, Statements>();

function statementsFor(db: Database): Statements {
  let s = statements.get(db);
  if (!s) {
    const user = entityColumns(db.orm, User);
    const qualified = user.columns.split(', ').map((c) => `u.${c}`).join(', ');
    s = {
      userById: `select ${user.columns} from ${user.table} where id = ?`,
      // The key's own columns under k_ names, next to the owner's columns under their own names.
      ownerByKeyHash: `select ${qualified}, k.id as k_id, k.name as k_name, k.prefix as k_prefix, k.scope_v1 as k_scope_v1,
        k.scope_v2 as k_scope_v2, k.last_used_at as k_last_used_at
        from ${entityColumns(db.orm, ApiKey).table} k join ${user.table} u on u.id = k.owner_id
        where k.key_hash = ? and k.revoked_at is null`,
    };
    statements.set(db, s);
  }
  return s;
}

/** The raw `users` row of this id, or null. */
export async function readUserRow(db: Database, id: number): Promise<RawRow | null> {
  const [row] = await db.sql.read(statementsFor(db).userById, [id]);
  return row ?? null;
}

/** The owner's raw `users` row and the key, for a live (not revoked) key hash; null otherwise. */
export async function readKeyOwner(db: Database, keyHash: string): Promise<{ row: RawRow; key: KeySnapshot } | null> {
  const [joined] = await db.sql.read(statementsFor(db).ownerByKeyHash, [keyHash]);
  if (!joined) return null;
  const row: RawRow = {};
  const keyRow: RawRow = {};
  for (const [column, value] of Object.entries(joined)) {
    if (column.startsWith('k_')) keyRow[column.slice(2)] = value;
    else row[column] = value;
  }
  return { row, key: Object.freeze(entityData<KeySnapshot>(db.orm, ApiKey, keyRow)) };
}

/**
 * A user row as a plain, frozen object with the entity's fields (for reading: rights, id, profile). A handler that
 * changes the user must use the managed entity instead (see the `authenticated` middleware).
 */
export function userSnapshot(db: Database, row: RawRow): IUser {
  return Object.freeze(entityData<IUser>(db.orm, User, row));
}
