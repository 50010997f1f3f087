import { Migration } from '@mikro-orm/migrations';

/**
 * service_calls loses its foreign key to users: its check ran once per row of every group commit. A deleted user's
 * calls lose their owner by the deletion's own update; user_rollups' foreign key still checks each owner once per
 * group commit. (SQLite keeps the key: dropping one there means rebuilding the table, and its check is in-process.)
 */
export class Migration20261207142028 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "service_calls" drop constraint "service_calls_owner_id_foreign";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "service_calls" add constraint "service_calls_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete set null;`);
  }

}
