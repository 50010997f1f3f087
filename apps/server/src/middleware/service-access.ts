import type { IUser } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { TRPCError } from '@trpc/server';
import { t } from '../init.ts';

/** Whether this user may call this service right now, as a reason to refuse (null when allowed). */
export function serviceDenial(user: IUser, version: ServiceVersion): string | null {
  if (!user.isActive) return 'Account is inactive: an admin must activate it';
  const allowed = version === 'v1' ? user.hasAccessV1 : user.hasAccessV2;
  return allowed ? null : `No access to service ${version}: ask an admin to grant has_access_${version}`;
}

/** The per-service check: an active user with `has_access_vN`, read from the current user row. */
export const requireServiceAccess = (version: ServiceVersion) =>
  t.middleware(({ ctx, next }) => {
    const { user } = ctx as typeof ctx & { user: IUser };
    const denial = serviceDenial(user, version);
    if (denial) throw new TRPCError({ code: 'FORBIDDEN', message: denial });
    return next();
  });
