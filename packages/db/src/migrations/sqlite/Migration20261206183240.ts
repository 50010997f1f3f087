import { Migration } from '@mikro-orm/migrations';

export class Migration20261206183240 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`model_files\` (\`sha256\` text not null, \`size\` bigint not null, \`bytes\` blob not null, \`created_at\` datetime not null, primary key (\`sha256\`));`);

    this.addSql(`create table \`model_versions\` (\`id\` integer not null primary key autoincrement, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`version\` text not null, \`name\` text not null, \`source\` text check (\`source\` in ('builtin', 'onnx')) not null, \`files\` json not null, \`sha256\` text not null, \`card\` json null, \`state\` text not null default 'registered', \`failure\` text null, \`registered_by_id\` integer null, \`registered_by_username\` text null, \`registered_at\` datetime not null, constraint \`model_versions_registered_by_id_foreign\` foreign key(\`registered_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`model_versions_sha256_index\` on \`model_versions\` (\`sha256\`);`);
    this.addSql(`create index \`model_versions_registered_by_id_index\` on \`model_versions\` (\`registered_by_id\`);`);
    this.addSql(`create unique index \`model_versions_service_version_version_unique\` on \`model_versions\` (\`service_version\`, \`version\`);`);

    this.addSql(`create table \`model_deployments\` (\`id\` integer not null primary key autoincrement, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`model_version_id\` integer not null, \`action\` text not null, \`actor_id\` integer null, \`actor_username\` text null, \`live_from\` datetime not null, \`live_until\` datetime null, constraint \`model_deployments_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on delete cascade on update cascade, constraint \`model_deployments_actor_id_foreign\` foreign key(\`actor_id\`) references \`users\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`model_deployments_model_version_id_index\` on \`model_deployments\` (\`model_version_id\`);`);
    this.addSql(`create index \`model_deployments_actor_id_index\` on \`model_deployments\` (\`actor_id\`);`);
    this.addSql(`create index \`model_deployments_service_version_id_index\` on \`model_deployments\` (\`service_version\`, \`id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`model_deployments\`;`);
    this.addSql(`drop table if exists \`model_versions\`;`);
    this.addSql(`drop table if exists \`model_files\`;`);
  }

}
