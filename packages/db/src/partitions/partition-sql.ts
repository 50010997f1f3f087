/**
 * PostgreSQL's monthly range partitions of the raw log tables: service_calls by request_time, prediction_logs and
 * shadow_predictions by created_at. A month's partition is `<table>_pYYYYMM` (UTC months); `<table>_default` takes rows outside every
 * month made (an import of older rows). Pruning detaches and drops whole months; partitions are made ahead.
 */

export interface PartitionedTable {
  table: 'service_calls' | 'prediction_logs' | 'shadow_predictions';
  /** The partition key: part of the primary key (and the time pruning goes by). */
  column: 'request_time' | 'created_at';
  /** What its rows are, in a prune's counts. */
  counted: 'calls' | 'predictions' | 'shadowPredictions';
  /** Indexes besides the primary key, as the entities name them. */
  indexes: { name: string; columns: string[] }[];
  /** Foreign keys from this table: name and definition (none now: see the entities). */
  foreignKeys: { name: string; sql: string }[];
}

export const partitionedTables: readonly PartitionedTable[] = [
  {
    table: 'service_calls',
    column: 'request_time',
    counted: 'calls',
    indexes: [
      { name: 'service_calls_request_time_index', columns: ['request_time'] },
      { name: 'service_calls_owner_id_request_time_id_index', columns: ['owner_id', 'request_time', 'id'] },
    ],
    foreignKeys: [],
  },
  {
    table: 'prediction_logs',
    column: 'created_at',
    counted: 'predictions',
    indexes: [
      { name: 'prediction_logs_service_call_id_index', columns: ['service_call_id'] },
      { name: 'prediction_logs_created_at_index', columns: ['created_at'] },
    ],
    foreignKeys: [],
  },
  {
    table: 'shadow_predictions',
    column: 'created_at',
    counted: 'shadowPredictions',
    indexes: [
      { name: 'shadow_predictions_prediction_id_index', columns: ['prediction_id'] },
      { name: 'shadow_predictions_created_at_index', columns: ['created_at'] },
    ],
    foreignKeys: [],
  },
];

/** Months made ahead of the current one, so writes never land in the default partition. */
const monthsAhead = 3;

/** The month partitions from the month of `from` (a SQL expression; null: this month) to `monthsAhead` ahead. */
export function monthPartitionsSql(t: PartitionedTable, from: string): string {
  return `do $$
    declare m timestamp;
    begin
      for m in select generate_series(
          date_trunc('month', coalesce((${from}) at time zone 'UTC', now() at time zone 'UTC')),
          date_trunc('month', now() at time zone 'UTC') + interval '${monthsAhead} months', interval '1 month')
      loop
        execute format('create table if not exists %I partition of "${t.table}" for values from (%L) to (%L)',
          '${t.table}_p' || to_char(m, 'YYYYMM'), (m at time zone 'UTC'), ((m + interval '1 month') at time zone 'UTC'));
      end loop;
    end $$`;
}

const columnList = (columns: string[]) => columns.map((c) => `"${c}"`).join(', ');

/** Indexes and keys of the table, built after its rows are in (faster than maintaining them row by row). */
function keysSql(t: PartitionedTable, primaryKey: string[]): string[] {
  return [
    `alter table "${t.table}" add constraint "${t.table}_pkey" primary key (${columnList(primaryKey)})`,
    ...t.indexes.map((i) => `create index "${i.name}" on "${t.table}" (${columnList(i.columns)})`),
    ...t.foreignKeys.map((fk) => `alter table "${t.table}" add constraint "${fk.name}" ${fk.sql}`),
  ];
}

/**
 * Turns a plain table into a partitioned one of the same name and columns: the rows are copied month by month's
 * partition in one INSERT … SELECT, the id sequence kept, then keys and indexes built. Runs in the migration's
 * transaction: the table is locked meanwhile.
 */
export function partitionTableSql(t: PartitionedTable): string[] {
  const old = `${t.table}_unpartitioned`;
  return [
    `alter table "${t.table}" rename to "${old}"`,
    `alter table "${old}" rename constraint "${t.table}_pkey" to "${old}_pkey"`,
    `create table "${t.table}" (like "${old}" including defaults including constraints)
      partition by range ("${t.column}")`,
    monthPartitionsSql(t, `select min("${t.column}") from "${old}"`),
    `create table "${t.table}_default" partition of "${t.table}" default`,
    `insert into "${t.table}" select * from "${old}"`,
    `alter sequence "${t.table}_id_seq" owned by "${t.table}"."id"`,
    `drop table "${old}"`,
    ...keysSql(t, ['id', t.column]),
  ];
}

/** The way back: a plain table of the same name and columns with `id` alone as its primary key. */
export function unpartitionTableSql(t: PartitionedTable): string[] {
  const old = `${t.table}_partitioned`;
  return [
    `alter table "${t.table}" rename to "${old}"`,
    `alter table "${old}" rename constraint "${t.table}_pkey" to "${old}_pkey"`,
    ...t.indexes.map((i) => `alter index "${i.name}" rename to "${i.name}_old"`),
    ...t.foreignKeys.map((fk) => `alter table "${old}" drop constraint "${fk.name}"`),
    `create table "${t.table}" (like "${old}" including defaults including constraints)`,
    `insert into "${t.table}" select * from "${old}"`,
    `alter sequence "${t.table}_id_seq" owned by "${t.table}"."id"`,
    `drop table "${old}" cascade`,
    ...keysSql(t, ['id']),
  ];
}
