import { Migration } from '@mikro-orm/migrations';

export class Migration20261206183242 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "model_files" ("sha256" varchar(64) not null, "size" bigint not null, "bytes" bytea not null, "created_at" timestamptz not null, constraint "model_files_pkey" primary key ("sha256"));`);

    this.addSql(`create table "model_versions" ("id" serial primary key, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "version" varchar(64) not null, "name" varchar(128) not null, "source" text check ("source" in ('builtin', 'onnx')) not null, "files" jsonb not null, "sha256" varchar(64) not null, "card" jsonb null, "state" varchar(16) not null default 'registered', "failure" text null, "registered_by_id" int null, "registered_by_username" varchar(254) null, "registered_at" timestamptz not null);`);
    this.addSql(`create index "model_versions_sha256_index" on "model_versions" ("sha256");`);
    this.addSql(`alter table "model_versions" add constraint "model_versions_service_version_version_unique" unique ("service_version", "version");`);

    this.addSql(`create table "model_deployments" ("id" serial primary key, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "model_version_id" int not null, "action" varchar(16) not null, "actor_id" int null, "actor_username" varchar(254) null, "live_from" timestamptz not null, "live_until" timestamptz null);`);
    this.addSql(`create index "model_deployments_service_version_id_index" on "model_deployments" ("service_version", "id");`);

    this.addSql(`alter table "model_versions" add constraint "model_versions_registered_by_id_foreign" foreign key ("registered_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "model_deployments" add constraint "model_deployments_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "model_deployments" add constraint "model_deployments_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "model_deployments" drop constraint "model_deployments_model_version_id_foreign";`);

    this.addSql(`drop table if exists "model_files" cascade;`);

    this.addSql(`drop table if exists "model_versions" cascade;`);

    this.addSql(`drop table if exists "model_deployments" cascade;`);
  }

}
