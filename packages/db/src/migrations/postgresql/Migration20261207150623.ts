import { Migration } from '@mikro-orm/migrations';

/**
 * prediction_logs loses its index on (service_version, model_version, created_at), made when quality metrics were read
 * from the raw rows: no read filters the raw predictions by them now (the quality and drift rollups answer those), and
 * each prediction's insert paid for it.
 */
export class Migration20261207150623 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index if exists "prediction_logs_service_version_model_version_created_at_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "prediction_logs_service_version_model_version_created_at_index" on "prediction_logs" ("service_version", "model_version", "created_at");`);
  }

}
