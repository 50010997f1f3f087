import { PredictionLog, type Em, type IPredictionLog, type IUser } from '@mlapi/db';
import { TRPCError } from '@trpc/server';

/** Whether this user may see (and give feedback on) this prediction: their own, or any for an active admin. */
export function canSeePrediction(user: IUser, log: IPredictionLog): boolean {
  if (user.role === 'admin' && user.isActive) return true;
  const owner = log.serviceCall.owner;
  return owner != null && Number(owner.id) === user.id;
}

/** Records the true value of a prediction; someone else's prediction is a 404, as if it did not exist. */
export async function recordFeedback(em: Em, user: IUser, service: 'v1' | 'v2', predictionId: number, actual: number | string, now: Date) {
  const log = await em.findOne(PredictionLog, { id: predictionId, serviceVersion: service }, { populate: ['serviceCall'] });
  if (!log || !canSeePrediction(user, log))
    throw new TRPCError({ code: 'NOT_FOUND', message: `prediction ${predictionId} not found for service ${service}` });
  if (typeof actual === 'number') log.trueValue = actual;
  else log.trueLabel = actual;
  log.feedbackTime = now;
  await em.flush();
  return {
    prediction_id: log.id,
    predicted: (log.predictedLabel ?? Number(log.predictedValue)) as string | number,
    actual,
    feedback_time: now.toISOString(),
  };
}
