import { Migration } from '@mikro-orm/migrations';
import { partitionedTables, partitionTableSql } from '../../partitions/partition-sql.ts';

/**
 * Shadow predictions (a shadow rollout's candidate predicting each live prediction's input) and their rollups; the
 * shadow predictions range-partitioned by month of created_at, as the other log tables.
 */
export class Migration20261206233917 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "shadow_predictions" ("id" bigserial not null, "created_at" timestamptz not null, "prediction_id" bigint not null, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "model_version" varchar(63) not null, "success" boolean not null, "error" text null, "duration" double precision not null, "output" jsonb null, "predicted_value" double precision null, "predicted_label" varchar(127) null, "true_value" double precision null, "true_label" varchar(127) null, "feedback_time" timestamptz null);`);
    this.addSql(`create index "shadow_predictions_created_at_index" on "shadow_predictions" ("created_at");`);
    this.addSql(`create index "shadow_predictions_prediction_id_index" on "shadow_predictions" ("prediction_id");`);

    this.addSql(`create table "shadow_rollups" ("bucket" int not null, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "model_version" varchar(63) not null, "success" boolean not null, "calls" int not null, "duration_sum" double precision not null, "duration_max" double precision not null, "h0" int not null default 0, "h1" int not null default 0, "h2" int not null default 0, "h3" int not null default 0, "h4" int not null default 0, "h5" int not null default 0, "h6" int not null default 0, "h7" int not null default 0, "h8" int not null default 0, "h9" int not null default 0, "h10" int not null default 0, "h11" int not null default 0, "h12" int not null default 0, "h13" int not null default 0, "h14" int not null default 0, "h15" int not null default 0, "h16" int not null default 0, "h17" int not null default 0, "h18" int not null default 0, "h19" int not null default 0, "h20" int not null default 0, "h21" int not null default 0, "h22" int not null default 0, "h23" int not null default 0, "h24" int not null default 0, "h25" int not null default 0, "h26" int not null default 0, "h27" int not null default 0, "h28" int not null default 0, "h29" int not null default 0, "h30" int not null default 0, "h31" int not null default 0, "h32" int not null default 0, "h33" int not null default 0, "h34" int not null default 0, "h35" int not null default 0, "h36" int not null default 0, "h37" int not null default 0, "h38" int not null default 0, "h39" int not null default 0, "h40" int not null default 0, "h41" int not null default 0, "h42" int not null default 0, "h43" int not null default 0, "h44" int not null default 0, "h45" int not null default 0, "h46" int not null default 0, "h47" int not null default 0, "h48" int not null default 0, "h49" int not null default 0, "h50" int not null default 0, "h51" int not null default 0, "h52" int not null default 0, "h53" int not null default 0, "h54" int not null default 0, "h55" int not null default 0, "h56" int not null default 0, "h57" int not null default 0, "h58" int not null default 0, "h59" int not null default 0, "h60" int not null default 0, "h61" int not null default 0, "h62" int not null default 0, "h63" int not null default 0, "h64" int not null default 0, "h65" int not null default 0, "h66" int not null default 0, "h67" int not null default 0, "h68" int not null default 0, "h69" int not null default 0, "h70" int not null default 0, "h71" int not null default 0, "h72" int not null default 0, "h73" int not null default 0, "h74" int not null default 0, "h75" int not null default 0, "h76" int not null default 0, "h77" int not null default 0, "h78" int not null default 0, "h79" int not null default 0, "h80" int not null default 0, "h81" int not null default 0, "h82" int not null default 0, "h83" int not null default 0, "h84" int not null default 0, "h85" int not null default 0, "h86" int not null default 0, "h87" int not null default 0, constraint "shadow_rollups_pkey" primary key ("bucket", "service_version", "model_version", "success"));`);
    this.partitioned();
  }

  private partitioned(): void {
    const shadows = partitionedTables.find((t) => t.table === 'shadow_predictions')!;
    this.addSql(`alter table "shadow_predictions" add constraint "shadow_predictions_pkey" primary key ("id", "created_at");`);
    for (const sql of partitionTableSql(shadows)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "shadow_predictions" cascade;`);

    this.addSql(`drop table if exists "shadow_rollups" cascade;`);
  }

}
