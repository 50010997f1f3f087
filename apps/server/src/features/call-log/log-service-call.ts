import { isDatabaseUnavailable, type UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { describeError } from '../../core/errors.ts';
import { t } from '../../core/init.ts';
import { ServiceCallRecorder } from './service-call-recorder.ts';
import { databaseErrorAnswer } from '../../core/database-errors.ts';

/**
 * Wraps a model service call: hands the handler a recorder that commits the call (and its predictions) in one
 * transaction (group-committed with other calls, see CallLogWriter), and if the call fails anywhere after
 * authentication — rights, input, model, or the write of its success row itself — commits a failed row with the
 * error before the reply leaves. Not while the database is unreachable (that write could only fail too), and a
 * failure row that cannot be written is logged, never answered in place of the call's own error.
 */
export const logServiceCall = (version: ServiceVersion) =>
  t.middleware(async ({ ctx, next }) => {
    const { user } = ctx as typeof ctx & { user: UserRecord };
    const recorder = new ServiceCallRecorder(ctx.deps.callLog, version, user, ctx.deps.now, () => ctx.deps.models.current(version).version);
    const result = await next({ ctx: { callLog: recorder } });
    if (!result.ok && !recorder.recorded && !isDatabaseUnavailable(result.error.cause)) {
      try {
        // What the client is told (databaseUnavailable answers outside this middleware): a refused value, not a 500.
        await recorder.recordFailure(describeError(databaseErrorAnswer(result.error) ?? result.error));
      } catch (err) {
        ctx.deps.logger.error({ err, service: version }, 'could not record a failed service call');
      }
    }
    const outcome = result.ok ? 'success' : 'failure';
    ctx.deps.metrics.predictions.inc({ service: version, model_version: ctx.deps.models.current(version).version, outcome }, result.ok ? recorder.predictionCount : 1);
    return result;
  });
