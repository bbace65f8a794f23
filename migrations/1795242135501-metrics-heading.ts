import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 13 (dominant movement direction): metrics.heading, degrees clockwise from image up, null when there is no
// dominant direction (still or chaotic crowd). Nullable without a default: cheap on large and compressed hypertables.
export class MetricsHeading1795242135501 implements MigrationInterface {
  name = 'MetricsHeading1795242135501';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "metrics" ADD "heading" real`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "metrics" DROP COLUMN "heading"`);
  }
}
