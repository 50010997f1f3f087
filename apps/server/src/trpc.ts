import type { ServiceVersion } from '@mlapi/ml';
import { t } from './init.ts';
import { auditAdminAction } from './middleware/audit.ts';
import { authenticated, requireAdmin } from './middleware/authenticated.ts';
import { databaseUnavailable } from './middleware/database-unavailable.ts';
import { enforceQuota } from './middleware/quota.ts';
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
/** An active admin; each successful mutation is written to the audit log. */
export const adminProcedure = protectedProcedure.use(requireAdmin).use(auditAdminAction);
/**
 * A model service: every call is logged (success or failure), then the user must be active with the right (and
 * the API key scoped to the service), then within their quota.
 */
export const serviceProcedure = (version: ServiceVersion) =>
  protectedProcedure.use(logServiceCall(version)).use(requireServiceAccess(version)).use(enforceQuota(version));
