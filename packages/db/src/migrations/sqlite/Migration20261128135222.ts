import { Migration } from '@mikro-orm/migrations';

export class Migration20261128135222 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`rate_limits\` (\`key\` text not null, \`points\` integer not null default 0, \`expire\` bigint not null, primary key (\`key\`));`);
    this.addSql(`create index \`rate_limits_expire_index\` on \`rate_limits\` (\`expire\`);`);

    this.addSql(`create table \`audit_logs\` (\`id\` integer not null primary key autoincrement, \`actor_id\` integer null, \`actor_username\` text not null, \`action\` text not null, \`target_user_id\` integer null, \`target_username\` text null, \`details\` json null, \`created_at\` datetime not null, constraint \`audit_logs_actor_id_foreign\` foreign key(\`actor_id\`) references \`users\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`audit_logs_actor_id_index\` on \`audit_logs\` (\`actor_id\`);`);
    this.addSql(`create index \`audit_logs_target_user_id_index\` on \`audit_logs\` (\`target_user_id\`);`);
    this.addSql(`create index \`audit_logs_created_at_index\` on \`audit_logs\` (\`created_at\`);`);

    this.addSql(`create table \`api_keys\` (\`id\` integer not null primary key autoincrement, \`owner_id\` integer not null, \`name\` text not null, \`prefix\` text not null, \`key_hash\` text not null, \`scope_v1\` integer not null default false, \`scope_v2\` integer not null default false, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, constraint \`api_keys_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`api_keys_owner_id_index\` on \`api_keys\` (\`owner_id\`);`);
    this.addSql(`create unique index \`api_keys_key_hash_unique\` on \`api_keys\` (\`key_hash\`);`);

    this.addSql(`alter table \`users\` add column \`calls_per_minute\` integer null;`);
    this.addSql(`alter table \`users\` add column \`calls_per_day\` integer null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`rate_limits\`;`);
    this.addSql(`drop table if exists \`audit_logs\`;`);
    this.addSql(`drop table if exists \`api_keys\`;`);
    this.addSql(`alter table \`users\` drop column \`calls_per_minute\`;`);
    this.addSql(`alter table \`users\` drop column \`calls_per_day\`;`);
  }

}
