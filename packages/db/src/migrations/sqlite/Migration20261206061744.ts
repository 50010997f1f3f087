import { Migration } from '@mikro-orm/migrations';

/** Quota leases: each reservation's limit and grant, so one upsert says how much it reserved. */
export class Migration20261206061744 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`rate_limits\` add column \`granted\` integer not null default 0;`);
    this.addSql(`alter table \`rate_limits\` add column \`quota\` integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`rate_limits\` drop column \`granted\`;`);
    this.addSql(`alter table \`rate_limits\` drop column \`quota\`;`);
  }

}
