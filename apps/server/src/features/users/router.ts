import { changePasswordInput, historyEntrySchema, page, timedLogPageQuery, userSchema } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { callHistory } from '../call-log/call-history.ts';
import { toUserDto } from './user-dto.ts';
import { apiKeyAllowedProcedure, protectedProcedure, router } from '../../core/procedures.ts';

export const userRouter = router({
  me: apiKeyAllowedProcedure
    .meta({ openapi: { method: 'GET', path: '/user', tags: ['user'], summary: 'Your own profile' } })
    .input(z.void())
    .output(userSchema)
    .query(({ ctx }) => toUserDto(ctx.user)),

  /** Every token issued before the change stops working on its next use. */
  changePassword: protectedProcedure
    .meta({
      openapi: { method: 'PUT', path: '/user/password', tags: ['user'], summary: 'Change your password' },
      successStatus: 204,
      errors: { 429: 'Too many wrong current passwords (counted with failed logins); wait `Retry-After` seconds.' },
    })
    .input(changePasswordInput)
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      const { user, deps } = ctx;
      // The current-password check is a password guess like a login: counted by the same throttle, before it runs.
      const attempt = await deps.loginThrottle.reserve(user.username, ctx.request.clientIp, deps.now().getTime());
      if (!(await deps.passwords.verify(input.password, user.hashedPassword))) {
        deps.metrics.loginFailures.inc();
        throw new TRPCError({ code: 'FORBIDDEN', message: 'password: the current password is incorrect' });
      }
      await attempt.succeeded();
      await deps.data.users.changePassword(user.id, await deps.passwords.hash(input.new_password));
    }),

  history: apiKeyAllowedProcedure
    .meta({
      openapi: { method: 'GET', path: '/user/history', tags: ['user'], summary: 'Your service calls, newest first' },
    })
    .input(timedLogPageQuery)
    .output(page(historyEntrySchema))
    .query(({ ctx, input }) => callHistory(ctx.deps.data.callLog, ctx.user.id, input)),
});
