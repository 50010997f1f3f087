import { Migration } from '@mikro-orm/migrations';

export class Migration20261206031814 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "prediction_logs_created_at_index" on "prediction_logs" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "prediction_logs_created_at_index";`);
  }

}
