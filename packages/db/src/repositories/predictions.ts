import type { RawRow } from '../driver-sql.ts';
import type { ServiceName } from '../records.ts';
import { bucketOf, endBucketOf } from '../rollups/buckets.ts';
import { confusionDeltas, regressionDeltas, type LabelledPrediction } from '../rollups/quality-deltas.ts';
import { confusionRollups, regressionRollups } from '../rollups/rollup-shapes.ts';
import { upsertSums } from '../rollups/upsert-sums.ts';
import type { RepositoryContext } from './context.ts';
import { copyLabelledExamplesSql } from './labelled-examples-sql.ts';

/** A logged prediction as feedback needs it: whose call it was, what it predicted and what the log kept of its input. */
export interface PredictionForFeedback {
  id: number;
  /** The owner of the call it belongs to; null once that user is deleted. */
  ownerId: number | null;
  predicted: number | string;
  /** The input as the log stored it (all of it, or what LOG_INPUTS kept). */
  input: Record<string, unknown>;
  /** Whether it is a labelled example already (an earlier feedback). */
  labelled: boolean;
}

/** The window (read as whole 15-minute buckets) and model version model metrics are computed over. */
export interface QualityFilter {
  service: ServiceName;
  modelVersion?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Per model version: n and the sums MAE, RMSE and R² are computed from. */
export interface RegressionSumsRow {
  modelVersion: string;
  n: number;
  sumAbsError: number;
  sumSqError: number;
  sumActual: number;
  sumSqActual: number;
}

/** Per model version: how often `predicted` was given where `actual` was true. */
export interface ConfusionCountRow {
  modelVersion: string;
  predicted: string;
  actual: string;
  count: number;
}

/** The prediction log's feedback and the model metrics aggregated over it. */
export function predictionsRepository({ db, dialect }: RepositoryContext) {
  const forFeedbackText = `select p.id, c.owner_id, p.predicted_label, p.predicted_value, p.input,
      (select count(*) from labelled_examples e where e.prediction_id = p.id) as labelled
    from prediction_logs p join service_calls c on c.id = p.service_call_id
    where p.id = ? and p.service_version = ?`;

  /** The WHERE clause and its parameters for a quality rollup's rows in a filter (its window widened to buckets). */
  const inRollups = (f: QualityFilter) => {
    const conditions: [string, unknown][] = [['service_version = ?', f.service]];
    if (f.modelVersion) conditions.push(['model_version = ?', f.modelVersion]);
    if (f.from) conditions.push(['bucket >= ?', bucketOf(f.from)]);
    if (f.to) conditions.push(['bucket < ?', endBucketOf(f.to)]);
    return { where: conditions.map(([c]) => c).join(' and '), params: conditions.map(([, v]) => v) };
  };

  const copyExampleText = copyLabelledExamplesSql('p.id = ?');
  const copyExampleWithInputText = copyLabelledExamplesSql(
    'p.id = ?',
    dialect.name === 'postgresql' ? 'cast(? as jsonb)' : '?',
  );
  const truthColumns =
    'service_version, model_version, created_at, predicted_label, predicted_value, true_label, true_value';
  const lockText = `select ${truthColumns} from prediction_logs where id = ?${dialect.forUpdate}`;
  // A prediction's shadows are made after it: the time bound skips older partitions on PostgreSQL.
  const lockShadowsText = `select id, ${truthColumns} from shadow_predictions
    where prediction_id = ? and created_at >= ? and success${dialect.forUpdate}`;
  const labelled = (row: RawRow): LabelledPrediction => ({
    serviceVersion: String(row.service_version),
    modelVersion: String(row.model_version),
    createdAt: dialect.date(row.created_at),
    predictedLabel: (row.predicted_label as string | null) ?? null,
    predictedValue: row.predicted_value == null ? null : Number(row.predicted_value),
    trueLabel: (row.true_label as string | null) ?? null,
    trueValue: row.true_value == null ? null : Number(row.true_value),
  });

  return {
    /** The prediction of this id made by this service, or null. */
    async forFeedback(id: number, service: ServiceName): Promise<PredictionForFeedback | null> {
      const [row] = await db.sql.read(forFeedbackText, [id, service]);
      if (!row) return null;
      return {
        id: Number(row.id),
        ownerId: row.owner_id == null ? null : Number(row.owner_id),
        predicted: (row.predicted_label as string | null) ?? Number(row.predicted_value),
        input: (typeof row.input === 'string' ? JSON.parse(row.input) : row.input) as Record<string, unknown>,
        labelled: Number(row.labelled) > 0,
      };
    },

    /**
     * Stores the true value (a number) or label (a string) of a prediction and of its shadow predictions, and when
     * it came, and moves their contributions to the quality rollups (each under its model version) from the old
     * truth (if any) to the new one — one transaction, the prediction's row locked first so two corrections of it
     * cannot interleave.
     */
    async recordTruth(
      id: number,
      actual: number | string,
      now: Date,
      /** The input, when the feedback brought it because the log kept only a hash of it or nothing. */
      input?: Record<string, unknown>,
    ): Promise<void> {
      const column = typeof actual === 'number' ? 'true_value' : 'true_label';
      await db.sql.transaction(async (run) => {
        const [row] = await run(lockText, [id]);
        if (!row) return;
        const truth = [actual, dialect.bind(now)];
        await run(`update prediction_logs set ${column} = ?, feedback_time = ? where id = ?`, [...truth, id]);
        if (input) await run(copyExampleWithInputText, [JSON.stringify(input), id]);
        else await run(copyExampleText, [id]);
        const shadows = await run(lockShadowsText, [id, row.created_at]);
        for (const shadow of shadows)
          await run(`update shadow_predictions set ${column} = ?, feedback_time = ? where id = ? and created_at = ?`, [
            ...truth,
            shadow.id,
            shadow.created_at,
          ]);
        const scored = [row, ...shadows].map(labelled);
        if (typeof actual === 'string')
          await upsertSums(
            run,
            dialect,
            confusionRollups,
            scored.flatMap((p) => confusionDeltas(p, actual)),
          );
        else
          await upsertSums(
            run,
            dialect,
            regressionRollups,
            scored.flatMap((p) => regressionDeltas(p, actual)),
          );
      });
    },

    /** Per model version, from the regression rollups. */
    async regressionSums(f: QualityFilter): Promise<RegressionSumsRow[]> {
      const { where, params } = inRollups(f);
      const rows = await db.sql.read(
        `select model_version, sum(n) as n, sum(sum_abs_error) as sae, sum(sum_sq_error) as sse,
          sum(sum_actual) as st, sum(sum_sq_actual) as stt
         from ${regressionRollups.table} where ${where} group by model_version having sum(n) > 0`,
        params,
      );
      return rows.map((r) => ({
        modelVersion: String(r.model_version),
        n: Number(r.n),
        sumAbsError: Number(r.sae),
        sumSqError: Number(r.sse),
        sumActual: Number(r.st),
        sumSqActual: Number(r.stt),
      }));
    },

    /** Per model version, from the confusion rollups. */
    async confusionCounts(f: QualityFilter): Promise<ConfusionCountRow[]> {
      const { where, params } = inRollups(f);
      const rows = await db.sql.read(
        `select model_version, predicted, actual, sum(count) as n from ${confusionRollups.table} where ${where}
         group by model_version, predicted, actual having sum(count) > 0`,
        params,
      );
      return rows.map((r) => ({
        modelVersion: String(r.model_version),
        predicted: String(r.predicted),
        actual: String(r.actual),
        count: Number(r.n),
      }));
    },
  };
}

export type PredictionsRepository = ReturnType<typeof predictionsRepository>;
