import { ShadowPrediction } from '../entities/shadow-prediction.entity.ts';
import { insertRows } from '../entity-rows.ts';
import type { ServiceName } from '../records.ts';
import { callRollupRows } from '../rollups/call-deltas.ts';
import { confusionDeltas, regressionDeltas } from '../rollups/quality-deltas.ts';
import { confusionRollups, regressionRollups, shadowRollups } from '../rollups/rollup-shapes.ts';
import { upsertSums, type RollupRow } from '../rollups/upsert-sums.ts';
import type { RepositoryContext } from './context.ts';

/** A shadow candidate's answer to one live prediction's input (or its failure: no output). */
export interface NewShadowPrediction {
  predictionId: number;
  serviceVersion: ServiceName;
  modelVersion: string;
  success: boolean;
  error: string | null;
  /** ms the candidate took for the call's inputs. */
  duration: number;
  output: Record<string, unknown> | null;
  predictedValue: number | null;
  predictedLabel: string | null;
  createdAt: Date;
}

/** Rollup rows with the same key added up (an upsert may touch a row once); keys first in each row. */
function sumPerKey(rows: readonly RollupRow[], keyCount: number): RollupRow[] {
  const sums = new Map<string, unknown[]>();
  for (const row of rows) {
    const id = JSON.stringify(row.slice(0, keyCount));
    const sum = sums.get(id);
    if (!sum) sums.set(id, [...row]);
    else for (let i = keyCount; i < row.length; i++) sum[i] = Number(sum[i]) + Number(row[i]);
  }
  return [...sums.values()];
}

/** The shadow predictions a shadow rollout's candidate makes, written with their rollups. */
export function shadowPredictionsRepository({ db, dialect }: RepositoryContext) {
  return {
    /**
     * Writes shadow predictions and adds them to shadow_rollups in one transaction, the raw rows first (the order
     * the rollup rebuild relies on, as the call log's). A live prediction that has its feedback already gives its
     * truth to its shadow, scored at once. Its row is locked first, so feedback arriving meanwhile either commits
     * before (and is seen here) or waits and then finds the shadow (repositories/predictions.ts `recordTruth`).
     */
    async insertBatch(rows: readonly NewShadowPrediction[]): Promise<void> {
      if (rows.length === 0) return;
      const ids = [...new Set(rows.map((r) => r.predictionId))].sort((a, b) => a - b);
      await db.sql.transaction(async (run) => {
        const known = await run(
          `select id, true_value, true_label, feedback_time from prediction_logs where ${dialect.anyOf('id')}
           order by id${dialect.forUpdate}`,
          [dialect.list(ids)],
        );
        const truths = new Map(known.map((t) => [Number(t.id), t]));
        const scored = rows.map((r) => {
          const t = truths.get(r.predictionId);
          if (!r.success || !t || (t.true_value == null && t.true_label == null)) return r;
          return {
            ...r,
            trueValue: t.true_value == null ? null : Number(t.true_value),
            trueLabel: (t.true_label as string | null) ?? null,
            feedbackTime: dialect.date(t.feedback_time),
          };
        });
        await insertRows(db.orm, db.sql, run, ShadowPrediction, scored);
        const runs = rows.map((r) => ({ ...r, requestTime: r.createdAt }));
        await upsertSums(run, dialect, shadowRollups, callRollupRows(runs));
        const unscored = { trueLabel: null, trueValue: null };
        const labels = scored.flatMap((r) =>
          'trueLabel' in r && r.trueLabel !== null ? confusionDeltas({ ...r, ...unscored }, r.trueLabel) : [],
        );
        const values = scored.flatMap((r) =>
          'trueValue' in r && r.trueValue !== null ? regressionDeltas({ ...r, ...unscored }, r.trueValue) : [],
        );
        await upsertSums(run, dialect, confusionRollups, sumPerKey(labels, confusionRollups.keys.length));
        await upsertSums(run, dialect, regressionRollups, sumPerKey(values, regressionRollups.keys.length));
      });
    },
  };
}

export type ShadowPredictionsRepository = ReturnType<typeof shadowPredictionsRepository>;
