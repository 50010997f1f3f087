import { Migration } from '@mikro-orm/migrations';

/** drift_rollups: served inputs and predictions per bucket × model version × quantity × reference bin. */
export class Migration20261207024527 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "drift_rollups" ("bucket" int not null, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "model_version" varchar(63) not null, "feature" varchar(63) not null, "bin" int not null, "count" int not null, "value_sum" double precision not null, constraint "drift_rollups_pkey" primary key ("bucket", "service_version", "model_version", "feature", "bin"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "drift_rollups" cascade;`);
  }

}
