import { Migration } from '@mikro-orm/migrations';

export class Migration20261206012152 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`service_calls_owner_id_request_time_id_index\` on \`service_calls\` (\`owner_id\`, \`request_time\`, \`id\`);`);

    this.addSql(`drop index \`audit_logs_target_user_id_index\`;`);

    this.addSql(`create index \`audit_logs_target_user_id_id_index\` on \`audit_logs\` (\`target_user_id\`, \`id\`);`);

    this.addSql(`create index \`api_keys_owner_id_id_index\` on \`api_keys\` (\`owner_id\`, \`id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`api_keys_owner_id_id_index\`;`);

    this.addSql(`drop index \`audit_logs_target_user_id_id_index\`;`);

    this.addSql(`create index \`audit_logs_target_user_id_index\` on \`audit_logs\` (\`target_user_id\`);`);

    this.addSql(`drop index \`service_calls_owner_id_request_time_id_index\`;`);
  }

}
