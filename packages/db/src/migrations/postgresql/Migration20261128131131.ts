import { Migration } from '@mikro-orm/migrations';

export class Migration20261128131131 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "users" ("id" serial primary key, "username" varchar(254) not null, "first_name" varchar(127) not null, "last_name" varchar(127) not null, "country" varchar(127) null, "hashed_password" varchar(255) not null, "is_active" boolean not null default false, "role" text check ("role" in ('admin', 'user')) not null default 'user', "has_access_v1" boolean not null default false, "has_access_v2" boolean not null default false, "token_version" int not null default 0, "created_at" timestamptz not null);`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);

    this.addSql(`create table "service_calls" ("id" serial primary key, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "success" boolean not null, "error" text null, "owner_id" int null, "request_time" timestamptz not null, "completion_time" timestamptz not null, "duration" double precision not null);`);
    this.addSql(`create index "service_calls_service_version_index" on "service_calls" ("service_version");`);
    this.addSql(`create index "service_calls_owner_id_index" on "service_calls" ("owner_id");`);
    this.addSql(`create index "service_calls_request_time_index" on "service_calls" ("request_time");`);

    this.addSql(`create table "prediction_logs" ("id" serial primary key, "service_call_id" int not null, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "model_name" varchar(127) not null, "model_version" varchar(63) not null, "input" jsonb not null, "output" jsonb not null, "predicted_value" double precision null, "predicted_label" varchar(127) null, "true_value" double precision null, "true_label" varchar(127) null, "feedback_time" timestamptz null, "is_train_data" boolean not null default false, "created_at" timestamptz not null);`);
    this.addSql(`create index "prediction_logs_service_call_id_index" on "prediction_logs" ("service_call_id");`);
    this.addSql(`create index "prediction_logs_service_version_model_version_created_at_index" on "prediction_logs" ("service_version", "model_version", "created_at");`);

    this.addSql(`alter table "service_calls" add constraint "service_calls_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_service_call_id_foreign" foreign key ("service_call_id") references "service_calls" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "service_calls" drop constraint "service_calls_owner_id_foreign";`);

    this.addSql(`alter table "prediction_logs" drop constraint "prediction_logs_service_call_id_foreign";`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "service_calls" cascade;`);

    this.addSql(`drop table if exists "prediction_logs" cascade;`);
  }

}
