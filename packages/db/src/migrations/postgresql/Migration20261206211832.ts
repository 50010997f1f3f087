import { Migration } from '@mikro-orm/migrations';

/**
 * Rollouts: a candidate version tried beside the live one. A change to a rollout notifies `mlapi_models` with its
 * service, as a change of the live version does (Migration20261206211500's function): every replica follows it.
 */
export class Migration20261206211832 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "model_rollouts" ("id" serial primary key, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "candidate_id" int not null, "baseline_id" int not null, "mode" varchar(16) not null, "percent" int null, "guard" jsonb not null, "auto_promote" boolean not null default false, "started_by_id" int null, "started_by_username" varchar(254) null, "started_at" timestamptz not null, "ended_at" timestamptz null, "outcome" varchar(16) null, "ended_by_username" varchar(254) null, "decision" jsonb null);`);
    this.addSql(`create index "model_rollouts_service_version_id_index" on "model_rollouts" ("service_version", "id");`);

    this.addSql(`alter table "model_rollouts" add constraint "model_rollouts_candidate_id_foreign" foreign key ("candidate_id") references "model_versions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "model_rollouts" add constraint "model_rollouts_baseline_id_foreign" foreign key ("baseline_id") references "model_versions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "model_rollouts" add constraint "model_rollouts_started_by_id_foreign" foreign key ("started_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`create trigger model_rollouts_notify after insert or update or delete on "model_rollouts"
      for each row execute function mlapi_notify_model_change();`);
    this.addSql(`create trigger model_rollouts_notify_truncate after truncate on "model_rollouts"
      for each statement execute function mlapi_notify_model_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "model_rollouts" cascade;`);
  }

}
