import { Migration } from '@mikro-orm/migrations';

export class Migration20261205210549 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "prediction_logs" drop constraint "prediction_logs_service_call_id_foreign";`);

    this.addSql(`alter table "service_calls" alter column "id" type bigint using ("id"::bigint);`);

    this.addSql(`alter table "prediction_logs" alter column "id" type bigint using ("id"::bigint);`);
    this.addSql(`alter table "prediction_logs" alter column "service_call_id" type bigint using ("service_call_id"::bigint);`);
    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_service_call_id_foreign" foreign key ("service_call_id") references "service_calls" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "audit_logs" alter column "id" type bigint using ("id"::bigint);`);

    // A serial column's sequence is typed too: without this it would still stop at 2,147,483,647.
    for (const table of ['service_calls', 'prediction_logs', 'audit_logs'])
      this.addSql(`alter sequence "${table}_id_seq" as bigint maxvalue 9223372036854775807;`);
  }

  override async down(): Promise<void> {
    for (const table of ['service_calls', 'prediction_logs', 'audit_logs'])
      this.addSql(`alter sequence "${table}_id_seq" as integer maxvalue 2147483647;`);
    this.addSql(`alter table "prediction_logs" drop constraint "prediction_logs_service_call_id_foreign";`);

    this.addSql(`alter table "audit_logs" alter column "id" type int4 using ("id"::int4);`);

    this.addSql(`alter table "prediction_logs" alter column "id" type int4 using ("id"::int4);`);
    this.addSql(`alter table "prediction_logs" alter column "service_call_id" type int4 using ("service_call_id"::int4);`);
    this.addSql(`alter table "prediction_logs" add constraint "prediction_logs_service_call_id_foreign" foreign key ("service_call_id") references "service_calls" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "service_calls" alter column "id" type int4 using ("id"::int4);`);
  }

}
