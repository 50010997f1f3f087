import type { AuditTarget, Repositories, UserChanges, UserRecord } from '@mlapi/db';
import { TRPCError, type TRPCProcedureType as ProcedureType } from '@trpc/server';

/** Left out of the details: secrets, and the target id (it has its own column). */
const omittedFields = new Set(['password', 'new_password', 'user_id']);

/**
 * The audit of one admin mutation. The handler runs its change through `commit`: the change and its audit row are
 * written in one transaction, so either both are stored or neither is. The details are the procedure's parsed
 * input (what the schema let through, never the raw request), secrets removed.
 */
export class AdminAudit {
  committed = false;

  constructor(
    private readonly data: Repositories,
    private readonly actor: UserRecord,
    private readonly action: string,
  ) {}

  /**
   * Every admin mutation is audited: a mutation that succeeded without committing through `commit` is refused (and
   * nothing it did outside `commit` should exist), so a new admin route cannot forget its audit row.
   */
  assertAudited(type: ProcedureType, ok: boolean): void {
    if (type === 'mutation' && ok && !this.committed)
      throw new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: `admin mutation ${this.action} finished without its audit row`,
      });
  }

  /**
   * Runs `change` on the users in one transaction, adds the audit row, and commits both. `change` returns the target
   * user (or null) and its own result. Slow work that needs no lock (password hashing) belongs before.
   */
  async commit<R>(
    input: object,
    change: (users: UserChanges) => Promise<{ target: AuditTarget; result: R }>,
  ): Promise<R> {
    const details = Object.fromEntries(
      Object.entries(input).filter(([k, v]) => !omittedFields.has(k) && v !== undefined),
    );
    const result = await this.data.auditLog.audited({ actor: this.actor, action: this.action, details }, change);
    this.committed = true;
    return result;
  }
}
