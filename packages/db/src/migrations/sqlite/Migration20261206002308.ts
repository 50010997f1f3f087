import { Migration } from '@mikro-orm/migrations';
import { dayRollupStatements } from '../../rollups/rebuild-sql.ts';

/**
 * Each user's calls per UTC day, summed from user_rollups (the top users of a month read these), and user_rollups'
 * bucket index widened to hold what the edges of that read need.
 */
export class Migration20261206002308 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`user_day_rollups\` (\`owner_id\` integer not null, \`day\` integer not null, \`service_version\` text check (\`service_version\` in ('v1', 'v2')) not null, \`calls\` integer not null, \`failures\` integer not null, constraint \`user_day_rollups_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`owner_id\`, \`day\`, \`service_version\`));`);
    this.addSql(`create index \`user_day_rollups_owner_id_index\` on \`user_day_rollups\` (\`owner_id\`);`);
    this.addSql(`create index \`user_day_rollups_day_index\` on \`user_day_rollups\` (\`day\`, \`service_version\`, \`owner_id\`, \`calls\`);`);

    this.addSql(`drop index \`user_rollups_bucket_index\`;`);

    this.addSql(`create index \`user_rollups_bucket_index\` on \`user_rollups\` (\`bucket\`, \`service_version\`, \`owner_id\`, \`calls\`);`);

    this.addSql(dayRollupStatements(false).insert);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`user_day_rollups\`;`);
    this.addSql(`drop index \`user_rollups_bucket_index\`;`);
    this.addSql(`create index \`user_rollups_bucket_index\` on \`user_rollups\` (\`bucket\`);`);
  }

}
