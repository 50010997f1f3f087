import { Migration } from '@mikro-orm/migrations';

/** A service's labelled examples in id order: the pages of an export. */
export class Migration20261207005311 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "labelled_examples_service_version_id_index" on "labelled_examples" ("service_version", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "labelled_examples_service_version_id_index";`);
  }

}
