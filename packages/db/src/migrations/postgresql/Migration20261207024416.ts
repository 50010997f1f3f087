import { Migration } from '@mikro-orm/migrations';

/** Retraining jobs (one running per service: a partial unique index), and a retrained version's evaluation report. */
export class Migration20261207024416 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "retrain_jobs" ("id" serial primary key, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "state" varchar(16) not null, "phase" varchar(32) not null, "progress_done" int not null default 0, "progress_total" int not null default 0, "version" varchar(64) not null, "auto_shadow" boolean not null default false, "train_examples" int not null default 0, "requested_by_id" int null, "requested_by_username" varchar(254) null, "started_at" timestamptz not null, "heartbeat_at" timestamptz not null, "finished_at" timestamptz null, "error" text null, "evaluation" jsonb null, "model_version_id" int null, "shadow_started" boolean not null default false);`);
    this.addSql(`create index "retrain_jobs_service_version_id_index" on "retrain_jobs" ("service_version", "id");`);
    this.addSql(`create unique index "retrain_jobs_one_running" on "retrain_jobs" ("service_version") where "state" = 'running';`);

    this.addSql(`alter table "retrain_jobs" add constraint "retrain_jobs_requested_by_id_foreign" foreign key ("requested_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "retrain_jobs" add constraint "retrain_jobs_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "model_versions" add column "evaluation" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "retrain_jobs" cascade;`);

    this.addSql(`alter table "model_versions" drop column "evaluation";`);
  }

}
