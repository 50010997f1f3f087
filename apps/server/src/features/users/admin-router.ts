import {
  auditEntrySchema,
  auditQuery,
  page,
  pageQuery,
  registerInput,
  updateQuotaInput,
  updateRightsInput,
  updateRoleInput,
  userIdInput,
  userSchema,
} from '@mlapi/schemas';
import { z } from 'zod';
import { findUserOr404, insertUser, lockAdminChangeTarget, lockUserOr404 } from './users.ts';
import { toAuditDto, toUserDto } from './user-dto.ts';
import { adminProcedure, router } from '../../core/procedures.ts';
import { pageReply, pageRequest } from '../../core/pages.ts';

const tags = ['admin'];

export const adminRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/admin/users', tags, summary: 'List users' } })
    .input(pageQuery)
    .output(page(userSchema))
    .query(async ({ ctx, input }) => pageReply(input, await ctx.deps.data.users.list(pageRequest(input)), toUserDto)),

  byId: adminProcedure
    .meta({
      openapi: { method: 'GET', path: '/admin/users/{user_id}', tags, summary: 'One user' },
      errors: { 404: 'No user of this id.' },
    })
    .input(userIdInput)
    .output(userSchema)
    .query(async ({ ctx, input }) => toUserDto(await findUserOr404(ctx.deps.data.users, input.user_id))),

  /** Activation and service rights; effective on the target's very next request. */
  update: adminProcedure
    .meta({
      openapi: { method: 'PUT', path: '/admin/users/{user_id}', tags, summary: 'Change activation and access rights' },
      successStatus: 204,
      errors: { 404: 'No user of this id.' },
    })
    .input(updateRightsInput)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      ctx.audit.commit(input, async (tx) => {
        const target =
          input.is_active === false
            ? await lockAdminChangeTarget(tx, ctx.user, input.user_id, 'deactivate')
            : await lockUserOr404(tx, input.user_id);
        await tx.update(target.id, {
          isActive: input.is_active,
          hasAccessV1: input.has_access_v1,
          hasAccessV2: input.has_access_v2,
        });
        return { target, result: undefined };
      }),
    ),

  updateRole: adminProcedure
    .meta({
      openapi: { method: 'PUT', path: '/admin/users/{user_id}/role', tags, summary: "Change a user's role" },
      successStatus: 204,
      errors: { 404: 'No user of this id.' },
    })
    .input(updateRoleInput)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      ctx.audit.commit(input, async (tx) => {
        const target =
          input.role === 'user'
            ? await lockAdminChangeTarget(tx, ctx.user, input.user_id, 'demote')
            : await lockUserOr404(tx, input.user_id);
        await tx.update(target.id, { role: input.role });
        return { target, result: undefined };
      }),
    ),

  updateQuota: adminProcedure
    .meta({
      openapi: {
        method: 'PUT',
        path: '/admin/users/{user_id}/quota',
        tags,
        summary: "Set a user's call quotas (per service)",
      },
      successStatus: 204,
      errors: { 404: 'No user of this id.' },
    })
    .input(updateQuotaInput)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      ctx.audit.commit(input, async (tx) => {
        const target = await lockUserOr404(tx, input.user_id);
        await tx.update(target.id, { callsPerMinute: input.calls_per_minute, callsPerDay: input.calls_per_day });
        return { target, result: undefined };
      }),
    ),

  audit: adminProcedure
    .meta({
      openapi: { method: 'GET', path: '/admin/audit', tags, summary: 'The audit log of admin actions, newest first' },
    })
    .input(auditQuery)
    .output(page(auditEntrySchema))
    .query(async ({ ctx, input }) =>
      pageReply(
        input,
        await ctx.deps.data.auditLog.list({ ...pageRequest(input), targetUserId: input.user_id }),
        toAuditDto,
      ),
    ),

  /** The user's calls stay, with no owner, for global statistics; the inputs they sent are emptied (UserChanges.delete). */
  delete: adminProcedure
    .meta({
      openapi: { method: 'DELETE', path: '/admin/users/{user_id}', tags, summary: 'Delete a user' },
      successStatus: 204,
      errors: { 404: 'No user of this id.' },
    })
    .input(userIdInput)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      ctx.audit.commit(input, async (tx) => {
        const target = await lockAdminChangeTarget(tx, ctx.user, input.user_id, 'delete');
        await tx.delete(target.id);
        return { target, result: undefined };
      }),
    ),

  createAdmin: adminProcedure
    .meta({
      openapi: { method: 'POST', path: '/admin/create', tags, summary: 'Create another admin (active, both rights)' },
      successStatus: 201,
      errors: { 409: 'The username is already registered.' },
    })
    .input(registerInput)
    .output(userSchema)
    .mutation(async ({ ctx, input }) => {
      const hashed = await ctx.deps.passwords.hash(input.password);
      return ctx.audit.commit(input, async (tx) => {
        const user = await insertUser(
          tx,
          { ...input, role: 'admin', isActive: true, hasAccessV1: true, hasAccessV2: true },
          hashed,
        );
        return { target: user, result: toUserDto(user) };
      });
    }),
});
