import { Migration } from '@mikro-orm/migrations';
import { copyLabelledExamplesSql, withFeedback } from '../../repositories/labelled-examples-sql.ts';

/** Labelled data that outlives the logs' retention, filled from the predictions that already have feedback. */
export class Migration20261206033046 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`labelled_examples\` (\`id\` integer not null primary key autoincrement, \`prediction_id\` bigint not null, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`model_name\` text not null, \`model_version\` text not null, \`owner_id\` integer null, \`input\` json not null, \`output\` json not null, \`predicted_value\` double null, \`predicted_label\` text null, \`true_value\` double null, \`true_label\` text null, \`predicted_at\` datetime not null, \`feedback_time\` datetime not null, \`is_train_data\` integer not null default false, constraint \`labelled_examples_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create unique index \`labelled_examples_prediction_id_unique\` on \`labelled_examples\` (\`prediction_id\`);`);
    this.addSql(`create index \`labelled_examples_owner_id_index\` on \`labelled_examples\` (\`owner_id\`);`);
    this.addSql(`create index \`labelled_examples_service_version_predicted_at_index\` on \`labelled_examples\` (\`service_version\`, \`predicted_at\`);`);

    this.addSql(copyLabelledExamplesSql(withFeedback));
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`labelled_examples\`;`);
  }

}
