import type { ServiceVersion } from '@mlapi/ml';
import { t } from './init.ts';
import { admitServiceCall } from './middleware/admit-service-call.ts';
import { auditAdminAction } from './middleware/audit.ts';
import { authenticated, authenticatedReader, requireAdmin } from './middleware/authenticated.ts';
import { databaseUnavailable } from './middleware/database-unavailable.ts';
import { logServiceCall } from './middleware/service-call-log.ts';

export type { Meta } from './init.ts';
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure starts here: a database outage becomes a 503. */
const baseProcedure = t.procedure.use(databaseUnavailable);

export const publicProcedure = baseProcedure.meta({ authRequired: false });
const signedInProcedure = baseProcedure.meta({ authRequired: true });
/** A valid token AND a user who still exists with the same token version. */
export const protectedProcedure = signedInProcedure.use(authenticated);
/** An active admin; each successful mutation is written to the audit log. */
export const adminProcedure = protectedProcedure.use(requireAdmin).use(auditAdminAction);
/**
 * A model service: every call is logged (success or failure), then the user must be active with the right (and
 * the API key scoped to the service), then within their quota.
 */
export const serviceProcedure = (version: ServiceVersion) =>
  signedInProcedure.use(authenticatedReader).use(logServiceCall(version)).use(admitServiceCall(version));
