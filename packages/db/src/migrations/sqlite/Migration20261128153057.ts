import { Migration } from '@mikro-orm/migrations';

export class Migration20261128153057 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`service_calls\` add column \`model_version\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`service_calls\` drop column \`model_version\`;`);
  }

}
