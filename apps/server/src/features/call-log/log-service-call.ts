import { isDatabaseUnavailable, type UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/schemas';
import type { TRPCError } from '@trpc/server';
import type { Context } from '../../core/context.ts';
import { databaseErrorAnswer } from '../../core/database-errors.ts';
import { describeError } from '../../core/errors.ts';
import { ServiceCallRecorder } from './service-call-recorder.ts';

/**
 * Every model service call is logged, success or failure (the per-service procedure in core/procedures.ts wraps
 * each call in these two). The handler gets a recorder that commits the call (and its predictions) in one
 * transaction, group-committed with other calls (see CallLogWriter).
 */
export const openServiceCall = (ctx: Context, version: ServiceVersion, user: UserRecord): ServiceCallRecorder =>
  new ServiceCallRecorder(
    ctx.deps.callLog,
    version,
    user,
    ctx.deps.now,
    () => ctx.deps.models.current(version).version,
  );

/**
 * After the call: if it failed anywhere after authentication — rights, quota, input, model, or the write of its
 * success row itself — a failed row with the error is committed before the reply leaves. Not while the database
 * is unreachable (that write could only fail too); a failure row that cannot be written is logged, never answered
 * in place of the call's own error. The call is counted for /metrics either way.
 */
export async function closeServiceCall(
  ctx: Context,
  version: ServiceVersion,
  recorder: ServiceCallRecorder,
  result: { ok: true } | { ok: false; error: TRPCError },
): Promise<void> {
  if (!result.ok && !recorder.recorded && !isDatabaseUnavailable(result.error.cause)) {
    try {
      // What the client is told (the outermost middleware answers it): a refused value, not a 500.
      await recorder.recordFailure(describeError(databaseErrorAnswer(result.error) ?? result.error));
    } catch (err) {
      ctx.deps.logger.error({ err, service: version }, 'could not record a failed service call');
    }
  }
  const labels = {
    service: version,
    model_version: ctx.deps.models.current(version).version,
    outcome: result.ok ? 'success' : 'failure',
  };
  ctx.deps.metrics.predictions.inc(labels, result.ok ? recorder.predictionCount : 1);
}
