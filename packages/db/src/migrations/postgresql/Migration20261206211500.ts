import { Migration } from '@mikro-orm/migrations';

/**
 * Every committed change of which version a service serves (a row of model_deployments written by a promote, a
 * rollback or a reload, on any replica or by hand) notifies channel `mlapi_models` with the service (`v1`, `v2`;
 * `*` for a truncate): every replica loads the new live version (changes/postgres-change-listener.ts). Several rows
 * of one transaction notify once: PostgreSQL folds identical notifications of a transaction into one.
 */
export class Migration20261206211500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function mlapi_notify_model_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'TRUNCATE' then
    perform pg_notify('mlapi_models', '*');
  else
    perform pg_notify('mlapi_models', coalesce(new.service_version, old.service_version));
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger model_deployments_notify after insert or update or delete on "model_deployments"
      for each row execute function mlapi_notify_model_change();`);
    this.addSql(`create trigger model_deployments_notify_truncate after truncate on "model_deployments"
      for each statement execute function mlapi_notify_model_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger model_deployments_notify_truncate on "model_deployments";`);
    this.addSql(`drop trigger model_deployments_notify on "model_deployments";`);
    this.addSql(`drop function mlapi_notify_model_change();`);
  }
}
