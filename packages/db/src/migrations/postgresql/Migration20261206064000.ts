import { Migration } from '@mikro-orm/migrations';

/**
 * Every committed change to a user or an API key notifies channel `mlapi_auth` (`u:<id>`, `k:<key hash>`, `*` for
 * a truncate), whoever wrote it (any replica, psql, a script): the replicas' caches of what authorization reads
 * drop that entry (changes/postgres-change-listener.ts). A key's `last_used_at` alone changing notifies nothing:
 * it is bookkeeping, not authorization, and happens once a minute per key in use. Inserts notify nothing either: no
 * cache holds a user or key that did not exist.
 */
export class Migration20261206064000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function mlapi_notify_auth_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'TRUNCATE' then
    perform pg_notify('mlapi_auth', '*');
  elsif tg_table_name = 'users' then
    perform pg_notify('mlapi_auth', 'u:' || old.id);
  elsif tg_op = 'DELETE' or (to_jsonb(new) - 'last_used_at') is distinct from (to_jsonb(old) - 'last_used_at') then
    perform pg_notify('mlapi_auth', 'k:' || old.key_hash);
    if tg_op = 'UPDATE' and new.key_hash is distinct from old.key_hash then
      perform pg_notify('mlapi_auth', 'k:' || new.key_hash);
    end if;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger users_notify_auth after update or delete on "users"
      for each row execute function mlapi_notify_auth_change();`);
    this.addSql(`create trigger users_notify_auth_truncate after truncate on "users"
      for each statement execute function mlapi_notify_auth_change();`);
    this.addSql(`create trigger api_keys_notify_auth after update or delete on "api_keys"
      for each row execute function mlapi_notify_auth_change();`);
    this.addSql(`create trigger api_keys_notify_auth_truncate after truncate on "api_keys"
      for each statement execute function mlapi_notify_auth_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger api_keys_notify_auth_truncate on "api_keys";`);
    this.addSql(`drop trigger api_keys_notify_auth on "api_keys";`);
    this.addSql(`drop trigger users_notify_auth_truncate on "users";`);
    this.addSql(`drop trigger users_notify_auth on "users";`);
    this.addSql(`drop function mlapi_notify_auth_change();`);
  }
}
