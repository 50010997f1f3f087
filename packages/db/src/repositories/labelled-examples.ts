import type { RawRow } from '../driver-sql.ts';
import type { ServiceName } from '../records.ts';
import type { RepositoryContext } from './context.ts';

/**
 * Which of a service's labelled examples to flag: every condition given must hold (none: all of them). The window
 * [from, to) is on when the prediction was made.
 */
interface TrainDataFilter {
  service: ServiceName;
  predictionIds?: readonly number[] | undefined;
  modelVersion?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  userId?: number | undefined;
}

/** Which examples an export reads: a service's, optionally only those flagged for training, in a window. */
export interface ExampleExportFilter {
  service: ServiceName;
  trainOnly: boolean;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** A labelled example as an export writes it. */
export interface ExampleRow {
  predictionId: number;
  modelVersion: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  predicted: number | string | null;
  actual: number | string | null;
  userId: number | null;
  predictedAt: Date;
  feedbackTime: Date;
  isTrainData: boolean;
}

/** The labelled examples (predictions with feedback) as training data. */
export function labelledExamplesRepository({ db, dialect }: RepositoryContext) {
  const conditions = (f: TrainDataFilter) => {
    const c: [string, unknown][] = [['service_version = ?', f.service]];
    if (f.predictionIds) c.push([dialect.anyOf('prediction_id'), dialect.list(f.predictionIds)]);
    if (f.modelVersion !== undefined) c.push(['model_version = ?', f.modelVersion]);
    if (f.from) c.push(['predicted_at >= ?', dialect.bind(f.from)]);
    if (f.to) c.push(['predicted_at < ?', dialect.bind(f.to)]);
    if (f.userId !== undefined) c.push(['owner_id = ?', f.userId]);
    return { where: c.map(([sql]) => sql).join(' and '), params: c.map(([, v]) => v) };
  };

  const exampleRow = (r: RawRow): ExampleRow => ({
    predictionId: Number(r.prediction_id),
    modelVersion: String(r.model_version),
    input: dialect.json<Record<string, unknown>>(r.input),
    output: dialect.json<Record<string, unknown>>(r.output),
    predicted: (r.predicted_label as string | null) ?? (r.predicted_value == null ? null : Number(r.predicted_value)),
    actual: (r.true_label as string | null) ?? (r.true_value == null ? null : Number(r.true_value)),
    userId: r.owner_id == null ? null : Number(r.owner_id),
    predictedAt: dialect.date(r.predicted_at),
    feedbackTime: dialect.date(r.feedback_time),
    isTrainData: dialect.bool(r.is_train_data),
  });

  return {
    /**
     * The next page of matching examples in id order (the order their feedback first came): up to `limit` after the
     * example id `after` (0: from the start), and the id to continue after (null when this was the last page). Each
     * page is a range of the (service, id) index, so an export holds one page in memory and reads each of the
     * service's examples once whatever the total; examples added meanwhile come last, none twice.
     */
    async examplesAfter(
      f: ExampleExportFilter,
      after: number,
      limit: number,
    ): Promise<{ rows: ExampleRow[]; next: number | null }> {
      const c: [string, unknown][] = [
        ['service_version = ?', f.service],
        ['id > ?', after],
      ];
      if (f.trainOnly) c.push(['is_train_data = ?', dialect.bind(true)]);
      if (f.from) c.push(['predicted_at >= ?', dialect.bind(f.from)]);
      if (f.to) c.push(['predicted_at < ?', dialect.bind(f.to)]);
      const rows = await db.sql.read(
        `select id, prediction_id, model_version, input, output, predicted_value, predicted_label, true_value,
           true_label, owner_id, predicted_at, feedback_time, is_train_data
         from labelled_examples where ${c.map(([sql]) => sql).join(' and ')} order by service_version, id limit ?`,
        [...c.map(([, v]) => v), limit],
      );
      return { rows: rows.map(exampleRow), next: rows.length < limit ? null : Number(rows.at(-1)!.id) };
    },

    /**
     * The service's `limit` most recent examples not flagged for training, newest first: what an evaluation tests a
     * new model on (read backwards along the (service, id) index).
     */
    async recentUnused(service: ServiceName, limit: number): Promise<ExampleRow[]> {
      const rows = await db.sql.read(
        `select id, prediction_id, model_version, input, output, predicted_value, predicted_label, true_value,
           true_label, owner_id, predicted_at, feedback_time, is_train_data
         from labelled_examples where service_version = ? and is_train_data = ?
         order by service_version desc, id desc limit ?`,
        [service, dialect.bind(false), limit],
      );
      return rows.map(exampleRow);
    },

    /**
     * Sets `is_train_data` on the matching examples, in one transaction: how many matched, and how many changed
     * (those whose flag was the other way).
     */
    async setTrainData(f: TrainDataFilter, flag: boolean): Promise<{ matched: number; changed: number }> {
      const { where, params } = conditions(f);
      const value = dialect.bind(flag);
      const update = `update labelled_examples set is_train_data = ? where ${where} and is_train_data <> ?`;
      return db.sql.transaction(async (run) => {
        const [matched] = await run(`select count(*) as n from labelled_examples where ${where}`, params);
        const updateParams = [value, ...params, value];
        const [changed] =
          dialect.name === 'postgresql'
            ? await run(`with changed as (${update} returning 1) select count(*) as n from changed`, updateParams)
            : (await run(update, updateParams), await run('select changes() as n', []));
        return { matched: Number(matched?.n ?? 0), changed: Number(changed?.n ?? 0) };
      });
    },
  };
}
