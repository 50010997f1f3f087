import type { ServiceVersion } from '@mlapi/ml';
import { t } from './init.ts';
import { authenticated, requireAdmin } from './middleware/authenticated.ts';
import { databaseUnavailable } from './middleware/database-unavailable.ts';
import { requireServiceAccess } from './middleware/service-access.ts';
import { logServiceCall } from './middleware/service-call-log.ts';

export type { Meta } from './init.ts';
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure starts here: a database outage becomes a 503. */
const baseProcedure = t.procedure.use(databaseUnavailable);

export const publicProcedure = baseProcedure.meta({ authRequired: false });
/** A valid token AND a user who still exists with the same token version. */
export const protectedProcedure = baseProcedure.meta({ authRequired: true }).use(authenticated);
export const adminProcedure = protectedProcedure.use(requireAdmin);
/** A model service: every call is logged (success or failure), then the user must be active with the right. */
export const serviceProcedure = (version: ServiceVersion) =>
  protectedProcedure.use(logServiceCall(version)).use(requireServiceAccess(version));
