import { Migration } from '@mikro-orm/migrations';

/** Retraining jobs (one running per service: a partial unique index), and a retrained version's evaluation report. */
export class Migration20261207024415 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`retrain_jobs\` (\`id\` integer not null primary key autoincrement, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`state\` text not null, \`phase\` text not null, \`progress_done\` integer not null default 0, \`progress_total\` integer not null default 0, \`version\` text not null, \`auto_shadow\` integer not null default false, \`train_examples\` integer not null default 0, \`requested_by_id\` integer null, \`requested_by_username\` text null, \`started_at\` datetime not null, \`heartbeat_at\` datetime not null, \`finished_at\` datetime null, \`error\` text null, \`evaluation\` json null, \`model_version_id\` integer null, \`shadow_started\` integer not null default false, constraint \`retrain_jobs_requested_by_id_foreign\` foreign key(\`requested_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, constraint \`retrain_jobs_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`retrain_jobs_requested_by_id_index\` on \`retrain_jobs\` (\`requested_by_id\`);`);
    this.addSql(`create index \`retrain_jobs_model_version_id_index\` on \`retrain_jobs\` (\`model_version_id\`);`);
    this.addSql(`create index \`retrain_jobs_service_version_id_index\` on \`retrain_jobs\` (\`service_version\`, \`id\`);`);

    this.addSql(`create unique index \`retrain_jobs_one_running\` on \`retrain_jobs\` (\`service_version\`) where \`state\` = 'running';`);

    this.addSql(`alter table \`model_versions\` add column \`evaluation\` json null;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `retrain_jobs`;');
    this.addSql('alter table `model_versions` drop column `evaluation`;');
  }

}
