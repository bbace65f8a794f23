import type { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities by libs/server/database/src/scripts/generate-migration.ts.
// #16 (reports): history, status and progress of report jobs; files live in DATA_DIR/reports.
export class Reports1795242135701 implements MigrationInterface {
  name = 'Reports1795242135701';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" character varying(16) NOT NULL, "format" character varying(8) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'queued', "progress" smallint NOT NULL DEFAULT '0', "title" character varying(200) NOT NULL, "params" jsonb NOT NULL, "file_name" character varying(255), "size_bytes" bigint, "error" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_reports_type" CHECK ("type" IN ('daily', 'weekly', 'incident', 'custom')), CONSTRAINT "CHK_reports_format" CHECK ("format" IN ('pdf', 'xlsx')), CONSTRAINT "CHK_reports_status" CHECK ("status" IN ('queued', 'running', 'done', 'failed')), CONSTRAINT "PK_reports" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_reports_created_at" ON "reports" ("created_at") `);
    await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reports" DROP CONSTRAINT "FK_reports_created_by"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_reports_created_at"`);
    await queryRunner.query(`DROP TABLE "reports"`);
  }
}
