import { AuditLog, User, type IUser } from '@mlapi/db';
import { t } from '../init.ts';

/** Left out of the details: secrets, and the target id (it has its own column). */
const omittedFields = new Set(['password', 'new_password', 'user_id']);

/**
 * Every successful admin mutation writes an audit row: who (by id and name), what (the procedure and its input,
 * passwords removed), to whom (the target user, by id and name, kept after a deletion), when.
 */
export const auditAdminAction = t.middleware(async ({ ctx, next, type, path, getRawInput }) => {
  if (type !== 'mutation') return next();
  const actor = (ctx as typeof ctx & { user: IUser }).user;
  const raw = (await getRawInput().catch(() => undefined)) as Record<string, unknown> | undefined;
  const details = raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).filter(([k]) => !omittedFields.has(k))) : null;
  const targetId = Number(raw?.user_id);
  const before = Number.isInteger(targetId) ? await ctx.em.findOne(User, { id: targetId }) : null;

  const result = await next();
  if (!result.ok) return result;
  const created = result.data as { id?: number; username?: string } | undefined;
  ctx.em.create(AuditLog, {
    actor: actor.id,
    actorUsername: actor.username,
    action: path,
    targetUserId: before?.id ?? created?.id ?? null,
    targetUsername: before?.username ?? created?.username ?? null,
    details,
  });
  await ctx.em.flush();
  return result;
});
