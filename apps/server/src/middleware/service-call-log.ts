import type { IUser } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/ml';
import { describeError } from '../errors.ts';
import { t } from '../init.ts';
import { ServiceCallRecorder } from '../services/service-call-recorder.ts';

/**
 * Wraps a model service call: hands the handler a recorder that commits the call (and its predictions) in one
 * transaction (group-committed with other calls, see CallLogWriter), and if the call fails anywhere after
 * authentication — rights, input, model — commits a failed row with the error before the reply leaves.
 */
export const logServiceCall = (version: ServiceVersion) =>
  t.middleware(async ({ ctx, next }) => {
    const { user } = ctx as typeof ctx & { user: IUser };
    const recorder = new ServiceCallRecorder(ctx.deps.callLog, version, user, ctx.deps.now, () => ctx.deps.models.current(version).version);
    const result = await next({ ctx: { callLog: recorder } });
    if (!result.ok && !recorder.recorded) await recorder.recordFailure(describeError(result.error));
    const outcome = result.ok ? 'success' : 'failure';
    ctx.deps.metrics.predictions.inc({ service: version, model_version: ctx.deps.models.current(version).version, outcome }, result.ok ? recorder.predictionCount : 1);
    return result;
  });
