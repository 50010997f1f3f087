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

  return {
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
