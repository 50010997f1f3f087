import { Migration } from '@mikro-orm/migrations';

/** No foreign key from prediction_logs to service_calls: each log table is pruned on its own, as on PostgreSQL. */
export class Migration20261206041217 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`prediction_logs__temp_alter\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`service_call_id\` bigint not null, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`model_name\` text not null, \`model_version\` text not null, \`input\` json not null, \`output\` json not null, \`predicted_value\` double null, \`predicted_label\` text null, \`true_value\` double null, \`true_label\` text null, \`feedback_time\` datetime null, \`is_train_data\` integer not null default false);`);
    this.addSql(`insert into \`prediction_logs__temp_alter\` select \`id\`, \`created_at\`, \`service_call_id\`, \`service_version\`, \`model_name\`, \`model_version\`, \`input\`, \`output\`, \`predicted_value\`, \`predicted_label\`, \`true_value\`, \`true_label\`, \`feedback_time\`, \`is_train_data\` from \`prediction_logs\`;`);
    this.addSql(`drop table \`prediction_logs\`;`);
    this.addSql(`alter table \`prediction_logs__temp_alter\` rename to \`prediction_logs\`;`);
    this.addSql(`create index \`prediction_logs_created_at_index\` on \`prediction_logs\` (\`created_at\`);`);
    this.addSql(`create index \`prediction_logs_service_call_id_index\` on \`prediction_logs\` (\`service_call_id\`);`);
    this.addSql(`create index \`prediction_logs_service_version_model_version_created_at_index\` on \`prediction_logs\` (\`service_version\`, \`model_version\`, \`created_at\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }

  override async down(): Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`prediction_logs__temp_alter\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`service_call_id\` bigint not null, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`model_name\` text not null, \`model_version\` text not null, \`input\` json not null, \`output\` json not null, \`predicted_value\` double null, \`predicted_label\` text null, \`true_value\` double null, \`true_label\` text null, \`feedback_time\` datetime null, \`is_train_data\` integer not null default false, constraint \`prediction_logs_service_call_id_foreign\` foreign key(\`service_call_id\`) references \`service_calls\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`insert into \`prediction_logs__temp_alter\` select \`id\`, \`created_at\`, \`service_call_id\`, \`service_version\`, \`model_name\`, \`model_version\`, \`input\`, \`output\`, \`predicted_value\`, \`predicted_label\`, \`true_value\`, \`true_label\`, \`feedback_time\`, \`is_train_data\` from \`prediction_logs\`;`);
    this.addSql(`drop table \`prediction_logs\`;`);
    this.addSql(`alter table \`prediction_logs__temp_alter\` rename to \`prediction_logs\`;`);
    this.addSql(`create index \`prediction_logs_created_at_index\` on \`prediction_logs\` (\`created_at\`);`);
    this.addSql(`create index \`prediction_logs_service_call_id_index\` on \`prediction_logs\` (\`service_call_id\`);`);
    this.addSql(`create index \`prediction_logs_service_version_model_version_created_at_index\` on \`prediction_logs\` (\`service_version\`, \`model_version\`, \`created_at\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }

}
