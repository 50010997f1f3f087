import { Migration } from '@mikro-orm/migrations';

/** Rollouts: a candidate version tried beside the live one. */
export class Migration20261206211832 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`model_rollouts\` (\`id\` integer not null primary key autoincrement, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`candidate_id\` integer not null, \`baseline_id\` integer not null, \`mode\` text not null, \`percent\` integer null, \`guard\` json not null, \`auto_promote\` integer not null default false, \`started_by_id\` integer null, \`started_by_username\` text null, \`started_at\` datetime not null, \`ended_at\` datetime null, \`outcome\` text null, \`ended_by_username\` text null, \`decision\` json null, constraint \`model_rollouts_candidate_id_foreign\` foreign key(\`candidate_id\`) references \`model_versions\`(\`id\`) on delete cascade on update cascade, constraint \`model_rollouts_baseline_id_foreign\` foreign key(\`baseline_id\`) references \`model_versions\`(\`id\`) on delete cascade on update cascade, constraint \`model_rollouts_started_by_id_foreign\` foreign key(\`started_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`model_rollouts_candidate_id_index\` on \`model_rollouts\` (\`candidate_id\`);`);
    this.addSql(`create index \`model_rollouts_baseline_id_index\` on \`model_rollouts\` (\`baseline_id\`);`);
    this.addSql(`create index \`model_rollouts_started_by_id_index\` on \`model_rollouts\` (\`started_by_id\`);`);
    this.addSql(`create index \`model_rollouts_service_version_id_index\` on \`model_rollouts\` (\`service_version\`, \`id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`model_rollouts\`;`);
  }

}
