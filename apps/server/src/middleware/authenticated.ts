import { User, type IUser } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import { t } from '../init.ts';

const bearer = /^Bearer\s+(\S+)$/i;

/**
 * Narrows the context to a signed-in user: a valid HS256 token whose user still exists and whose token version
 * (bumped by a password change) still matches. Rights are not taken from the token; they are read here, fresh.
 */
export const authenticated = t.middleware(async ({ ctx, next }) => {
  const token = ctx.authorization?.match(bearer)?.[1];
  if (!token) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Not authenticated: send Authorization: Bearer <token>' });
  const claims = ctx.deps.tokens.verify(token);
  if (!claims) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Could not validate credentials: invalid or expired token' });
  const user: IUser | null = await ctx.em.findOne(User, { id: Number(claims.sub) });
  if (!user || user.tokenVersion !== claims.ver)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Could not validate credentials: the token is no longer valid' });
  return next({ ctx: { user } });
});

export const requireAdmin = t.middleware(({ ctx, next }) => {
  const user = (ctx as { user?: IUser }).user;
  if (user?.role !== 'admin' || !user.isActive) throw new TRPCError({ code: 'FORBIDDEN', message: 'Admin rights required' });
  return next({ ctx: { user } });
});
