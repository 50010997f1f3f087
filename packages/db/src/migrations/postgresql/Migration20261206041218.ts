import { Migration } from '@mikro-orm/migrations';
import { partitionedTables, partitionTableSql, unpartitionTableSql } from '../../partitions/partition-sql.ts';

/** An index prediction_logs had then (see `tables`). */
const predictionVersionIndex = {
  name: 'prediction_logs_service_version_model_version_created_at_index',
  columns: ['service_version', 'model_version', 'created_at'],
};

/**
 * service_calls and prediction_logs range-partitioned by month (request_time, created_at): the partition key joins
 * the primary key, and the foreign key between the two log tables goes (each is pruned by whole months of its own).
 * The rows are copied into the partitioned tables; the tables keep their names, columns and id sequences.
 */
export class Migration20261206041218 extends Migration {
  /**
   * The tables this migration partitioned (shadow_predictions came later, partitioned from the start), with the
   * indexes and keys they had then: service_calls' service_version index went in Migration20261207140051, its
   * foreign key to users in Migration20261207142028, prediction_logs' index on (service_version, model_version,
   * created_at) in Migration20261207150623.
   */
  private readonly tables = partitionedTables
    .filter((t) => t.table !== 'shadow_predictions')
    .map((t) =>
      t.table === 'service_calls'
        ? {
            ...t,
            indexes: [{ name: 'service_calls_service_version_index', columns: ['service_version'] }, ...t.indexes],
            foreignKeys: [
              {
                name: 'service_calls_owner_id_foreign',
                sql: 'foreign key ("owner_id") references "users" ("id") on update cascade on delete set null',
              },
            ],
          }
        : t.table === 'prediction_logs'
          ? { ...t, indexes: [...t.indexes.slice(0, 1), predictionVersionIndex, ...t.indexes.slice(1)] }
          : t,
    );

  override async up(): Promise<void> {
    this.addSql(`alter table "prediction_logs" drop constraint "prediction_logs_service_call_id_foreign";`);
    for (const table of this.tables) for (const sql of partitionTableSql(table)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of this.tables) for (const sql of unpartitionTableSql(table)) this.addSql(sql);
    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_service_call_id_foreign" foreign key ("service_call_id") references "service_calls" ("id") on update cascade on delete cascade;`);
  }

}
