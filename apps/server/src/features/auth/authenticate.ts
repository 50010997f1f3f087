import type { KeySnapshot, UserRecord } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import type { Context } from '../../core/context.ts';
import { apiKeyPrefix, presentedKeyHash, touchKey } from '../api-keys/api-keys.ts';

/** Who is calling: the user as stored now, and the API key they came with (null for a session token). */
export interface SignedIn {
  user: UserRecord;
  apiKey: KeySnapshot | null;
}

const bearer = /^Bearer\s+(\S+)$/i;

const unauthorized = (message: string) => new TRPCError({ code: 'UNAUTHORIZED', message });

/**
 * Who is calling, from a bearer JWT or an API key (`Authorization: Bearer mlk_…` or `X-API-Key`): the user as
 * stored now (`data.auth`: a per-process cache that every committed change to users and keys invalidates — at once
 * on this replica, by PostgreSQL notification on the others — and that reads through while notifications may be
 * late). A token counts only while its user exists and its token version (bumped by a password change) matches; a
 * key only while it is not revoked. Rights are never taken from the token.
 */
export async function authenticate(ctx: Context): Promise<SignedIn> {
  const { data } = ctx.deps;
  const presented = ctx.request.authorization?.match(bearer)?.[1];
  const key = ctx.request.apiKey ?? (presented?.startsWith(apiKeyPrefix) ? presented : undefined);
  if (key) {
    const hash = presentedKeyHash(key);
    const found = hash && (await data.auth.keyOwner(hash));
    if (!found) throw unauthorized('Invalid or revoked API key');
    await touchKey(data.auth, hash, found.key, ctx.deps.now());
    return { user: found.user, apiKey: found.key };
  }
  if (!presented)
    throw unauthorized('Not authenticated: send Authorization: Bearer <token> (or an API key in X-API-Key)');
  const claims = ctx.deps.tokens.verify(presented);
  if (!claims) throw unauthorized('Could not validate credentials: invalid or expired token');
  const user = await data.auth.user(Number(claims.sub));
  if (!user || user.tokenVersion !== claims.ver)
    throw unauthorized('Could not validate credentials: the token is no longer valid');
  return { user, apiKey: null };
}
