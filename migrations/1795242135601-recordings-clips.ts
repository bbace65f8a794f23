import type { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities by libs/server/database/src/scripts/generate-migration.ts, then extended by hand:
// recordings (issue 14): thumbnail, protection, peak metrics, error; trigger 'continuous' and status 'processing'.
export class RecordingsClips1795242135601 implements MigrationInterface {
  name = 'RecordingsClips1795242135601';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recordings" ADD "thumbnail_path" text`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD "is_protected" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD "peak_count" real`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD "peak_density" real`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD "peak_risk_score" real`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD "error" text`);
    await queryRunner.query(`CREATE INDEX "IDX_recordings_alert" ON "recordings" ("alert_id") `);
    await queryRunner.query(`ALTER TABLE "recordings" DROP CONSTRAINT "CHK_recordings_trigger"`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD CONSTRAINT "CHK_recordings_trigger" CHECK ("trigger" IN ('manual', 'alert', 'schedule', 'continuous'))`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP CONSTRAINT "CHK_recordings_status"`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD CONSTRAINT "CHK_recordings_status" CHECK ("status" IN ('recording', 'processing', 'completed', 'failed'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "recordings" WHERE "trigger" = 'continuous' OR "status" = 'processing'`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP CONSTRAINT "CHK_recordings_status"`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD CONSTRAINT "CHK_recordings_status" CHECK ("status" IN ('recording', 'completed', 'failed'))`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP CONSTRAINT "CHK_recordings_trigger"`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD CONSTRAINT "CHK_recordings_trigger" CHECK ("trigger" IN ('manual', 'alert', 'schedule'))`);
    await queryRunner.query(`DROP INDEX "public"."IDX_recordings_alert"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP COLUMN "error"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP COLUMN "peak_risk_score"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP COLUMN "peak_density"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP COLUMN "peak_count"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP COLUMN "is_protected"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP COLUMN "thumbnail_path"`);
  }
}
