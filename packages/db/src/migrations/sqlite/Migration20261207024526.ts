import { Migration } from '@mikro-orm/migrations';

/** drift_rollups: served inputs and predictions per bucket × model version × quantity × reference bin. */
export class Migration20261207024526 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`drift_rollups\` (\`bucket\` integer not null, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`model_version\` text not null, \`feature\` text not null, \`bin\` integer not null, \`count\` integer not null, \`value_sum\` double not null, primary key (\`bucket\`, \`service_version\`, \`model_version\`, \`feature\`, \`bin\`));`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `drift_rollups`;');
  }

}
