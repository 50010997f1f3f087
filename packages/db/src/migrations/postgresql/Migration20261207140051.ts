import { Migration } from '@mikro-orm/migrations';

/**
 * service_calls loses its index on service_version: no read filters the raw calls by service (the rollups answer
 * those), and an index of two values cost every call's insert (its partitions' indexes go with it).
 */
export class Migration20261207140051 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index if exists "service_calls_service_version_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "service_calls_service_version_index" on "service_calls" ("service_version");`);
  }

}
