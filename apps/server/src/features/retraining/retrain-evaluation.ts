/**
 * The evaluation gate's report: the retrained candidate (its answers come from the child) and the live version
 * (answering here, a chunk per event-loop turn so calls keep their latency) on the recent labelled examples not
 * used for training and on the base data set's held-out split.
 */
import {
  defaultBootstrap,
  evaluateClassifier,
  evaluateRegressor,
  gateDecision,
  liveHoldoutBaseline,
  modelAnswers,
  type LabelledInput,
  type Model,
  type RetrainResults,
} from '@mlapi/ml';
import type { EvaluatedMetrics, EvaluationReport, ServiceVersion } from '@mlapi/schemas';
import { setImmediate as nextTurn } from 'node:timers/promises';

type AnyModel = Model<unknown, unknown>;

/** The live model's answers to `examples`, 16 per turn of the event loop (a few milliseconds of mail each). */
const liveAnswers = (model: AnyModel, examples: readonly LabelledInput[]) =>
  modelAnswers(model, examples, 16, () => nextTurn());

function evaluate(model: AnyModel, actual: (string | number)[], predicted: (string | number)[]): EvaluatedMetrics {
  if (model.task === 'classification')
    return evaluateClassifier(
      actual.map(String),
      predicted.map(String),
      model.labels ?? [],
      model.positiveLabel ?? model.labels?.[0] ?? '',
    );
  return evaluateRegressor(actual.map(Number), predicted.map(Number));
}

export async function evaluationReport(
  service: ServiceVersion,
  live: AnyModel,
  recent: readonly LabelledInput[],
  results: RetrainResults,
): Promise<EvaluationReport> {
  const recentActual = recent.map((e) => e.actual);
  const holdoutActual = results.holdout.map((e) => e.actual);
  const recentSet = {
    candidate: evaluate(live, recentActual, results.candidate.recent),
    live: evaluate(live, recentActual, await liveAnswers(live, recent)),
  };
  const holdoutSet = {
    candidate: evaluate(live, holdoutActual, results.candidate.holdout),
    live: evaluate(live, holdoutActual, await liveAnswers(live, results.holdout)),
  };
  const baseline = liveHoldoutBaseline(
    service,
    (await live.card().catch(() => null)) as Record<string, unknown> | null,
  );
  const gate = gateDecision(live.task, recentSet, { ...holdoutSet, liveMaeBaseline: baseline });
  return {
    live_version: live.version,
    recent: {
      description: `the ${recent.length} most recent labelled examples not flagged for training`,
      ...recentSet,
    },
    holdout: {
      description: `the base data set's fixed held-out split (${results.holdout.length} rows), not trained on${
        baseline ? `; the live version was fitted on it, so its ${baseline.why} is its baseline` : ''
      }`,
      ...holdoutSet,
    },
    gate,
    bootstrap: { resamples: defaultBootstrap.resamples, seed: defaultBootstrap.seed },
  };
}
