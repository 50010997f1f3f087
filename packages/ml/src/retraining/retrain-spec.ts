/** What the server hands a retraining child process, and what the child writes back: files in the job's folder. */
import type { ServiceVersion } from '@mlapi/schemas';

export interface RetrainSpec {
  service: ServiceVersion;
  /** The version the new model's card gives. */
  version: string;
  trainedAt: string;
  /** The labelled examples flagged for training: JSONL of {input, actual}. */
  trainFile: string;
  /** The most recent examples not used for training: JSONL of {input, actual}. */
  recentFile: string;
  /** Where the new model's artifact files go. */
  modelDir: string;
  /** Where the child writes its {@link RetrainResults}. */
  resultsFile: string;
}

/** One labelled example as the files carry it: the call's input and the true value (v1 label, v2 dollars). */
export interface LabelledInput {
  input: Record<string, unknown>;
  actual: string | number;
}

/** The candidate's answers on both evaluation sets, and the held-out split (for the live version's answers). */
export interface RetrainResults {
  trainExamples: number;
  baseRows: number;
  holdout: LabelledInput[];
  candidate: { recent: (string | number)[]; holdout: (string | number)[] };
}

/** A message from the child: progress of a phase, or its failure. */
export type RetrainMessage =
  | { type: 'progress'; phase: string; done: number; total: number; trainExamples?: number }
  | { type: 'failed'; error: string };
