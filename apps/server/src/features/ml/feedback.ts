import type { PredictionsRepository, ServiceName, UserRecord } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import { canSeePrediction } from '../access/policy.ts';

/** Records the true value of a prediction; someone else's prediction is a 404, as if it did not exist. */
export async function recordFeedback(
  predictions: PredictionsRepository,
  user: UserRecord,
  service: ServiceName,
  predictionId: number,
  actual: number | string,
  now: Date,
) {
  const prediction = await predictions.forFeedback(predictionId, service);
  if (!prediction || !canSeePrediction(user, prediction))
    throw new TRPCError({ code: 'NOT_FOUND', message: `prediction ${predictionId} not found for service ${service}` });
  await predictions.recordTruth(prediction.id, actual, now);
  return { prediction_id: prediction.id, predicted: prediction.predicted, actual, feedback_time: now.toISOString() };
}
