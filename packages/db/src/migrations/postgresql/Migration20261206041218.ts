import { Migration } from '@mikro-orm/migrations';
import {
  partitionTableSql,
  unpartitionTableSql,
  type PartitionedTable,
} from '../../partitions/partition-sql.ts';

/**
 * The tables this migration partitioned, as they were then (shadow_predictions came later, partitioned from the
 * start). Written out, not read from the current definitions: service_calls' service_version index went in
 * Migration20261207140051, its foreign key to users in Migration20261207142028, and prediction_logs' index on
 * (service_version, model_version, created_at) in Migration20261207150623.
 */
const tablesThen: PartitionedTable[] = [
  {
    table: 'service_calls',
    column: 'request_time',
    counted: 'calls',
    indexes: [
      { name: 'service_calls_service_version_index', columns: ['service_version'] },
      { name: 'service_calls_request_time_index', columns: ['request_time'] },
      { name: 'service_calls_owner_id_request_time_id_index', columns: ['owner_id', 'request_time', 'id'] },
    ],
    foreignKeys: [
      {
        name: 'service_calls_owner_id_foreign',
        sql: 'foreign key ("owner_id") references "users" ("id") on update cascade on delete set null',
      },
    ],
  },
  {
    table: 'prediction_logs',
    column: 'created_at',
    counted: 'predictions',
    indexes: [
      { name: 'prediction_logs_service_call_id_index', columns: ['service_call_id'] },
      {
        name: 'prediction_logs_service_version_model_version_created_at_index',
        columns: ['service_version', 'model_version', 'created_at'],
      },
      { name: 'prediction_logs_created_at_index', columns: ['created_at'] },
    ],
    foreignKeys: [],
  },
];

/**
 * service_calls and prediction_logs range-partitioned by month (request_time, created_at): the partition key joins
 * the primary key, and the foreign key between the two log tables goes (each is pruned by whole months of its own).
 * The rows are copied into the partitioned tables; the tables keep their names, columns and id sequences.
 */
export class Migration20261206041218 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "prediction_logs" drop constraint "prediction_logs_service_call_id_foreign";`);
    for (const table of tablesThen) for (const sql of partitionTableSql(table)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of tablesThen) for (const sql of unpartitionTableSql(table)) this.addSql(sql);
    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_service_call_id_foreign" foreign key ("service_call_id") references "service_calls" ("id") on update cascade on delete cascade;`);
  }

}
