import { Migration } from '@mikro-orm/migrations';

export class Migration20261128131131 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`users\` (\`id\` integer not null primary key autoincrement, \`username\` text not null, \`first_name\` text not null, \`last_name\` text not null, \`country\` text null, \`hashed_password\` text not null, \`is_active\` integer not null default false, \`role\` text check (\`role\` in ('admin', 'user')) not null default 'user', \`has_access_v1\` integer not null default false, \`has_access_v2\` integer not null default false, \`token_version\` integer not null default 0, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`users_username_unique\` on \`users\` (\`username\`);`);

    this.addSql(`create table \`service_calls\` (\`id\` integer not null primary key autoincrement, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`success\` integer not null, \`error\` text null, \`owner_id\` integer null, \`request_time\` datetime not null, \`completion_time\` datetime not null, \`duration\` double not null, constraint \`service_calls_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`service_calls_service_version_index\` on \`service_calls\` (\`service_version\`);`);
    this.addSql(`create index \`service_calls_owner_id_index\` on \`service_calls\` (\`owner_id\`);`);
    this.addSql(`create index \`service_calls_request_time_index\` on \`service_calls\` (\`request_time\`);`);

    this.addSql(`create table \`prediction_logs\` (\`id\` integer not null primary key autoincrement, \`service_call_id\` integer not null, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`model_name\` text not null, \`model_version\` text not null, \`input\` json not null, \`output\` json not null, \`predicted_value\` double null, \`predicted_label\` text null, \`true_value\` double null, \`true_label\` text null, \`feedback_time\` datetime null, \`is_train_data\` integer not null default false, \`created_at\` datetime not null, constraint \`prediction_logs_service_call_id_foreign\` foreign key(\`service_call_id\`) references \`service_calls\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`prediction_logs_service_call_id_index\` on \`prediction_logs\` (\`service_call_id\`);`);
    this.addSql(`create index \`prediction_logs_service_version_model_version_created_at_index\` on \`prediction_logs\` (\`service_version\`, \`model_version\`, \`created_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`prediction_logs\`;`);
    this.addSql(`drop table if exists \`service_calls\`;`);
    this.addSql(`drop table if exists \`users\`;`);
  }

}
