import { LockMode } from '@mikro-orm/core';
import { AuditLog, type IAuditLog } from '../entities/audit-log.entity.ts';
import { User } from '../entities/user.entity.ts';
import { DuplicateKeyError } from '../errors.ts';
import type { Em } from '../orm.ts';
import type { AuditRecord, Counted, NewUserRecord, PageRequest, UserChange, UserRecord } from '../records.ts';
import type { RepositoryContext } from './context.ts';
import { toUserRecord } from './users.ts';
import { cappedTotal, keysetPage } from './keyset-pages.ts';

/** Who did what, as the audit row records it (names copied: the row outlives a deletion). */
export interface AuditEntry {
  actor: Pick<UserRecord, 'id' | 'username'>;
  action: string;
  details: Record<string, unknown>;
}

/** The user an admin action was about, as it was when the action ran. */
export type AuditTarget = Pick<UserRecord, 'id' | 'username'> | null;

/** The changes to users an admin action may make, inside its transaction. */
export interface UserChanges {
  /** Every active admin, locked until the transaction ends, in id order (so two such changes never deadlock). */
  lockActiveAdmins(): Promise<UserRecord[]>;
  /** The user of this id, locked until the transaction ends; null if there is none. */
  lockUser(id: number): Promise<UserRecord | null>;
  /** Changes the fields given (undefined ones stay as they are); written when the transaction commits. */
  update(id: number, change: UserChange): Promise<void>;
  /**
   * Deletes the user. What they sent goes with them: the inputs of their prediction logs and labelled examples are
   * emptied (`{}`) in the same transaction; their calls, predictions, outputs and feedback stay without an owner, so
   * the anonymous counts (call and quality rollups, global analytics) do not change. Their per-user rollups go.
   */
  delete(id: number): Promise<void>;
  /** Adds a user; a taken username is a DuplicateKeyError. */
  insert(user: NewUserRecord): Promise<UserRecord>;
}

/** What a deleted user's inputs become. */
const emptyInput = '{}';
const removeInputsSql = [
  `update prediction_logs set input = ? where service_call_id in (select id from service_calls where owner_id = ?)`,
  `update labelled_examples set input = ? where owner_id = ?`,
];
/** Their calls stay without an owner (service_calls has no foreign key to set it: see its entity). */
const clearCallOwnerSql = `update service_calls set owner_id = null where owner_id = ?`;

/**
 * The unit of work of one admin action: user rows loaded into `tx`, changed there, flushed at commit. The ids of
 * the users changed or deleted are added to `changed`.
 */
function userChanges(tx: Em, changed: Set<number>): UserChanges {
  const managed = async (id: number) => tx.findOneOrFail(User, { id });
  return {
    async lockActiveAdmins() {
      const admins = await tx.find(
        User,
        { role: 'admin', isActive: true },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
      );
      return admins.map(toUserRecord);
    },
    async lockUser(id) {
      const user = await tx.findOne(User, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      return user ? toUserRecord(user) : null;
    },
    async update(id, change) {
      changed.add(id);
      // A field left undefined is left as it is (null is a value: "no own limit").
      tx.assign(await managed(id), Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
    },
    async delete(id) {
      changed.add(id);
      for (const text of removeInputsSql) await tx.execute(text, [emptyInput, id]);
      await tx.execute(clearCallOwnerSql, [id]);
      tx.remove(await managed(id));
    },
    async insert(user) {
      if (await tx.count(User, { username: user.username })) throw new DuplicateKeyError(null);
      const entity = tx.create(User, user);
      await tx.flush();
      return toUserRecord(entity);
    },
  };
}

const auditRecord = (a: IAuditLog): AuditRecord =>
  Object.freeze({
    id: a.id,
    actorId: a.actor ? Number(a.actor.id) : null,
    actorUsername: a.actorUsername,
    action: a.action,
    targetUserId: a.targetUserId ?? null,
    targetUsername: a.targetUsername ?? null,
    details: a.details ?? null,
    createdAt: a.createdAt,
  });

export function auditLogRepository({ db }: RepositoryContext) {
  return {
    /**
     * Runs an admin action's change and writes its audit row in one transaction: both are stored or neither is.
     * `change` returns the target user (or null) and its own result.
     */
    async audited<R>(
      entry: AuditEntry,
      change: (users: UserChanges) => Promise<{ target: AuditTarget; result: R }>,
    ): Promise<R> {
      const changed = new Set<number>();
      const committed = await db.fork().transactional(async (tx) => {
        const { target, result } = await change(userChanges(tx, changed));
        // Ids and names copied now: the target's row may be gone once this commits (a deletion).
        tx.create(AuditLog, {
          actor: entry.actor.id,
          actorUsername: entry.actor.username,
          action: entry.action,
          targetUserId: target?.id ?? null,
          targetUsername: target?.username ?? null,
          details: entry.details,
        });
        return result;
      });
      for (const id of changed) db.changes.committed({ kind: 'user', id });
      return committed;
    },

    /**
     * Audit rows, newest first; only those about one user if given (the (target_user_id, id) index). The sort key
     * (`after`, `next`) is [id].
     */
    async list({
      limit,
      offset,
      after,
      targetUserId,
    }: PageRequest & { targetUserId?: number | undefined }): Promise<Counted<AuditRecord>> {
      const about = targetUserId ? { targetUserId } : {};
      const where = after ? { ...about, id: { $lt: after[0]! } } : about;
      const rows = await db
        .fork()
        .find(AuditLog, where, { orderBy: { id: 'desc' }, limit: limit + 1, ...(after ? {} : { offset }) });
      const counted = targetUserId
        ? await cappedTotal(db.sql, 'audit_logs where target_user_id = ?', [targetUserId])
        : await cappedTotal(db.sql, 'audit_logs', []);
      return { ...keysetPage(rows.map(auditRecord), limit, (a) => [a.id]), ...counted };
    },
  };
}
