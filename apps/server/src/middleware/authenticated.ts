import { User, type IApiKey, type IUser } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import { t } from '../init.ts';
import { apiKeyPrefix, findLiveKey, touchKey } from '../services/api-keys.ts';

const bearer = /^Bearer\s+(\S+)$/i;

const unauthorized = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message });

/**
 * Narrows the context to a signed-in user, from either a bearer JWT or an API key (`Authorization: Bearer mlk_…`
 * or `X-API-Key`). A token counts only while its user exists and its token version (bumped by a password change)
 * matches; a key only while it is not revoked. Rights are never taken from the token: the user row is read here.
 */
export const authenticated = t.middleware(async ({ ctx, next }) => {
  const presented = ctx.request.authorization?.match(bearer)?.[1];
  const key = ctx.request.apiKey ?? (presented?.startsWith(apiKeyPrefix) ? presented : undefined);
  if (key) {
    const apiKey: IApiKey | null = await findLiveKey(ctx.em, key);
    if (!apiKey) throw unauthorized('Invalid or revoked API key');
    await touchKey(ctx.em, apiKey, ctx.deps.now());
    return next({ ctx: { user: apiKey.owner as IUser, apiKey } });
  }
  if (!presented) throw unauthorized('Not authenticated: send Authorization: Bearer <token> (or an API key in X-API-Key)');
  const claims = ctx.deps.tokens.verify(presented);
  if (!claims) throw unauthorized('Could not validate credentials: invalid or expired token');
  const user: IUser | null = await ctx.em.findOne(User, { id: Number(claims.sub) });
  if (!user || user.tokenVersion !== claims.ver) throw unauthorized('Could not validate credentials: the token is no longer valid');
  return next({ ctx: { user, apiKey: null as IApiKey | null } });
});

export const requireAdmin = t.middleware(({ ctx, next }) => {
  const user = (ctx as { user?: IUser }).user;
  if (user?.role !== 'admin' || !user.isActive) throw new TRPCError({ code: 'FORBIDDEN', message: 'Admin rights required' });
  return next({ ctx: { user } });
});
