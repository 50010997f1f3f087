import type { ServiceName } from '../records.ts';
import type { RepositoryContext } from './context.ts';

/** A logged prediction as feedback needs it: whose call it was and what it predicted. */
export interface PredictionForFeedback {
  id: number;
  /** The owner of the call it belongs to; null once that user is deleted. */
  ownerId: number | null;
  predicted: number | string;
}

/** The window and model version model metrics are computed over. */
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
  const forFeedbackText = `select p.id, c.owner_id, p.predicted_label, p.predicted_value
    from prediction_logs p join service_calls c on c.id = p.service_call_id
    where p.id = ? and p.service_version = ?`;

  /** The WHERE clause and its parameters for the predictions with feedback in a filter. */
  const withFeedback = (f: QualityFilter, truth: 'true_value' | 'true_label') => {
    const conditions: [string, unknown][] = [['service_version = ?', f.service]];
    if (f.modelVersion) conditions.push(['model_version = ?', f.modelVersion]);
    if (f.from) conditions.push(['created_at >= ?', dialect.bind(f.from)]);
    if (f.to) conditions.push(['created_at < ?', dialect.bind(f.to)]);
    return {
      where: [`${truth} is not null`, ...conditions.map(([c]) => c)].join(' and '),
      params: conditions.map(([, v]) => v),
    };
  };

  return {
    /** The prediction of this id made by this service, or null. */
    async forFeedback(id: number, service: ServiceName): Promise<PredictionForFeedback | null> {
      const [row] = await db.sql.read(forFeedbackText, [id, service]);
      if (!row) return null;
      return {
        id: Number(row.id),
        ownerId: row.owner_id == null ? null : Number(row.owner_id),
        predicted: (row.predicted_label as string | null) ?? Number(row.predicted_value),
      };
    },

    /** Stores the true value (a number) or label (a string) of a prediction, and when it came. */
    async recordTruth(id: number, actual: number | string, now: Date): Promise<void> {
      const column = typeof actual === 'number' ? 'true_value' : 'true_label';
      await db.sql.write(`update prediction_logs set ${column} = ?, feedback_time = ? where id = ?`, [
        actual,
        dialect.bind(now),
        id,
      ]);
    },

    async regressionSums(f: QualityFilter): Promise<RegressionSumsRow[]> {
      const { where, params } = withFeedback(f, 'true_value');
      const rows = await db.sql.read(
        `select model_version, count(*) as n, sum(abs(true_value - predicted_value)) as sae,
          sum((true_value - predicted_value) * (true_value - predicted_value)) as sse,
          sum(true_value) as st, sum(true_value * true_value) as stt
         from prediction_logs where ${where} group by model_version`,
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

    async confusionCounts(f: QualityFilter): Promise<ConfusionCountRow[]> {
      const { where, params } = withFeedback(f, 'true_label');
      const rows = await db.sql.read(
        `select model_version, predicted_label, true_label, count(*) as n from prediction_logs where ${where}
         group by model_version, predicted_label, true_label`,
        params,
      );
      return rows.map((r) => ({
        modelVersion: String(r.model_version),
        predicted: String(r.predicted_label),
        actual: String(r.true_label),
        count: Number(r.n),
      }));
    },
  };
}

export type PredictionsRepository = ReturnType<typeof predictionsRepository>;
