import { Migration } from '@mikro-orm/migrations';

export class Migration20261128135223 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "rate_limits" ("key" varchar(255) not null, "points" int not null default 0, "expire" bigint not null, constraint "rate_limits_pkey" primary key ("key"));`);
    this.addSql(`create index "rate_limits_expire_index" on "rate_limits" ("expire");`);

    this.addSql(`create table "audit_logs" ("id" serial primary key, "actor_id" int null, "actor_username" varchar(254) not null, "action" varchar(63) not null, "target_user_id" int null, "target_username" varchar(254) null, "details" jsonb null, "created_at" timestamptz not null);`);
    this.addSql(`create index "audit_logs_actor_id_index" on "audit_logs" ("actor_id");`);
    this.addSql(`create index "audit_logs_target_user_id_index" on "audit_logs" ("target_user_id");`);
    this.addSql(`create index "audit_logs_created_at_index" on "audit_logs" ("created_at");`);

    this.addSql(`create table "api_keys" ("id" serial primary key, "owner_id" int not null, "name" varchar(100) not null, "prefix" varchar(32) not null, "key_hash" varchar(64) not null, "scope_v1" boolean not null default false, "scope_v2" boolean not null default false, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null);`);
    this.addSql(`create index "api_keys_owner_id_index" on "api_keys" ("owner_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);

    this.addSql(`alter table "audit_logs" add constraint "audit_logs_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add column "calls_per_minute" int null, add column "calls_per_day" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rate_limits" cascade;`);

    this.addSql(`drop table if exists "audit_logs" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`alter table "users" drop column "calls_per_minute", drop column "calls_per_day";`);
  }

}
