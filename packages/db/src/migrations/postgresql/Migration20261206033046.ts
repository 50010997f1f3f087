import { Migration } from '@mikro-orm/migrations';
import { copyLabelledExamplesSql, withFeedback } from '../../repositories/labelled-examples-sql.ts';

/** Labelled data that outlives the logs' retention, filled from the predictions that already have feedback. */
export class Migration20261206033046 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "labelled_examples" ("id" bigserial primary key, "prediction_id" bigint not null, "service_version" text check ("service_version" in ('v1', 'v2')) not null, "model_name" varchar(127) not null, "model_version" varchar(63) not null, "owner_id" int null, "input" jsonb not null, "output" jsonb not null, "predicted_value" double precision null, "predicted_label" varchar(127) null, "true_value" double precision null, "true_label" varchar(127) null, "predicted_at" timestamptz not null, "feedback_time" timestamptz not null, "is_train_data" boolean not null default false);`);
    this.addSql(`alter table "labelled_examples" add constraint "labelled_examples_prediction_id_unique" unique ("prediction_id");`);
    this.addSql(`create index "labelled_examples_owner_id_index" on "labelled_examples" ("owner_id");`);
    this.addSql(`create index "labelled_examples_service_version_predicted_at_index" on "labelled_examples" ("service_version", "predicted_at");`);

    this.addSql(`alter table "labelled_examples" add constraint "labelled_examples_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(copyLabelledExamplesSql(withFeedback));
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "labelled_examples" cascade;`);
  }

}
