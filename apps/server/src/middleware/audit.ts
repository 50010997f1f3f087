import { AuditLog, type Em, type IUser } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import { t } from '../init.ts';

/** Left out of the details: secrets, and the target id (it has its own column). */
const omittedFields = new Set(['password', 'new_password', 'user_id']);

/** The user an admin action was about, as it was when the action ran (kept after a deletion). */
export type AuditTarget = Pick<IUser, 'id' | 'username'> | null;

/**
 * The audit of one admin mutation. The handler runs its change through `commit`: the change and its audit row are
 * written in one transaction, so either both are stored or neither is. The details are the procedure's parsed
 * input (what the schema let through, never the raw request), secrets removed.
 */
export class AdminAudit {
  committed = false;

  constructor(
    private readonly em: Em,
    private readonly actor: IUser,
    private readonly action: string,
  ) {}

  /**
   * Runs `change` in a transaction on a fresh EntityManager, adds the audit row, and commits both. `change` returns
   * the target user (or null) and its own result. Slow work that needs no lock (password hashing) belongs before.
   */
  async commit<R>(input: object, change: (tx: Em) => Promise<{ target: AuditTarget; result: R }>): Promise<R> {
    const details = Object.fromEntries(Object.entries(input).filter(([k, v]) => !omittedFields.has(k) && v !== undefined));
    const result = await this.em.fork().transactional(async (tx) => {
      const { target, result } = await change(tx);
      // Ids and names copied now: the target's row may be gone once this commits (a deletion).
      tx.create(AuditLog, {
        actor: this.actor.id,
        actorUsername: this.actor.username,
        action: this.action,
        targetUserId: target?.id ?? null,
        targetUsername: target?.username ?? null,
        details,
      });
      return result;
    });
    this.committed = true;
    return result;
  }
}

/**
 * Every admin mutation is audited: the handler gets `ctx.audit` and must commit its change through it. A mutation
 * that succeeds without having done so is refused (and nothing it did outside `commit` should exist), so a new
 * admin route cannot forget its audit row.
 */
export const auditAdminAction = t.middleware(async ({ ctx, next, type, path }) => {
  const audit = new AdminAudit(ctx.em, (ctx as typeof ctx & { user: IUser }).user, path);
  const result = await next({ ctx: { audit } });
  if (type === 'mutation' && result.ok && !audit.committed)
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `admin mutation ${path} finished without its audit row` });
  return result;
});
