import type { PredictionsRepository, ServiceName, UserRecord } from '@mlapi/db';
import { TRPCError } from '@trpc/server';
import { invalidField } from '../../core/errors.ts';
import { canSeePrediction } from '../access/policy.ts';
import { digestOf, keptAs } from '../call-log/logged-input.ts';

/** A feedback request as the wire has it. */
export interface Feedback {
  prediction_id: number;
  actual: number | string;
  /** The prediction's input again (see LOG_INPUTS). */
  input?: unknown;
}

/**
 * Records the true value of a prediction; someone else's prediction is a 404, as if it did not exist. The
 * prediction becomes a labelled example with its whole input: when the log kept only a hash of it (or nothing),
 * the input must come with the feedback (checked against the hash) unless an earlier feedback brought it.
 */
export async function recordFeedback(
  predictions: PredictionsRepository,
  user: UserRecord,
  service: ServiceName,
  f: Feedback,
  now: Date,
) {
  const prediction = await predictions.forFeedback(f.prediction_id, service);
  if (!prediction || !canSeePrediction(user, prediction))
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `prediction ${f.prediction_id} not found for service ${service}`,
    });
  const kept = keptAs(prediction.input);
  const given = f.input as Record<string, unknown> | undefined;
  let input: Record<string, unknown> | undefined;
  if (kept !== 'full' && given) {
    if (kept === 'hash' && digestOf(given).sha256 !== prediction.input.sha256)
      throw invalidField(
        'input',
        `input: not the input of prediction ${prediction.id} (its SHA-256 differs from the one logged)`,
      );
    input = given;
  } else if (kept !== 'full' && !prediction.labelled) {
    throw invalidField(
      'input',
      `input: the server logs inputs ${kept === 'hash' ? 'as a hash' : 'not at all'} (LOG_INPUTS=${kept}): ` +
        "send the prediction's input with its feedback, so the labelled example keeps it",
    );
  }
  await predictions.recordTruth(prediction.id, f.actual, now, input);
  return {
    prediction_id: prediction.id,
    predicted: prediction.predicted,
    actual: f.actual,
    feedback_time: now.toISOString(),
  };
}
